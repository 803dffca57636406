"""WeChat Official Account settings: the app's credentials and publishing defaults."""

from __future__ import annotations

from pydantic import Field, SecretStr

from ...platform import PlatformSettings

__all__ = ["WeChatSettings"]


class WeChatSettings(PlatformSettings):
    """How to reach one Official Account (公众号 / 服务号).

    Attributes:
        app_id: The AppID (开发者ID) from 设置与开发 → 基本配置.
        app_secret: The AppSecret (开发者密码) from the same page. The server's IP must
            be on the IP whitelist (IP白名单) there, or WeChat refuses the token (40164).
        access_token: A token fetched elsewhere (e.g. by a central token server,
            中控服务器); used until WeChat says it expired, then renewed with the secret.
        cover_media_id: The media_id of a permanent image (永久素材) used as the cover
            (封面) of articles that bring none.
        author: The default author (作者) of articles, at most 16 characters.
        open_comments: Open comments (留言/评论) on published articles by default.
        fans_only_comments: Let only followers (粉丝) comment, when comments are open.
        publish_wait: The most seconds a publish waits for WeChat to finish publishing.
    """

    app_id: str = Field(min_length=1)
    app_secret: SecretStr
    cover_media_id: str | None = None
    author: str | None = Field(default=None, max_length=16)
    open_comments: bool = False
    fans_only_comments: bool = False
    publish_wait: float = Field(default=120.0, gt=0)
