"""The Page subscription calls of webhooks (``/{page-id}/subscribed_apps``) on the wire.
https://developers.facebook.com/docs/pages-api/webhooks-for-pages"""

from __future__ import annotations

import pytest
import respx

from socialkit.errors import InvalidContent, PlatformError

from ..meta.meta_support import Driver, form, sent
from .facebook_support import GRAPH, PAGE


def test_subscribe_posts_the_fields(driver: Driver, api: respx.MockRouter) -> None:
    route = api.post(f"{GRAPH}/{PAGE}/subscribed_apps").respond(200, json={"success": "true"})
    assert driver.run(driver.platform.subscribe_webhooks(["feed", "mention"])) is None
    assert form(sent(route)) == {"subscribed_fields": "feed,mention"}


def test_subscribe_refused_without_success_raises(driver: Driver, api: respx.MockRouter) -> None:
    api.post(f"{GRAPH}/{PAGE}/subscribed_apps").respond(200, json={"success": False})
    with pytest.raises(PlatformError):
        driver.run(driver.platform.subscribe_webhooks())


def test_subscribe_to_no_field_is_refused_before_any_call(driver: Driver) -> None:
    with pytest.raises(InvalidContent):
        driver.run(driver.platform.subscribe_webhooks([]))


def test_unsubscribe_deletes(driver: Driver, api: respx.MockRouter) -> None:
    route = api.delete(f"{GRAPH}/{PAGE}/subscribed_apps").respond(200, json={"success": True})
    driver.run(driver.platform.unsubscribe_webhooks())
    assert route.called


def test_webhook_fields_of_this_app(driver: Driver, api: respx.MockRouter) -> None:
    api.get(f"{GRAPH}/{PAGE}/subscribed_apps").respond(200, json={"data": [
        {"category": "Business", "link": "https://other.example/app", "name": "Other",
         "id": "111", "subscribed_fields": ["messages"]},
        {"category": "Business", "link": "https://brand.example/app", "name": "Brand",
         "id": "222", "subscribed_fields": ["feed", "mention"]},
    ]})
    assert driver.run(driver.platform.webhook_fields("222")) == ["feed", "mention"]


def test_webhook_fields_when_not_installed(driver: Driver, api: respx.MockRouter) -> None:
    api.get(f"{GRAPH}/{PAGE}/subscribed_apps").respond(200, json={"data": []})
    assert driver.run(driver.platform.webhook_fields("222")) == []
