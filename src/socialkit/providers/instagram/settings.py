"""Instagram settings: which professional account, with which token, through which login."""

from __future__ import annotations

from typing import Literal

from ..meta.settings import GraphSettings

__all__ = ["InstagramSettings"]


class InstagramSettings(GraphSettings):
    """How to reach one Instagram professional (business or creator) account.

    Attributes:
        user_id: The Instagram professional account's id (the IG user id, not the username).
        access_token: A token of the login in use: a Facebook user or Page token with the
            ``instagram_*`` permissions for ``login="facebook"``, an Instagram user token for
            ``login="instagram"``.
        login: ``"facebook"`` (Instagram API with Facebook Login, graph.facebook.com) or
            ``"instagram"`` (Instagram API with Instagram Login, graph.instagram.com, no
            Facebook Page needed; no hashtag search, no deleting).
    """

    user_id: str
    login: Literal["facebook", "instagram"] = "facebook"
