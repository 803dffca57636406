"""The sandbox as an ASGI app: in process through httpx's ASGITransport, and under uvicorn
on a loopback port (faults that need a real connection, the multiplexed WebSocket)."""

from __future__ import annotations

import json
import threading
import time

import anyio
import httpx
import pytest
import websockets.exceptions
import websockets.sync.client as ws_client

from socialkit.testing import Sandbox

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
AUTH = {"Authorization": "Bearer brand"}


@pytest.mark.anyio
async def test_the_asgi_app_answers_in_process_as_the_transport_does() -> None:
    sandbox = Sandbox()
    transport = httpx.ASGITransport(app=sandbox.asgi_app())
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.test", headers=AUTH
    ) as http:
        page = await http.get("/api/v1/accounts/1/statuses", params={"limit": 1})
        media = await http.post("/api/v2/media", files={"file": ("a.png", PNG, "image/png")})
        fetched = await http.get(media.json()["url"])
    assert page.status_code == 200
    assert page.headers["link"].startswith("<http://sandbox.test/api/v1/accounts/1/statuses?")
    assert page.headers["x-ratelimit-limit"] == "300"
    assert fetched.content == PNG
    assert sandbox.requests[1].files["file"].filename == "a.png"


@pytest.mark.anyio
async def test_a_lost_answer_in_process_through_the_asgi_app_is_a_read_timeout() -> None:
    sandbox = Sandbox(seed=False)
    sandbox.timeout_next(after_processing=True)
    transport = httpx.ASGITransport(app=sandbox.asgi_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://s.test",
                                 headers=AUTH) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/api/v1/statuses", json={"status": "processed, answer lost"})
    assert len(sandbox.statuses()) == 1


def test_multipart_fields_and_files_are_parsed_by_python_multipart() -> None:
    sandbox = Sandbox()
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url,
                      headers=AUTH) as http:
        http.post(
            "/api/v2/media",
            data={"description": "a caption; with \"quotes\"", "focus": "0.1,0.2"},
            files={"file": ('we"ird name.png', PNG, "image/png")},
        )
    recorded = sandbox.requests[-1]
    assert recorded.form == (("description", 'a caption; with "quotes"'), ("focus", "0.1,0.2"))
    assert recorded.files["file"].data == PNG
    assert recorded.files["file"].content_type == "image/png"


def test_a_malformed_multipart_body_is_a_400() -> None:
    sandbox = Sandbox()
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url,
                      headers=AUTH) as http:
        response = http.post(
            "/api/v1/statuses",
            content=b"--b\r\nno headers end here",
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    assert response.status_code == 400


def test_a_lost_answer_on_a_port_cuts_the_connection_after_processing() -> None:
    sandbox = Sandbox(seed=False)
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    with sandbox.serve() as url, httpx.Client(base_url=url, headers=AUTH, trust_env=False) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/api/v1/statuses", json={"status": "committed, answer lost"})
        assert http.get("/api/v1/accounts/1").status_code == 200  # the server lives on
    assert [s["content"] for s in sandbox.statuses()] == ["<p>committed, answer lost</p>"]


def test_stopping_the_server_cuts_an_open_event_stream_unfinished() -> None:
    sandbox = Sandbox(seed=False)
    served = sandbox.serve()
    url = served.__enter__()
    errors: list[BaseException] = []

    def read() -> None:
        with httpx.Client(base_url=url, headers=AUTH, trust_env=False) as http:
            try:
                with http.stream("GET", "/api/v1/streaming/user") as response:
                    for _ in response.iter_raw():
                        pass
            except httpx.HTTPError as exc:
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 5
    while sandbox.open_streams == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    served.__exit__(None, None, None)
    reader.join(5)
    assert len(errors) == 1
    assert isinstance(errors[0], httpx.RemoteProtocolError)
    assert sandbox.open_streams == 0


def test_a_client_hanging_up_closes_its_stream_on_the_server() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url, httpx.Client(base_url=url, headers=AUTH, trust_env=False) as http:
        with http.stream("GET", "/api/v1/streaming/user/notification") as response:
            chunks = response.iter_raw()  # kept: a dropped iterator closes the response
            assert next(chunks) == b":)\n"
            assert sandbox.open_streams == 1
        deadline = time.monotonic() + 5
        while sandbox.open_streams and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sandbox.open_streams == 0


def test_the_multiplexed_websocket_streams_mentions_as_json_in_a_string() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url:
        uri = url.replace("http", "ws") + "/api/v1/streaming?access_token=brand"
        with ws_client.connect(uri) as socket:
            socket.send(json.dumps({"type": "subscribe", "stream": "user:notification"}))
            deadline = time.monotonic() + 5
            while sandbox.open_streams == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            status = sandbox.simulate_mention("hello over a socket", author="bob")
            message = json.loads(socket.recv(timeout=5))
            assert message["stream"] == ["user:notification"]
            assert message["event"] == "notification"
            assert isinstance(message["payload"], str)
            payload = json.loads(message["payload"])
            assert (payload["type"], payload["status"]["id"]) == ("mention", status["id"])
            socket.send(json.dumps({"type": "unsubscribe", "stream": "user:notification"}))
            deadline = time.monotonic() + 5
            while sandbox.open_streams and time.monotonic() < deadline:
                time.sleep(0.01)
            assert sandbox.open_streams == 0


def test_the_websocket_timeline_stream_sends_updates_and_bare_delete_ids() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url:
        uri = url.replace("http", "ws") + "/api/v1/streaming"
        with ws_client.connect(uri, additional_headers=AUTH) as socket:
            socket.send(json.dumps({"type": "subscribe", "stream": "user"}))
            deadline = time.monotonic() + 5
            while sandbox.open_streams == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            with httpx.Client(base_url=url, headers=AUTH, trust_env=False) as http:
                post = http.post("/api/v1/statuses", json={"status": "live"}).json()
                http.delete(f"/api/v1/statuses/{post['id']}")
            update = json.loads(socket.recv(timeout=5))
            deleted = json.loads(socket.recv(timeout=5))
    assert (update["event"], json.loads(update["payload"])["id"]) == ("update", post["id"])
    assert (deleted["event"], deleted["payload"]) == ("delete", post["id"])


def test_the_websocket_refuses_a_connection_without_a_token() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url, pytest.raises(websockets.exceptions.InvalidStatus):
        ws_client.connect(url.replace("http", "ws") + "/api/v1/streaming")


def test_anyio_is_what_the_in_process_asgi_path_runs_on() -> None:
    async def main() -> int:
        transport = httpx.ASGITransport(app=Sandbox().asgi_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://s.test") as http:
            return (await http.get("/api/v1/accounts/1", headers=AUTH)).status_code

    assert anyio.run(main, backend="trio") == 200
