"""Weibo's length rule: 140 Chinese characters, half-width counts half, links count 10."""

from __future__ import annotations

import pytest

from socialkit.errors import InvalidContent
from socialkit.providers.weibo import count_weibo

from .weibo_support import make_platform


def test_a_chinese_character_counts_one() -> None:
    assert count_weibo("微博") == 2


def test_two_half_width_characters_count_one() -> None:
    assert count_weibo("ab") == 1


def test_an_odd_half_width_character_rounds_up() -> None:
    assert count_weibo("abc") == 2


def test_mixed_chinese_and_ascii() -> None:
    assert count_weibo("新品 launch!") == 2 + 4  # 2 Chinese + 8 half-width


def test_a_link_counts_as_its_short_link() -> None:
    text = "看 https://brand.example.com/a/very/long/path?with=query&more=1"
    assert count_weibo(text) == 12  # 看 (2 half) + space (1) + link (20) = 23 half → 12


def test_every_link_counts_the_same() -> None:
    short = count_weibo("https://a.cn")
    long = count_weibo("https://brand.example.com/" + "x" * 200)
    assert short == long == 10


def test_mixed_chinese_ascii_and_link() -> None:
    text = "新品上线！Try it: https://brand.example.com/launch 限时"
    # 新品上线！ 10 half + "Try it: " 8 + link 20 + " " 1 + 限时 4 = 43 half → 22
    assert count_weibo(text) == 22


def test_an_emoji_counts_two() -> None:
    assert count_weibo("🎉") == 2


def test_fullwidth_punctuation_counts_one() -> None:
    assert count_weibo("，。") == 2


def test_140_chinese_characters_fit() -> None:
    platform = make_platform()
    assert platform.rules.fits("中" * 140)


def test_141_chinese_characters_are_refused_with_the_count() -> None:
    with pytest.raises(InvalidContent) as raised:
        make_platform().validate("中" * 141)
    assert (raised.value.rule, raised.value.count, raised.value.limit) == ("max_length", 141, 140)


def test_280_ascii_characters_fit() -> None:
    assert make_platform().rules.fits("a" * 280)
    assert not make_platform().rules.fits("a" * 281)
