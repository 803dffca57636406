"""The in-process Mastodon-compatible sandbox, exercised through httpx."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest

from socialkit.testing.sandbox import Sandbox, SandboxError, main

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


class FakeClock:
    """A settable clock, so time-dependent behaviour is deterministic."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


def connect(sandbox: Sandbox, token: str | None = "brand") -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url, headers=headers)


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with connect(sandbox) as http:
        yield http


def brand_post(sandbox: Sandbox, index: int) -> dict[str, Any]:
    return sandbox.statuses(account="brand")[index]


def links(response: httpx.Response) -> dict[str, str]:
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])
    }


# -- statuses ---------------------------------------------------------------------------------


def test_created_status_is_shaped_like_mastodon(client: httpx.Client) -> None:
    resp = client.post("/api/v1/statuses", data={"status": "Hi @alice\nsee https://example.com/a"})
    status = resp.json()
    assert resp.status_code == 200
    assert isinstance(status["id"], str)
    assert ISO_MS.match(status["created_at"])
    assert status["content"] == (
        '<p>Hi <span class="h-card" translate="no"><a href="https://sandbox.socialkit.invalid/@alice"'
        ' class="u-url mention">@<span>alice</span></a></span><br />see <a href="https://example.com/a"'
        ' target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://'
        '</span><span class="">example.com/a</span><span class="invisible"></span></a></p>'
    )
    assert status["account"]["username"] == "brand"
    assert [m["acct"] for m in status["mentions"]] == ["alice"]


def test_status_over_500_characters_is_rejected(client: httpx.Client) -> None:
    resp = client.post("/api/v1/statuses", data={"status": "x" * 501})
    assert resp.status_code == 422
    assert resp.json() == {"error": "Validation failed: Text character limit of 500 exceeded"}


def test_url_counts_as_23_characters(client: httpx.Client) -> None:
    text = "x" * 476 + " https://example.com/" + "a" * 100
    assert client.post("/api/v1/statuses", json={"status": text}).status_code == 200


def test_empty_status_is_rejected(client: httpx.Client) -> None:
    resp = client.post("/api/v1/statuses", json={"status": "  "})
    assert resp.status_code == 422
    assert resp.json() == {"error": "Validation failed: Text can't be blank"}


def test_json_body_with_poll_creates_poll(client: httpx.Client) -> None:
    body = {"status": "Pick one", "poll": {"options": ["A", "B"], "expires_in": 3600}}
    poll = client.post("/api/v1/statuses", json=body).json()["poll"]
    assert [o["title"] for o in poll["options"]] == ["A", "B"]


def test_form_poll_fields_create_poll(client: httpx.Client) -> None:
    form = {"status": "Pick", "poll[options][]": ["A", "B", "C"], "poll[expires_in]": "600"}
    poll = client.post("/api/v1/statuses", data=form).json()["poll"]
    assert len(poll["options"]) == 3


def test_same_idempotency_key_returns_first_status(sandbox: Sandbox, client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "draft-1"}
    first = client.post("/api/v1/statuses", json={"status": "once"}, headers=headers).json()
    again = client.post("/api/v1/statuses", json={"status": "twice"}, headers=headers).json()
    assert again["id"] == first["id"]
    assert [s["content"] for s in sandbox.statuses(account="brand")].count("<p>once</p>") == 1


def test_idempotency_key_is_per_account(sandbox: Sandbox, client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "shared"}
    mine = client.post("/api/v1/statuses", json={"status": "a"}, headers=headers).json()
    with connect(sandbox, "bob") as bob:
        theirs = bob.post("/api/v1/statuses", json={"status": "b"}, headers=headers).json()
    assert theirs["id"] != mine["id"]


def test_edit_sets_edited_at_and_content(client: httpx.Client) -> None:
    status = client.post("/api/v1/statuses", json={"status": "tpyo"}).json()
    edited = client.put(f"/api/v1/statuses/{status['id']}", json={"status": "typo"}).json()
    assert edited["content"] == "<p>typo</p>"
    assert ISO_MS.match(edited["edited_at"])


def test_delete_returns_source_text_and_removes_status(client: httpx.Client) -> None:
    status = client.post("/api/v1/statuses", json={"status": "bye #now"}).json()
    deleted = client.delete(f"/api/v1/statuses/{status['id']}").json()
    assert deleted["text"] == "bye #now"
    assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404


