"""Microblog's own behaviour: wire format, errors, rate limits, webhooks, registration."""

from __future__ import annotations

import json
import uuid

import anyio
import pytest
import socialkit as sk

from fake_server import FakeMicroblog
from socialkit_microblog import SIGNATURE_HEADER, Microblog, MicroblogSettings, sign

FAST = sk.RetryPolicy(backoff=0.001, max_backoff=0.002)


@pytest.fixture
def fake() -> FakeMicroblog:
    return FakeMicroblog()


def connect(fake: FakeMicroblog, token: str = "brand") -> sk.Client:
    platform = Microblog(MicroblogSettings(access_token=token))
    return sk.Client(platform, transport=fake.transport(), retry=FAST)


# -- wire format ------------------------------------------------------------------------------


def test_publish_sends_text_with_token_and_idempotency_key(fake: FakeMicroblog) -> None:
    draft = sk.Draft(text="Hello, Microblog")
    connect(fake).publish(draft)
    sent = fake.requests[-1]
    assert (sent.method, sent.url.path) == ("POST", "/v1/posts")
    assert json.loads(sent.content) == {"text": "Hello, Microblog"}
    assert sent.headers["authorization"] == "Bearer brand"
    assert sent.headers["idempotency-key"] == draft.idempotency_key


def test_publish_retried_after_a_503_posts_once(fake: FakeMicroblog) -> None:
    fake.fail_next(503)
    post = connect(fake).publish("Only once, please")
    assert [p["text"] for p in fake.posts.values()] == ["Only once, please"]
    assert post.id in fake.posts


def test_post_is_parsed_with_author_time_and_counts(fake: FakeMicroblog) -> None:
    post = connect(fake).publish("Parse me")
    assert post.author is not None
    assert post.author.handle == "brand"
    assert post.created_at is not None
    assert post.created_at.tzinfo is not None
    assert post.url == f"https://microblog.example/@brand/{post.id}"
    assert dict(post.metrics) == {"likes": 0, "shares": 0, "comments": 0}


def test_posts_walk_every_page(fake: FakeMicroblog) -> None:
    for n in range(60):
        fake.add_post("brand", f"post {n}")
    client = connect(fake)
    pages = list(client.posts().pages())
    assert [len(p.items) for p in pages] == [50, 10]
    assert [p.text for p in client.posts(limit=2)] == ["post 59", "post 58"]


def test_comments_keep_the_conversation_shape(fake: FakeMicroblog) -> None:
    client = connect(fake)
    post = client.publish("Ask me anything")
    question = fake.add_post("alice", "Is it open on Sunday?", reply_to=post.id)
    answer = client.reply(question["id"], "Yes, from 10:00")
    comments = {c.id: c for c in client.comments(post.id)}
    assert comments[question["id"]].reply_to_id == post.id
    assert comments[answer.id].reply_to_id == question["id"]
    assert {c.thread_root_id for c in comments.values()} == {post.id}


def test_reply_to_a_webhook_mention_answers_its_post(fake: FakeMicroblog) -> None:
    platform = Microblog(MicroblogSettings(access_token="brand", webhook_secret="whsec-1"))
    mentioned = fake.add_post("alice", "@brand hello!")
    body = json.dumps({"type": "mention", "id": "evt_1", "post": mentioned}).encode()
    mention = platform.parse_webhook(body, sign(body, "whsec-1"))
    reply = sk.Client(platform, transport=fake.transport()).reply(mention, "Hello Alice!")
    assert reply.reply_to_id == mentioned["id"]


def test_post_metrics_use_normalised_names(fake: FakeMicroblog) -> None:
    client = connect(fake)
    post = client.publish("Count me")
    fake.add_post("alice", "nice", reply_to=post.id)
    metrics = {m.name: (m.value, m.native_name) for m in client.post_metrics(post.id)}
    assert metrics == {"likes": (0, "likes"), "shares": (0, "reposts"), "comments": (1, "replies")}


