"""The Chinese sentiment lexicon of the default scorer: data only.

Chinese has no spaces, so the scorer segments a run of Han characters by the
longest match against every word listed here (sentiment words, negators,
intensifiers). Words that carry their own negation (``不错`` "not bad" = good,
``不好`` "not good", ``不满`` "dissatisfied") are listed whole, so the longest
match takes them before ``不`` is read as a negator.
Valences run from -3 to +3, as in the English lexicon.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BOOSTERS", "CONTRAST", "DAMPENERS", "DUAL", "NEGATORS", "NEUTRAL", "WORDS"]


def _weighted(groups: dict[float, str]) -> dict[str, float]:
    return {word: weight for weight, words in groups.items() for word in words.split()}


WORDS: Final[dict[str, float]] = _weighted(
    {
        3.0: """
            完美 极好 超赞 太棒 棒极了 好极了 绝了 一流 顶级 惊艳 震撼 无敌 爱死 超爱 最爱
            完美无缺 无可挑剔 五星好评 强烈推荐 赞不绝口 心花怒放 欣喜若狂
        """,
        2.0: """
            棒 赞 优秀 出色 精彩 喜欢 爱 热爱 满意 开心 高兴 快乐 幸福 感谢 谢谢 感激 感恩
            推荐 好评 惊喜 漂亮 美丽 好看 好用 好吃 好喝 好玩 划算 实惠 超值 给力 牛 厉害 靠谱
            专业 贴心 周到 热情 耐心 细心 及时 迅速 快速 神速 舒服 舒适 精致 精美 可爱 优质
            点赞 支持 期待 激动 兴奋 喜爱 满分 值得 放心 安心 完善 顺利 成功 美味 清爽 流畅
            高效 耐用 结实 温暖 感动 佩服 欣赏 愉快 满足 舒心 良心 物美价廉 物超所值 没问题
            很棒 真棒 好评如潮 一级棒 不错 挺好 蛮好 还不错 爱了 太赞
        """,
        1.0: """
            好 行 可以 还行 还可以 正常 方便 简单 清楚 清晰 干净 安全 稳定 便宜 快 新鲜 有用
            实用 合适 适合 喜 乐 笑 希望 改进 改善 解决 修好 及时回复 友好 礼貌 认真 负责
            正品 准时 合理 顺畅 好的 谢 对
        """,
        -1.0: """
            慢 贵 难 累 一般 普通 失望 担心 担忧 麻烦 问题 毛病 故障 错误 奇怪 无聊 尴尬
            遗憾 可惜 迟到 延迟 延误 推迟 晚 缺货 少 小 旧 脏 吵 复杂 困难 不便 不方便 疑问
            怀疑 不清楚 不稳定 不合适 凑合 将就 郁闷 无奈 纠结 焦虑 等了 卡 卡顿 掉线
        """,
        -2.0: """
            差 坏 烂 糟 糟糕 难用 难吃 难看 难受 生气 愤怒 气愤 恼火 不满 不满意 不好 不行
            不爽 不靠谱 不专业 投诉 退款 退货 欺骗 骗 骗人 骗子 假货 假的 虚假 坑 坑人 破 破损
            损坏 坏了 漏 漏水 发霉 过期 变质 质量差 服务差 态度差 太慢 太贵 伤心 难过 痛苦
            讨厌 反感 后悔 失败 崩溃 闪退 没用 无用 浪费 敷衍 冷漠 傲慢 粗鲁 无语 差评 吐槽
            不负责 不理 没人理 没人管 忽悠 宰客 坑爹 霸王条款 维权 曝光 拉黑 丢件 丢失 弄丢
        """,
        -3.0: """
            垃圾 恶心 恶劣 最差 极差 太差 糟透了 差劲 烂透了 垃圾产品 黑心 无良 骗子公司 诈骗
            愤怒至极 气死 气死了 坑死 恨 恨死 绝望 灾难 噩梦 再也不买 永不回购 退钱 欺诈 黑店
        """,
    }
)
"""Sentiment words and their valence."""

BOOSTERS: Final[dict[str, float]] = _weighted(
    {
        1.6: "极其 极度 超级 特别特别 非常非常 无比 十分十分 绝对",
        1.5: "非常 特别 十分 超 太 极 真是 实在 相当 格外 尤其 巨",
        1.3: "很 真 挺 蛮 更 最 多么 这么 那么 如此 越来越",
    }
)
"""Intensifiers (``非常`` "very", ``太`` "too", ...)."""

DAMPENERS: Final[dict[str, float]] = _weighted(
    {
        0.6: "稍微 稍稍 略 略微 有点 有点儿 有些 一点 一点点",
        0.8: "比较 还算 较",
    }
)
"""Diminishers (``有点`` "a little", ``比较`` "rather", ...)."""

NEGATORS: Final[dict[str, float]] = _weighted(
    {
        -0.75: "不 没 没有 无 非 别 未 不是 并非 不太 不怎么 不够 不算 谈不上 算不上 称不上",
        -1.0: """
            一点也不 一点都不 一点儿也不 一点儿都不 根本不 根本没 根本没有 完全不 完全没有
            毫不 毫无 绝不 决不 从不 从来不 从没 从来没有 并不 并没有 再也不 丝毫不 压根不
        """,
    }
)
"""Negators and the factor they apply to the word they govern."""

_NEUTRAL = """
    快递 快递员 快点 尺码 大小 小时 小区 小哥 小姐 好像 好多 好几 好久 不同 不久 不用 不知道
    不一定 没想到 可能 一下 有没有 是不是 好不好 行李 银行 真的吗 问一下 请问
"""
NEUTRAL: Final[frozenset[str]] = frozenset(_NEUTRAL.split())
"""Terms read as one neutral word, so a sentiment character inside them is not taken
alone (``快递`` "courier" is not ``快`` "fast"; ``好像`` "seems" is not ``好`` "good")."""

DUAL: Final[frozenset[str]] = frozenset({"好", "超", "真"})
"""Words that are intensifiers when a sentiment word follows (``好贵``: "so pricey")."""

CONTRAST: Final[frozenset[str]] = frozenset({"但是", "但", "不过", "可是", "然而", "只是", "却"})
"""Words after which a sentence's judgement weighs more (``好看但是太贵``)."""
