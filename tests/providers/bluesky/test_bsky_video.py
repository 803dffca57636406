"""Video: service auth, upload to the video service, job polling with sleeps, the embed."""

from __future__ import annotations

import httpx
import pytest
import respx

import socialkit as sk

from .bsky_support import DID, VIDEO, Driver, body, created, load, mp4, xrpc

UPLOAD = xrpc("app.bsky.video.uploadVideo", VIDEO)
STATUS = xrpc("app.bsky.video.getJobStatus", VIDEO)


@pytest.fixture
def service(api: respx.MockRouter) -> respx.MockRouter:
    """Service auth, the video service (processing takes two polls) and createRecord."""
    api.get(xrpc("com.atproto.server.getServiceAuth"), name="auth").respond(
        json=load("getServiceAuth")
    )
    api.post(UPLOAD, name="upload").respond(json=load("uploadVideo"))
    api.get(STATUS, name="status").side_effect = [
        httpx.Response(200, json=load("getJobStatus_encoding")),
        httpx.Response(200, json=load("getJobStatus_completed")),
    ]
    api.post(xrpc("com.atproto.repo.createRecord"), name="create").mock(side_effect=created)
    return api


def video_draft(data: bytes | None = None) -> sk.Draft:
    upload = sk.MediaUpload(data=data or mp4(1920, 1080), filename="clip.mp4", alt_text="Demo")
    return sk.Draft(text="Watch this", media=(upload,))


def test_service_auth_is_asked_for_the_pds_and_upload_blob(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    bsky.publish(video_draft())
    params = service["auth"].calls.last.request.url.params
    assert params["aud"] == "did:web:morel.us-east.host.bsky.network"
    assert params["lxm"] == "com.atproto.repo.uploadBlob"
    assert int(params["exp"]) > 0


def test_video_is_uploaded_to_the_video_service_with_the_service_token(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    data = mp4(1920, 1080)
    bsky.publish(video_draft(data))
    request = service["upload"].calls.last.request
    assert dict(request.url.params) == {"did": DID, "name": "clip.mp4"}
    assert request.headers["Content-Type"] == "video/mp4"
    assert request.headers["Authorization"] == f"Bearer {load('getServiceAuth')['token']}"
    assert request.content == data


def test_job_is_polled_with_sleeps_until_it_has_the_blob(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    bsky.publish(video_draft())
    jobs = [call.request.url.params["jobId"] for call in service["status"].calls]
    assert jobs == ["cuo3j7uijd0s73b0d5hg"] * 2
    assert sleeps == [1.0, 1.5]
    assert "Authorization" not in service["status"].calls.last.request.headers


def test_video_embed_carries_blob_alt_and_aspect_ratio(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    bsky.publish(video_draft(mp4(1920, 1080, rotated=True)))
    embed = body(service["create"].calls.last.request)["record"]["embed"]
    assert embed == {
        "$type": "app.bsky.embed.video",
        "video": load("getJobStatus_completed")["jobStatus"]["blob"],
        "alt": "Demo",
        "aspectRatio": {"width": 1080, "height": 1920},
    }


def test_video_already_processed_reuses_its_job(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    service["upload"].respond(409, json={
        "did": DID, "error": "already_exists", "jobId": "cuo3j7uijd0s73b0d5hg",
        "message": "Video already processed", "state": "JOB_STATE_COMPLETED",
    })
    service["status"].side_effect = None
    service["status"].respond(json=load("getJobStatus_completed"))
    post = bsky.publish(video_draft())
    assert post.id.startswith(f"at://{DID}/app.bsky.feed.post/")
    assert service["status"].call_count == 1


def test_failed_video_job_raises_without_posting(
    bsky: Driver, service: respx.MockRouter, sleeps: list[float]
) -> None:
    service["status"].side_effect = None
    service["status"].respond(json=load("getJobStatus_failed"))
    with pytest.raises(sk.PlatformError, match="Failed to process video") as raised:
        bsky.publish(video_draft())
    assert raised.value.code == "encoding_failure"
    assert service["create"].call_count == 0


def test_video_still_processing_after_the_wait_raises(
    kind: str, service: respx.MockRouter, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialkit.providers.bluesky import Bluesky

    monkeypatch.setattr(Bluesky, "video_wait", 3.0)
    service["status"].side_effect = None
    service["status"].respond(json=load("getJobStatus_encoding"))
    with pytest.raises(sk.PlatformError, match="still processing") as raised:
        Driver(kind).publish(video_draft())
    assert raised.value.code == "timeout"
    assert sum(sleeps) >= 3.0
    assert service["create"].call_count == 0


def test_non_mp4_video_is_refused_before_any_request(bsky: Driver, api: respx.MockRouter) -> None:
    upload = sk.MediaUpload(data=b"\x1aE\xdf\xa3", filename="clip.webm")
    with pytest.raises(sk.InvalidContent) as raised:
        bsky.publish(sk.Draft(text="x", media=(upload,)))
    assert raised.value.rule == "media_type"
    assert not api.calls
