"""Content warnings: carried where a platform has them, refused or prefixed where not."""

from __future__ import annotations

import pytest

from socialkit import Draft, InvalidContent
from socialkit.client import Client
from socialkit.crosspost import crosspost
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=2, backoff=0.001, max_backoff=0.002)


class NoWarnings(Mastodon):
    """A Mastodon-like platform that cannot show content warnings."""

    content_warnings = False


def _client(sandbox: Sandbox, platform: type[Mastodon] = Mastodon) -> Client:
    settings = {"instance": sandbox.base_url, "access_token": "brand"}
    return Client(platform(**settings), transport=sandbox.transport(), retry=FAST)


def _sent(sandbox: Sandbox) -> list[dict[str, object]]:
    return [r.json for r in sandbox.requests if r.method == "POST" and r.path == "/api/v1/statuses"]


def test_a_content_warning_goes_out_as_spoiler_text_and_comes_back() -> None:
    sandbox = Sandbox()
    with _client(sandbox) as client:
        post = client.publish(Draft(text="the ending", content_warning="film spoilers"))
        assert post.content_warning == "film spoilers"
        assert client.get_post(post.id).content_warning == "film spoilers"
    assert _sent(sandbox)[0]["spoiler_text"] == "film spoilers"


def test_a_post_without_a_warning_has_none() -> None:
    with _client(Sandbox()) as client:
        assert client.publish("plain").content_warning is None


def test_a_platform_without_warnings_refuses_the_draft_before_any_request() -> None:
    sandbox = Sandbox()
    with _client(sandbox, NoWarnings) as client, pytest.raises(InvalidContent) as raised:
        client.publish(Draft(text="the ending", content_warning="film spoilers"))
    assert raised.value.rule == "content_warning"
    assert _sent(sandbox) == []


def test_the_prefix_fallback_puts_the_warning_in_the_text() -> None:
    sandbox = Sandbox()
    draft = Draft(text="the ending", content_warning="spoilers", content_warning_fallback="prefix")
    with _client(sandbox, NoWarnings) as client:
        post = client.publish(draft)
    assert post.text == "CW: spoilers\n\nthe ending"
    assert "spoiler_text" not in _sent(sandbox)[0]


def test_the_prefix_counts_towards_the_length_limit() -> None:
    draft = Draft(text="x" * 495, content_warning="spoilers", content_warning_fallback="prefix")
    with pytest.raises(InvalidContent) as raised:
        NoWarnings(instance="https://a.example", access_token="t").validate(draft)
    assert raised.value.rule == "max_length"


def test_crossposting_keeps_the_warning_or_prefixes_it_per_platform() -> None:
    warns, plain = Sandbox(), Sandbox()
    draft = Draft(text="the ending", content_warning="spoilers", content_warning_fallback="prefix")
    with _client(warns) as a, _client(plain, NoWarnings) as b:
        result = crosspost(draft, {"warns": a, "plain": b})
    assert result.ok
    assert _sent(warns)[0]["spoiler_text"] == "spoilers"
    assert _sent(plain)[0]["status"] == "CW: spoilers\n\nthe ending"


def test_crossposting_without_a_fallback_reports_the_platform_that_cannot() -> None:
    warns, plain = Sandbox(), Sandbox()
    with _client(warns) as a, _client(plain, NoWarnings) as b:
        result = crosspost(Draft(text="x", content_warning="cw"), {"warns": a, "plain": b})
    errors = {r.target: r.error for r in result.results}
    assert errors["warns"] is None
    assert isinstance(errors["plain"], InvalidContent)
    assert _sent(plain) == []


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("bluesky", {"handle": "brand.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}),
        ("x", {"access_token": "t"}),
        ("threads", {"access_token": "t", "user_id": "1"}),
    ],
)
def test_built_in_platforms_without_warnings_refuse_or_prefix(
    name: str, settings: dict[str, str]
) -> None:
    from socialkit.platform import settings_for
    from socialkit.registry import load_platform

    platform = load_platform(name)(settings_for(load_platform(name), settings))
    with pytest.raises(InvalidContent) as raised:
        platform.validate(Draft(text="the ending", content_warning="spoilers"))
    assert raised.value.rule == "content_warning"
    prefixed = Draft(
        text="the ending", content_warning="spoilers", content_warning_fallback="prefix"
    )
    assert platform.validate(prefixed).text == "CW: spoilers\n\nthe ending"