# -- errors -----------------------------------------------------------------------------------


def test_missing_post_is_not_found_with_microblogs_message(fake: FakeMicroblog) -> None:
    with pytest.raises(sk.NotFound) as raised:
        connect(fake).get_post("12345")
    assert raised.value.message == "No such post"
    assert raised.value.code == "not_found"


def test_deleting_someone_elses_post_is_permission_denied(fake: FakeMicroblog) -> None:
    theirs = fake.add_post("alice", "mine")
    with pytest.raises(sk.PermissionDenied):
        connect(fake).delete_post(theirs["id"])


def test_expired_token_reported_with_200_raises_token_expired(fake: FakeMicroblog) -> None:
    fake.expire("brand")
    with pytest.raises(sk.TokenExpired):
        connect(fake).me()


def test_exhausted_rate_limit_raises_then_refuses_before_io() -> None:
    fake = FakeMicroblog(limit=0, window=3600)  # used up elsewhere; resets beyond the 60 s cap
    client = connect(fake, token=f"limited-{uuid.uuid4().hex}")  # its own rate-limit state
    with pytest.raises(sk.RateLimited) as raised:
        client.me()
    assert raised.value.retry_after == 3600
    sent = len(fake.requests)
    with pytest.raises(sk.RateLimited):
        client.me()
    assert len(fake.requests) == sent


def test_token_goes_only_to_the_api_host(fake: FakeMicroblog) -> None:
    with pytest.raises(sk.AuthError):
        connect(fake).request("GET", "https://elsewhere.example/v1/me")
    assert "authorization" not in fake.requests[-1].headers


# -- webhooks ---------------------------------------------------------------------------------


def test_webhook_with_a_good_signature_is_a_mention() -> None:
    platform = Microblog(MicroblogSettings(access_token="t", webhook_secret="whsec-2"))
    post = FakeMicroblog().add_post("bob", "@brand where is my order?")
    body = json.dumps({"type": "mention", "id": "evt_9", "post": post}).encode()
    mention = platform.parse_webhook(body, sign(body, "whsec-2"))
    assert (mention.id, mention.kind, mention.post_id) == ("evt_9", "mention", post["id"])
    assert mention.author is not None
    assert mention.author.handle == "bob"


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "sha256=" + "0" * 64])
def test_webhook_with_a_bad_signature_is_refused(signature: str | None) -> None:
    platform = Microblog(MicroblogSettings(access_token="t", webhook_secret="whsec-3"))
    with pytest.raises(sk.AuthError) as raised:
        platform.parse_webhook(b'{"type": "mention"}', signature)
    assert "whsec-3" not in str(raised.value)


def test_signature_header_name_is_microblogs() -> None:
    assert SIGNATURE_HEADER == "X-Microblog-Signature"


# -- registration and configuration ---------------------------------------------------------


def test_installed_package_registers_microblog() -> None:
    assert sk.platforms()["microblog"] is Microblog


def test_connect_by_url_sets_token_and_api_root(fake: FakeMicroblog) -> None:
    client = sk.connect("microblog://tok@api.microblog.example/v1", transport=fake.transport())
    assert client.me().handle == "tok"
    assert str(fake.requests[-1].url) == "https://api.microblog.example/v1/me"


def test_missing_token_is_a_config_error_naming_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOCIALKIT_MICROBLOG_ACCESS_TOKEN", raising=False)
    with pytest.raises(sk.ConfigError) as raised:
        sk.connect("microblog")
    assert raised.value.field == "access_token"


def test_async_client_runs_the_same_flows(fake: FakeMicroblog) -> None:
    async def main() -> list[str]:
        platform = Microblog(MicroblogSettings(access_token="brand"))
        async with sk.AsyncClient(platform, transport=fake.transport()) as client:
            post = await client.publish("From async")
            return [p.text async for p in client.posts()] + [post.id]

    texts = anyio.run(main)
    assert texts[0] == "From async"
