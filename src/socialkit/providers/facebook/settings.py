"""Facebook Pages settings: which Page, with which Page access token."""

from __future__ import annotations

from ..meta.settings import GraphSettings

__all__ = ["FacebookSettings"]


class FacebookSettings(GraphSettings):
    """How to reach one Facebook Page.

    Attributes:
        page_id: The Page's id.
        access_token: A *Page* access token (``GET /me/accounts`` with a user token that has
            ``pages_show_list``, ``pages_manage_posts``, ``pages_read_engagement``,
            ``pages_manage_engagement``, ``pages_read_user_content`` and ``read_insights``).
        app_secret: Optional; adds ``appsecret_proof`` to every call.
        api_version: The Graph API version (``"v25.0"`` by default).
    """

    page_id: str