def test_cannot_delete_someone_elses_status(sandbox: Sandbox) -> None:
    with connect(sandbox, "alice") as alice:
        resp = alice.delete(f"/api/v1/statuses/{brand_post(sandbox, 0)['id']}")
    assert resp.status_code == 404


def test_reply_to_unknown_status_is_404(client: httpx.Client) -> None:
    resp = client.post("/api/v1/statuses", json={"status": "hi", "in_reply_to_id": "999"})
    assert resp.status_code == 404


# -- pagination, context, notifications, search ---------------------------------------------


def test_link_pagination_walks_all_pages(sandbox: Sandbox, client: httpx.Client) -> None:
    for i in range(45):
        client.post("/api/v1/statuses", json={"status": f"post {i}"})
    expected = [s["id"] for s in reversed(sandbox.statuses(account="brand"))]
    seen: list[str] = []
    url: str | None = "/api/v1/accounts/1/statuses?limit=10"
    while url:
        resp = client.get(url)
        seen += [s["id"] for s in resp.json()]
        url = links(resp).get("next")
    assert seen == expected


def test_link_header_has_mastodon_format(client: httpx.Client) -> None:
    resp = client.get("/api/v1/accounts/1/statuses", params={"limit": 2})
    ids = [s["id"] for s in resp.json()]
    base = "https://sandbox.socialkit.invalid/api/v1/accounts/1/statuses"
    assert resp.headers["link"] == (
        f'<{base}?limit=2&max_id={ids[-1]}>; rel="next", '
        f'<{base}?limit=2&min_id={ids[0]}>; rel="prev"'
    )


def test_min_id_returns_statuses_just_newer(sandbox: Sandbox, client: httpx.Client) -> None:
    ids = [s["id"] for s in sandbox.statuses(account="brand")]  # oldest first
    resp = client.get("/api/v1/accounts/1/statuses", params={"min_id": ids[0], "limit": 2})
    assert [s["id"] for s in resp.json()] == [ids[2], ids[1]]


def test_limit_is_capped_at_40(client: httpx.Client) -> None:
    for i in range(45):
        client.post("/api/v1/statuses", json={"status": f"post {i}"})
    assert len(client.get("/api/v1/accounts/1/statuses", params={"limit": 100}).json()) == 40


def test_exclude_replies_keeps_only_top_level_posts(client: httpx.Client) -> None:
    statuses = client.get("/api/v1/accounts/1/statuses", params={"exclude_replies": "true"}).json()
    assert statuses
    assert all(s["in_reply_to_id"] is None for s in statuses)


