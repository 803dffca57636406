"""UTM tagging: links tagged deterministically, kept links untouched, length rules after tagging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from socialkit import Draft
from socialkit.client import Client
from socialkit.crosspost import crosspost
from socialkit.errors import ConfigError
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox
from socialkit.text import TextRules, count_chars, count_mastodon, count_x
from socialkit.utm import UTM, links_tags, strip_options, tag_draft, tag_links, utm_of

FAST = RetryPolicy(attempts=2, backoff=0.001, max_backoff=0.002)
TAGS = "utm_source=x&utm_medium=social&utm_campaign=spring&utm_content=e1"


def tag(text: str, **options: Any) -> str:
    return tag_links(text, **{"source": "x", "campaign": "spring", "content": "e1", **options})


def test_a_bare_link_gets_the_four_tags_in_order() -> None:
    tagged = tag("Sale: https://shop.example/sale now")
    assert tagged == f"Sale: https://shop.example/sale?{TAGS} now"


def test_existing_query_and_fragment_are_kept() -> None:
    tagged = tag("https://shop.example/p?id=7&ref=a%20b#reviews")
    assert tagged == f"https://shop.example/p?id=7&ref=a%20b&{TAGS}#reviews"


def test_an_existing_utm_parameter_is_not_overwritten() -> None:
    tagged = tag("https://shop.example/?UTM_Source=newsletter")
    assert tagged == (
        "https://shop.example/?UTM_Source=newsletter"
        "&utm_medium=social&utm_campaign=spring&utm_content=e1"
    )


def test_tagging_twice_gives_the_same_text() -> None:
    once = tag("a https://shop.example/a and http://b.example/x?q=1.")
    assert tag(once) == once


def test_trailing_punctuation_stays_outside_the_link() -> None:
    assert tag("(see https://shop.example/a).") == f"(see https://shop.example/a?{TAGS})."


def test_kept_links_exact_or_by_prefix_are_untouched() -> None:
    text = "https://shop.example/a https://legal.example/terms/v2 https://legal.examples/x"
    tagged = tag(text, keep=["https://shop.example/a", "https://legal.example/"])
    assert tagged.split() == [
        "https://shop.example/a",
        "https://legal.example/terms/v2",
        f"https://legal.examples/x?{TAGS}",
    ]


def test_bare_domains_and_mentions_are_not_tagged() -> None:
    text = "visit shop.example.com or ask @help@shop.social #sale"
    assert tag(text) == text


def test_empty_values_are_left_out_and_values_are_encoded() -> None:
    tagged = tag_links("https://a.example", source="weibo", campaign="春季 sale")
    assert tagged == (
        "https://a.example?utm_source=weibo&utm_medium=social&utm_campaign=%E6%98%A5%E5%AD%A3%20sale"
    )
    assert links_tags(tagged) == [{"source": "weibo", "medium": "social", "campaign": "春季 sale"}]


def test_x_and_mastodon_counts_do_not_change_with_tagging() -> None:
    text = "New arrivals: https://shop.example/new 🎉"
    tagged = tag(text)
    assert count_x(tagged) == count_x(text)
    assert count_mastodon(tagged) == count_mastodon(text)
    assert count_chars(tagged) > count_chars(text)


def test_the_draft_options_turn_tagging_off_on_and_keep_links() -> None:
    base = UTM(campaign="spring")
    assert utm_of(Draft(text="x", options={"utm": False}), base) is None
    assert utm_of(Draft(text="x"), None) is None
    assert utm_of(Draft(text="x", options={"utm": {"campaign": "fall"}}), None) == UTM("fall")
    keep = utm_of(Draft(text="x", options={"keep_links": ["https://k.example"]}), base)
    assert keep is not None
    assert keep.keep == {"https://k.example"}
    with pytest.raises(ConfigError):
        utm_of(Draft(text="x", options={"utm": "yes"}), base)
    with pytest.raises(ConfigError):
        utm_of(Draft(text="x", options={"utm": {"campain": "typo"}}), base)


def test_tag_draft_removes_the_tagging_options_and_keeps_the_key() -> None:
    draft = Draft(
        text="https://a.example/x https://k.example/y",
        options={"keep_links": ["https://k.example"], "spoiler_text": "cw"},
    )
    sent = tag_draft(draft, UTM(campaign="c"), platform="mastodon", content="t1")
    assert sent.text == (
        "https://a.example/x?utm_source=mastodon&utm_medium=social&utm_campaign=c&utm_content=t1"
        " https://k.example/y"
    )
    assert dict(sent.options) == {"spoiler_text": "cw"}
    assert sent.idempotency_key == draft.idempotency_key
    assert strip_options(Draft(text="a", options={"utm": False})).options == {}


def test_utm_settings_round_trip_as_json() -> None:
    utm = UTM(campaign="c", keep=["https://b", "https://a"])
    assert UTM.from_json(utm.to_json()) == utm
    assert utm.to_json()["keep"] == ["https://a", "https://b"]


# -- crosspost ------------------------------------------------------------------------------------


class CharCounting(Mastodon):
    """A platform that counts every character of a link (as LinkedIn or Facebook do)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.rules = TextRules(max_length=160, count=count_chars)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
