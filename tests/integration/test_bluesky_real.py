"""socialkit against Bluesky's reference stack (@atproto/dev-env: PLC, PDS, AppView) on
loopback, with both drivers, two real accounts and their app passwords.

The AppView indexes what the PDS writes with a lag: reads of fresh posts poll
(`eventually`); writes that answer a fresh post must not need to.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

import socialkit as sk
from socialkit.providers.bluesky import refs

from .bluesky_support import Account, Driver, driver, eventually, expired_copy, xrpc

pytestmark = pytest.mark.integration


def tag() -> str:
    """A word no other test writes, to find this test's posts."""
    return f"t{secrets.token_hex(4)}"


def stored(uri: str) -> Any:
    """A record as its PDS stores it (``com.atproto.repo.getRecord``, no auth needed)."""
    _, _, repo, collection, rkey = uri.split("/")
    return xrpc("GET", "com.atproto.repo.getRecord",
                params={"repo": repo, "collection": collection, "rkey": rkey})


def indexed(client: Driver, post_id: str) -> sk.Post | None:
    try:
        post: sk.Post = client.get_post(post_id)
    except sk.NotFound:
        return None
    return post


# -- login, me, errors --------------------------------------------------------------------------


def test_login_with_an_app_password_and_me(brand: Driver, bsky_brand: Account) -> None:
    me = brand.me()
    assert (me.handle, me.id) == (bsky_brand.handle, bsky_brand.did)


def test_a_wrong_app_password_is_an_auth_error(bsky_kind: str, bsky_brand: Account) -> None:
    with (driver(bsky_kind, bsky_brand, app_password="wrong-pass-word-1234") as client,
          pytest.raises(sk.AuthError) as caught):
        client.me()
    assert not isinstance(caught.value, sk.TokenExpired)
    assert "wrong-pass-word-1234" not in str(caught.value)


def test_a_server_that_is_down_is_a_transport_error(bsky_kind: str, bsky_brand: Account) -> None:
    with (driver(bsky_kind, bsky_brand, service="http://127.0.0.1:9") as client,
          pytest.raises(sk.TransportError)):
        client.me()


def test_an_unknown_post_is_not_found(brand: Driver, bsky_brand: Account) -> None:
    with pytest.raises(sk.NotFound):
        brand.get_post(f"at://{bsky_brand.did}/app.bsky.feed.post/3kzzzzzzzzz2a")


def test_a_text_over_the_limit_is_refused_before_any_request(
    bsky_kind: str, bsky_brand: Account
) -> None:
    # a dead service: any request would be a TransportError, not InvalidContent
    with (driver(bsky_kind, bsky_brand, service="http://127.0.0.1:9") as client,
          pytest.raises(sk.InvalidContent) as caught):
        client.publish("é" * 301)
    assert (caught.value.count, caught.value.limit) == (301, 300)


# -- publishing and reading ---------------------------------------------------------------------


def test_publish_computes_mention_link_hashtag_facets_and_keeps_emoji(
    brand: Driver, bsky_fan: Account
) -> None:
    text = f"Hi @{bsky_fan.handle} 🎉 see example.com/a #launch"
    post = brand.publish(text)
    record = stored(post.id)["value"]
    assert record["text"] == text
    features = {f["features"][0]["$type"].split("#")[1]: f for f in record["facets"]}
    assert features["mention"]["features"][0]["did"] == bsky_fan.did
    assert features["link"]["features"][0]["uri"] == "https://example.com/a"
    assert features["tag"]["features"][0]["tag"] == "launch"
    encoded = text.encode()
    mention = features["mention"]["index"]
    assert encoded[mention["byteStart"]:mention["byteEnd"]] == f"@{bsky_fan.handle}".encode()
    hashtag = features["tag"]["index"]
    assert encoded[hashtag["byteStart"]:hashtag["byteEnd"]] == b"#launch"


def test_get_post_reads_what_was_published(brand: Driver, bsky_brand: Account) -> None:
    post = brand.publish(f"Readable {tag()} ✨")
    got = eventually(lambda: indexed(brand, post.id))
    assert (got.id, got.text, got.author.handle) == (post.id, post.text, bsky_brand.handle)
    assert got.url
    assert got.url.endswith(post.id.rsplit("/", 1)[1])


def test_publish_thread_chains_its_parts(brand: Driver) -> None:
    word = tag()
    first, second, third = brand.publish_thread([f"1/ {word}", f"2/ {word}", f"3/ {word}"])
    assert second.reply_to_id == first.id
    assert third.reply_to_id == second.id
    assert third.thread_root_id == first.id
    comments = eventually(lambda: c if len(c := brand.comments(first.id)) == 2 else None)
    parents = {c.id: c.reply_to_id for c in comments}
    assert parents == {second.id: first.id, third.id: second.id}