def test_context_lists_descendants_of_all_depths_in_thread_order(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    spring = brand_post(sandbox, 1)
    context = client.get(f"/api/v1/statuses/{spring['id']}/context").json()
    thread = [(d["account"]["acct"], d["in_reply_to_id"]) for d in context["descendants"]]
    ids = [d["id"] for d in context["descendants"]]
    assert context["ancestors"] == []
    assert thread == [
        ("alice", spring["id"]),
        ("brand", ids[0]),
        ("alice", ids[1]),
        ("bob", spring["id"]),
    ]


def test_context_lists_ancestors_root_first(sandbox: Sandbox, client: httpx.Client) -> None:
    spring = brand_post(sandbox, 1)
    leaf = client.get(f"/api/v1/statuses/{spring['id']}/context").json()["descendants"][2]
    ancestors = client.get(f"/api/v1/statuses/{leaf['id']}/context").json()["ancestors"]
    assert [a["account"]["acct"] for a in ancestors] == ["brand", "alice", "brand"]


def test_notifications_filtered_by_types(client: httpx.Client) -> None:
    notes = client.get("/api/v1/notifications", params={"types[]": ["favourite"]}).json()
    assert notes
    assert {n["type"] for n in notes} == {"favourite"}


def test_notifications_exclude_types(client: httpx.Client) -> None:
    notes = client.get("/api/v1/notifications", params={"exclude_types[]": ["mention"]}).json()
    assert notes
    assert "mention" not in {n["type"] for n in notes}


def test_favourite_updates_count_and_notifies_author(sandbox: Sandbox) -> None:
    post = brand_post(sandbox, 2)
    with connect(sandbox, "dana") as dana:
        status = dana.post(f"/api/v1/statuses/{post['id']}/favourite").json()
    assert (status["favourites_count"], status["favourited"]) == (
        post["favourites_count"] + 1,
        True,
    )
    with connect(sandbox) as brand:
        latest = brand.get("/api/v1/notifications", params={"limit": 1}).json()[0]
    assert (latest["type"], latest["account"]["acct"]) == ("favourite", "dana")


def test_reblog_then_unreblog_restores_count(sandbox: Sandbox) -> None:
    post = brand_post(sandbox, 0)
    with connect(sandbox, "dana") as dana:
        wrapper = dana.post(f"/api/v1/statuses/{post['id']}/reblog").json()
        undone = dana.post(f"/api/v1/statuses/{post['id']}/unreblog").json()
    assert wrapper["reblog"]["reblogs_count"] == post["reblogs_count"] + 1
    assert (undone["reblogs_count"], undone["reblogged"]) == (post["reblogs_count"], False)


def test_reply_notifies_replied_to_author_with_mention(sandbox: Sandbox) -> None:
    with connect(sandbox, "dana") as dana:
        dana.post(
            "/api/v1/statuses",
            json={"status": "no at-sign here", "in_reply_to_id": brand_post(sandbox, 0)["id"]},
        )
    with connect(sandbox) as brand:
        latest = brand.get("/api/v1/notifications", params={"types[]": "mention"}).json()[0]
    assert (latest["account"]["acct"], latest["status"]["content"]) == (
        "dana",
        "<p>no at-sign here</p>",
    )


def test_search_matches_status_text_case_insensitively(client: httpx.Client) -> None:
    result = client.get("/api/v2/search", params={"q": "SHIPPING GUIDE", "type": "statuses"})
    statuses = result.json()["statuses"]
    assert [s["account"]["acct"] for s in statuses] == ["brand"]
    assert result.json()["accounts"] == []


def test_search_finds_accounts_and_hashtags(client: httpx.Client) -> None:
    result = client.get("/api/v2/search", params={"q": "chen"}).json()
    assert [a["acct"] for a in result["accounts"]] == ["chen_wei"]
    tags = client.get("/api/v2/search", params={"q": "#spring", "type": "hashtags"}).json()
    assert [t["name"] for t in tags["hashtags"]] == ["springlaunch"]


# -- media ------------------------------------------------------------------------------------


def test_image_upload_answers_200_with_url(client: httpx.Client) -> None:
    resp = client.post(
        "/api/v2/media",
        files={"file": ("a.png", PNG, "image/png")},
        data={"description": "alt text"},
    )
    media = resp.json()
    assert resp.status_code == 200
    assert (media["type"], media["description"]) == ("image", "alt text")
    assert client.get(media["url"]).content == PNG


def test_video_is_processing_206_then_200(client: httpx.Client) -> None:
    upload = client.post("/api/v2/media", files={"file": ("v.mp4", b"\0" * 64, "video/mp4")})
    polls = [client.get(f"/api/v1/media/{upload.json()['id']}") for _ in range(2)]
    assert (upload.status_code, upload.json()["url"]) == (202, None)
    assert [p.status_code for p in polls] == [206, 200]
    assert polls[1].json()["url"]


def test_video_processing_polls_is_configurable() -> None:
    with connect(Sandbox(video_processing_polls=3)) as http:
        media_id = http.post("/api/v2/media", files={"file": ("v.mp4", b"\0", "video/mp4")}).json()[
            "id"
        ]
        codes = [http.get(f"/api/v1/media/{media_id}").status_code for _ in range(4)]
    assert codes == [206, 206, 206, 200]


def test_status_with_unprocessed_media_is_rejected(client: httpx.Client) -> None:
    media = client.post("/api/v2/media", files={"file": ("v.mp4", b"\0", "video/mp4")}).json()
    resp = client.post("/api/v1/statuses", json={"status": "clip", "media_ids": [media["id"]]})
    assert resp.status_code == 422


def test_status_attaches_uploaded_image(client: httpx.Client) -> None:
    media = client.post("/api/v2/media", files={"file": ("a.png", PNG, "image/png")}).json()
    status = client.post("/api/v1/statuses", data={"media_ids[]": [media["id"]]}).json()
    assert [m["id"] for m in status["media_attachments"]] == [media["id"]]


# -- auth, errors, limits, faults --------------------------------------------------------------


def test_unknown_token_creates_a_user(sandbox: Sandbox) -> None:
    with connect(sandbox, "new-fan!") as http:
        me = http.get("/api/v1/accounts/verify_credentials").json()
    assert (me["username"], me["acct"], me["statuses_count"]) == ("new_fan", "new_fan", 0)


def test_missing_token_is_401(sandbox: Sandbox) -> None:
    with connect(sandbox, None) as http:
        resp = http.get("/api/v1/accounts/verify_credentials")
    assert (resp.status_code, resp.json()) == (401, {"error": "The access token is invalid"})


def test_unknown_path_is_404(client: httpx.Client) -> None:
    resp = client.get("/api/v1/nothing/here")
    assert (resp.status_code, resp.json()) == (404, {"error": "Record not found"})


def test_instance_reports_status_limits(client: httpx.Client) -> None:
    config = client.get("/api/v2/instance").json()["configuration"]
    assert config["statuses"] == {
        "max_characters": 500,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }


def test_every_response_carries_rate_limit_headers(client: httpx.Client) -> None:
    resp = client.get("/api/v1/nothing")
    assert resp.headers["X-RateLimit-Limit"] == "300"
    assert ISO_MS.match(resp.headers["X-RateLimit-Reset"])


def test_rate_limit_answers_429_with_headers() -> None:
    clock = FakeClock()
    with connect(Sandbox(rate_limit=(2, 60.0), clock=clock)) as http:
        codes = [http.get("/api/v1/accounts/1").status_code for _ in range(3)]
        last = http.get("/api/v1/accounts/1")
        clock.now += timedelta(seconds=60)
        after_reset = http.get("/api/v1/accounts/1")
    assert codes == [200, 200, 429]
    assert last.json() == {"error": "Too many requests"}
    assert (last.headers["X-RateLimit-Limit"], last.headers["X-RateLimit-Remaining"]) == ("2", "0")
    assert last.headers["X-RateLimit-Reset"] == "2025-03-01T12:01:00.000Z"
    assert after_reset.status_code == 200


def test_rate_limit_is_per_token() -> None:
    sandbox = Sandbox(rate_limit=(1, 60.0))
    with connect(sandbox) as brand, connect(sandbox, "alice") as alice:
        brand.get("/api/v1/accounts/1")
        assert alice.get("/api/v1/accounts/1").status_code == 200


def test_fail_next_answers_status_with_retry_after(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.fail_next(503, times=2, retry_after=1.5)
    codes = [client.get("/api/v1/accounts/1") for _ in range(3)]
    assert [r.status_code for r in codes] == [503, 503, 200]
    assert codes[0].headers["Retry-After"] == "1.5"
    assert codes[0].json() == {"error": "Remote data could not be fetched"}


def test_fail_next_only_matches_its_path(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.fail_next(500, path="/api/v1/statuses")
    assert client.get("/api/v1/accounts/1").status_code == 200
    assert client.post("/api/v1/statuses", json={"status": "x"}).status_code == 500


def test_timeout_after_processing_still_creates_the_status(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    before = len(sandbox.statuses())
    sandbox.timeout_next(after_processing=True)
    with pytest.raises(httpx.ReadTimeout):
        client.post("/api/v1/statuses", json={"status": "lost reply"})
    assert len(sandbox.statuses()) == before + 1


def test_timeout_before_processing_changes_nothing(sandbox: Sandbox, client: httpx.Client) -> None:
    before = len(sandbox.statuses())
    sandbox.timeout_next()
    with pytest.raises(httpx.ReadTimeout):
        client.post("/api/v1/statuses", json={"status": "never"})
    assert len(sandbox.statuses()) == before


def test_retry_with_idempotency_key_after_lost_response_posts_once(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    sandbox.timeout_next(after_processing=True)
    headers = {"Idempotency-Key": "k1"}
    with pytest.raises(httpx.ReadTimeout):
        client.post("/api/v1/statuses", json={"status": "exactly once"}, headers=headers)
    client.post("/api/v1/statuses", json={"status": "exactly once"}, headers=headers)
    contents = [s["content"] for s in sandbox.statuses(account="brand")]
    assert contents.count("<p>exactly once</p>") == 1


def test_requests_are_recorded(sandbox: Sandbox, client: httpx.Client) -> None:
    client.post("/api/v1/statuses?x=1", data={"status": "hi", "media_ids[]": ["1", "2"]})
    recorded = sandbox.requests[-1]
    assert (recorded.method, recorded.path, recorded.query) == (
        "POST",
        "/api/v1/statuses",
        (("x", "1"),),
    )
    assert recorded.form == (("status", "hi"), ("media_ids[]", "1"), ("media_ids[]", "2"))
    assert recorded.headers["authorization"] == "Bearer brand"
    assert "brand" not in repr(recorded)


# -- audience simulation -----------------------------------------------------------------------


def test_simulate_reply_appears_in_context(sandbox: Sandbox, client: httpx.Client) -> None:
    post = brand_post(sandbox, 0)
    reply = sandbox.simulate_reply(post["id"], "Nice!", author="erin")
    context = client.get(f"/api/v1/statuses/{post['id']}/context").json()
    assert reply["id"] in [d["id"] for d in context["descendants"]]


def test_simulate_mention_notifies_brand(sandbox: Sandbox, client: httpx.Client) -> None:
    status = sandbox.simulate_mention("love your stuff", author="bob")
    latest = client.get("/api/v1/notifications", params={"types[]": "mention"}).json()[0]
    assert latest["status"]["id"] == status["id"]
    assert status["mentions"][0]["acct"] == "brand"


def test_simulate_reactions_adds_likes_and_reposts(sandbox: Sandbox, client: httpx.Client) -> None:
    post = brand_post(sandbox, 2)
    sandbox.simulate_reactions(post["id"], likes=5, reposts=2)
    status = client.get(f"/api/v1/statuses/{post['id']}").json()
    assert (status["favourites_count"], status["reblogs_count"]) == (
        post["favourites_count"] + 5,
        post["reblogs_count"] + 2,
    )


def test_seed_is_deterministic() -> None:
    assert Sandbox().statuses() == Sandbox().statuses()


def test_without_seed_only_the_brand_exists() -> None:
    sandbox = Sandbox(seed=False)
    with connect(sandbox) as http:
        assert http.get("/api/v1/accounts/1/statuses").json() == []
    assert sandbox.statuses() == []


# -- transports ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_transport_latency_overlaps() -> None:
    sandbox = Sandbox(latency=0.05)
    headers = {"Authorization": "Bearer brand"}
    async with httpx.AsyncClient(
        transport=sandbox.transport(), base_url=sandbox.base_url, headers=headers
    ) as http:
        codes: list[int] = []

        async def call() -> None:
            codes.append((await http.get("/api/v1/accounts/1")).status_code)

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(call)
        elapsed = time.perf_counter() - started
    assert codes == [200] * 20
    assert elapsed < 0.5


def test_sync_transport_sleeps_latency() -> None:
    sandbox = Sandbox(latency=0.05)
    with connect(sandbox) as http:
        started = time.perf_counter()
        http.get("/api/v1/accounts/1")
    assert time.perf_counter() - started >= 0.05


def test_loopback_server_answers_real_http(sandbox: Sandbox) -> None:
    with (
        sandbox.serve() as url,
        httpx.Client(
            base_url=url, headers={"Authorization": "Bearer brand"}, trust_env=False
        ) as http,
    ):
        resp = http.get("/api/v1/accounts/1/statuses", params={"limit": 1})
    assert resp.status_code == 200
    assert resp.headers["link"].startswith(f"<{url}/api/v1/accounts/1/statuses?")
    assert resp.json()[0]["url"].startswith(f"{url}/@brand/")


def test_loopback_server_accepts_uploads(sandbox: Sandbox) -> None:
    with (
        sandbox.serve() as url,
        httpx.Client(
            base_url=url, headers={"Authorization": "Bearer brand"}, trust_env=False
        ) as http,
    ):
        media = http.post("/api/v2/media", files={"file": ("a.png", PNG, "image/png")}).json()
        assert http.get(media["url"]).content == PNG


def test_main_rejects_unknown_arguments() -> None:
    with pytest.raises(SystemExit):
        main(["--bogus"])


def test_helpers_raise_sandbox_error_for_unknown_post(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError):
        sandbox.simulate_reply("12345", "hello?")
