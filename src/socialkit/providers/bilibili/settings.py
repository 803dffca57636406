"""Bilibili settings: the app's keys (they sign every call), the user's token, uploads.

Reference: openhome.bilibili.com/doc (哔哩哔哩开放平台): 接口签名实现标准 (signed
``x-bili-*`` headers), 账号管理 (access_token, refresh_token) and 视频稿件投递 (parts of
8 MB).
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from ...platform import PlatformSettings

__all__ = ["API", "PART_SIZE", "REFRESH_URL", "UPLOAD_HOST", "BilibiliSettings"]

API = "https://member.bilibili.com"
UPLOAD_HOST = "https://openupos.bilivideo.com"
REFRESH_URL = "https://api.bilibili.com/x/account-oauth2/v1/refresh_token"
PART_SIZE = 8 * 1024 * 1024
"""The part size Bilibili asks for (8 MB; the last part smaller)."""


class BilibiliSettings(PlatformSettings):
    """How to reach one Bilibili (哔哩哔哩) account through an open-platform app.

    Attributes:
        access_token: The user's access token, sent as ``access-token``.
        client_id: The app's ``client_id`` (the ``x-bili-accesskeyid`` of the signature).
        app_secret: The app's secret; every call is signed with it (HMAC-SHA256).
        refresh_token: Renews ``access_token``; each refresh token works **once** and the
            answer carries the next one (kept in place; persist it from
            ``credential.on_refresh``).
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        tid: The default category (分区 id) of new videos, when a draft gives none.
        article_category: The default sub-category id of new articles (专栏).
        part_size: Bytes per upload part (8 MB).
    """

    access_token: SecretStr
    client_id: str = Field(min_length=1)
    app_secret: SecretStr
    refresh_token: SecretStr | None = None
    expires_at: float | None = None
    tid: int | None = None
    article_category: int | None = None
    part_size: int = Field(default=PART_SIZE, ge=1024 * 1024, le=PART_SIZE)
