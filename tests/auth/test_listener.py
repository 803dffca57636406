"""The one-shot loopback listener that receives the OAuth redirect."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from socialkit.auth import LoopbackListener
from socialkit.errors import AuthError, ConfigError

STATE = "s-0123456789"


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    with LoopbackListener(STATE, timeout=5) as running:
        yield running


def get(listener: LoopbackListener, query: str, path: str = "/callback") -> httpx.Response:
    host, port = listener.address
    with httpx.Client(trust_env=False) as http:
        return http.get(f"http://{host}:{port}{path}?{query}")


def test_it_returns_the_redirect_parameters(listener: LoopbackListener) -> None:
    assert get(listener, f"code=abc&state={STATE}").status_code == 200
    assert listener.wait() == {"code": "abc", "state": STATE}


def test_it_shows_a_page_that_says_the_tab_can_be_closed(listener: LoopbackListener) -> None:
    page = get(listener, f"code=abc&state={STATE}")
    assert page.headers["Content-Type"].startswith("text/html")
    assert "close this tab" in page.text


def test_a_wrong_state_is_rejected(listener: LoopbackListener) -> None:
    assert get(listener, "code=abc&state=forged").status_code == 400
    with pytest.raises(AuthError, match="wrong state"):
        listener.wait()


def test_a_missing_state_is_rejected(listener: LoopbackListener) -> None:
    assert get(listener, "code=abc").status_code == 400
    with pytest.raises(AuthError, match="wrong state"):
        listener.wait()


def test_only_the_first_redirect_is_accepted(listener: LoopbackListener) -> None:
    get(listener, f"code=first&state={STATE}")
    assert get(listener, f"code=second&state={STATE}").status_code == 410
    assert listener.wait()["code"] == "first"


def test_it_stops_listening_after_the_redirect(listener: LoopbackListener) -> None:
    get(listener, f"code=abc&state={STATE}")
    host, port = listener.address
    listener.wait()
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(f"http://{host}:{port}/callback?code=again&state={STATE}")


def test_other_paths_do_not_count_as_the_redirect(listener: LoopbackListener) -> None:
    assert get(listener, "", path="/favicon.ico").status_code == 404
    assert get(listener, f"code=abc&state={STATE}").status_code == 200
    assert listener.wait()["code"] == "abc"


def test_it_binds_the_ipv4_loopback_address_only(listener: LoopbackListener) -> None:
    host, port = listener.address
    assert host == "127.0.0.1"
    assert port > 0
    assert listener.redirect_uri == f"http://127.0.0.1:{port}/callback"


@pytest.mark.parametrize("host", ["0.0.0.0", "", "192.168.1.10", "localhost", "::"])
def test_a_non_loopback_host_is_refused(host: str) -> None:
    with pytest.raises(ConfigError, match="loopback"):
        LoopbackListener(STATE, host=host)


def test_it_stops_at_its_timeout() -> None:
    listener = LoopbackListener(STATE, timeout=0.2).start()
    host, port = listener.address
    started = time.monotonic()
    with pytest.raises(AuthError, match=r"within 0\.2 s"):
        listener.wait()
    assert time.monotonic() - started < 3
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(f"http://{host}:{port}/callback?code=late&state={STATE}")


def test_the_code_never_reaches_stderr(
    listener: LoopbackListener, capfd: pytest.CaptureFixture[str]
) -> None:
    get(listener, f"code=CODE-CANARY&state={STATE}")
    listener.wait()
    captured = capfd.readouterr()
    assert "CODE-CANARY" not in captured.err + captured.out


def test_a_fixed_port_is_used_when_asked() -> None:
    with LoopbackListener(STATE) as probe:
        free = probe.address[1]
    with LoopbackListener(STATE, port=free, path="/cb") as fixed:
        assert fixed.redirect_uri == f"http://127.0.0.1:{free}/cb"