def pair(sandbox: Sandbox) -> Iterator[dict[str, Client]]:
    settings = {"instance": sandbox.base_url, "access_token": "brand"}
    clients = {
        "masto": sandbox.client(retry=FAST),
        "chars": Client(CharCounting(**settings), transport=sandbox.transport(), retry=FAST),
    }
    yield clients
    for client in clients.values():
        client.close()


def test_crosspost_tags_each_target_with_its_platform_and_label(
    pair: dict[str, Client], sandbox: Sandbox
) -> None:
    draft = Draft(text="Spring sale https://shop.example/s", options={"keep_links": []})
    result = crosspost(draft, {"masto": pair["masto"]}, utm=UTM(campaign="spring"))
    assert result.ok
    sent = [r.json for r in sandbox.requests if r.path == "/api/v1/statuses"]
    assert sent[0]["status"] == (
        "Spring sale https://shop.example/s"
        "?utm_source=mastodon&utm_medium=social&utm_campaign=spring&utm_content=masto"
    )
    assert "keep_links" not in sent[0]  # the option never reaches the platform


def test_crosspost_without_utm_sends_links_as_written(pair: dict[str, Client]) -> None:
    plan = crosspost("https://shop.example/s", pair, dry_run=True)
    assert plan["masto"].texts == ["https://shop.example/s"]


def test_length_rules_apply_after_tagging(pair: dict[str, Client]) -> None:
    text = "Our spring sale is on, all week long, with new colours every day: https://shop.example/spring"
    assert len(text) <= 160
    plan = crosspost(text, pair, dry_run=True, utm=UTM(campaign="spring"), overflow="shorten")
    assert plan["masto"].action == "post"  # the link counts 23 whatever its tags
    chars = plan["chars"]
    assert chars.action == "shortened"
    assert chars.parts[0].count <= 160
    assert "utm_campaign=spring" in chars.texts[0]
    failing = crosspost(text, pair, dry_run=True, utm=UTM(campaign="spring"), overflow="fail")
    assert failing["chars"].error is not None
    assert failing["masto"].ok


@pytest.mark.anyio
async def test_acrosspost_tags_links_like_crosspost(sandbox: Sandbox) -> None:
    from socialkit.crosspost import acrosspost

    async with sandbox.async_client(retry=FAST) as masto:
        plan = await acrosspost(
            "https://shop.example/s", {"brand": masto}, utm=UTM(campaign="c"), dry_run=True
        )
        result = await acrosspost("https://shop.example/s", {"brand": masto}, utm=UTM(campaign="c"))
    assert result["brand"].post is not None
    assert result["brand"].post.text == plan["brand"].texts[0]
    assert links_tags(plan["brand"].texts[0])[0]["content"] == "brand"