def test_reply_from_a_second_account_and_nested_comments(brand: Driver, fan: Driver) -> None:
    post = brand.publish(f"Ask us anything {tag()}")
    question = fan.reply(post.id, "When do you ship?")
    answer = brand.reply(question.id, "Tomorrow!")
    assert (question.thread_root_id, question.reply_to_id) == (post.id, post.id)
    assert (answer.thread_root_id, answer.reply_to_id) == (post.id, question.id)
    comments = eventually(lambda: c if len(c := brand.comments(post.id)) == 2 else None)
    by_id = {c.id: c for c in comments}
    assert by_id[question.id].author.handle == fan.me().handle
    assert by_id[answer.id].reply_to_id == question.id


def test_mentions_are_read_past_one_page(brand: Driver, fan: Driver, bsky_brand: Account) -> None:
    word = tag()
    for n in range(7):
        fan.publish(f"@{bsky_brand.handle} question {n} {word}")
    brand.platform.page_size = 3

    def ours() -> list[sk.Mention] | None:
        found = [m for m in brand.mentions() if word in m.text]
        return found if len(found) == 7 else None

    mentions = eventually(ours)
    assert {m.kind for m in mentions} == {"mention"}
    assert len(brand.pages("mentions")) >= 3


def test_like_repost_and_reply_show_in_post_metrics(brand: Driver, fan: Driver) -> None:
    post = brand.publish(f"Count me {tag()}")
    fan.react(post.id)
    fan.repost(post.id)
    fan.reply(post.id, "Counted")

    def counted() -> dict[str, float] | None:
        try:
            metrics = {m.name: m.value for m in brand.post_metrics(post.id)}
        except sk.NotFound:
            return None
        done = (metrics.get("likes"), metrics.get("shares"), metrics.get("comments"))
        return metrics if done == (1, 1, 1) else None

    metrics = eventually(counted)
    assert metrics["quotes"] == 0


def test_delete_removes_the_post(brand: Driver) -> None:
    post = brand.publish(f"Short-lived {tag()}")
    brand.delete_post(post.id)
    with pytest.raises(httpx.HTTPStatusError, match="400"):  # RecordNotFound
        stored(post.id)
    eventually(lambda: True if indexed(brand, post.id) is None else None)


# -- the AppView's lag: answering a post the moment it is published ------------------------------


def test_reply_and_like_right_after_publishing_twenty_times_in_a_row(
    brand: Driver, fan: Driver, monkeypatch: pytest.MonkeyPatch,
    record_property: Any,
) -> None:
    fallbacks = 0
    original = refs.author_pds

    def counting(bsky: Any, did: str) -> Any:
        nonlocal fallbacks
        fallbacks += 1
        return (yield from original(bsky, did))

    monkeypatch.setattr(refs, "author_pds", counting)
    word = tag()
    for n in range(20):
        post = brand.publish(f"Fresh {n} {word}")
        reply = fan.reply(post.id, f"First! {n}")
        fan.react(post.id)
        parent = stored(reply.id)["value"]["reply"]["parent"]
        assert parent == {"uri": post.id, "cid": post.raw["cid"]}
    record_property("appview_not_yet_indexed", f"{fallbacks}/40 lookups")
    print(f"AppView had not indexed the post in {fallbacks} of 40 lookups")


def test_quote_and_repost_right_after_publishing(brand: Driver, fan: Driver) -> None:
    for n in range(5):
        post = brand.publish(f"Quote me {n} {tag()}")
        quote = fan.publish(sk.Draft(text="This!", options={"quote": post.id}))
        fan.repost(post.id)
        embed = stored(quote.id)["value"]["embed"]
        assert embed == {"$type": "app.bsky.embed.record",
                         "record": {"uri": post.id, "cid": post.raw["cid"]}}


# -- the session --------------------------------------------------------------------------------


def test_the_session_refreshes_before_the_access_jwt_expires(brand: Driver) -> None:
    brand.me()
    session = brand.platform.session
    generation, refresh_jwt = session.generation, session.refresh_jwt
    session.expires_at = 0.0  # "expired": the next call refreshes first
    assert brand.me().handle
    assert session.generation == generation + 1
    assert session.refresh_jwt != refresh_jwt  # the PDS rotates it


def test_an_expired_access_jwt_is_refreshed_and_the_call_replayed(brand: Driver) -> None:
    brand.me()
    session = brand.platform.session
    generation = session.generation
    session.access_jwt = SecretStr(expired_copy(session.access_jwt.get_secret_value()))
    assert brand.me().handle  # the PDS answers ExpiredToken; refreshed; replayed
    assert session.generation == generation + 1
