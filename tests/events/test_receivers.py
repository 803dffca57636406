"""Every receiver: a valid delivery is parsed, a bad signature is refused before parsing,
the handshake is answered, a replay is not yielded twice, oversized and malformed bodies
are 400s."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock

import pytest

from socialkit.webhooks import Receipt, Receiver

from .support import CASES, SECRET, Case

pytestmark = pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])


def _spy(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Mock:
    spy = Mock(side_effect=receiver.parse)
    monkeypatch.setattr(receiver, "parse", spy)
    return spy


def test_a_signed_delivery_yields_its_events(case: Case) -> None:
    receipt = case.make().receive("POST", *case.signed())
    assert receipt.status == 200
    assert len(receipt.events) == case.events
    assert receipt.duplicates == 0


def test_a_bad_signature_is_403_with_an_empty_body_and_nothing_parsed(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = case.make()
    spy = _spy(receiver, monkeypatch)
    headers, query, body = case.signed()
    if case.name == "weibo":  # Weibo signs the query, not the body: tamper with the query
        receipt = receiver.receive("POST", headers, {**query, "nonce": "1"}, body)
    else:
        receipt = receiver.receive("POST", headers, query, body.replace(b"}", b" }", 1))
    assert (receipt.status, receipt.body, receipt.events) == (403, b"", ())
    spy.assert_not_called()


def test_a_missing_signature_is_403_and_nothing_parsed(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = case.make()
    spy = _spy(receiver, monkeypatch)
    receipt = receiver.receive("POST", {"Content-Type": "application/json"}, {}, case.body)
    assert (receipt.status, receipt.body) == (403, b"")
    spy.assert_not_called()


def test_a_signature_made_with_another_secret_is_403(case: Case) -> None:
    other = type(case.make())  # the same receiver type, keyed with another secret
    args: dict[str, Any] = {"verify_token": "x"} if case.name == "meta" else {}
    if case.name == "tiktok":
        args["clock"] = case.make()._clock  # type: ignore[attr-defined]
    receiver = other("another-secret", **args)  # type: ignore[call-arg]
    assert receiver.receive("POST", *case.signed()).status == 403


def test_the_secret_is_in_no_repr_and_no_answer(case: Case) -> None:
    receiver = case.make()
    receipts = [
        receiver.receive("GET", {}, case.handshake, b""),
        receiver.receive("POST", *case.signed()),
        receiver.receive("POST", {}, {}, case.body),
    ]
    for shown in [repr(receiver), *(repr(receipt) for receipt in receipts)]:
        assert SECRET not in shown


def test_the_handshake_is_answered(case: Case) -> None:
    receipt = case.make().receive("GET", {}, case.handshake, b"")
    assert receipt.status == case.handshake_status
    assert case.handshake_check(receipt.body)


def test_a_wrong_handshake_is_refused(case: Case) -> None:
    if not case.bad_handshake:
        pytest.skip("this platform's handshake has no secret to get wrong")
    receipt = case.make().receive("GET", {}, case.bad_handshake, b"")
    assert (receipt.status, receipt.body) == (403, b"")


def test_a_replayed_delivery_is_accepted_but_not_yielded_twice(case: Case) -> None:
    receiver = case.make()
    first = receiver.receive("POST", *case.signed())
    again = receiver.receive("POST", *case.signed())
    assert len(first.events) == case.events
    assert (again.status, again.events, again.duplicates) == (200, (), case.events)


def test_forgetting_a_receipt_lets_the_retry_through(case: Case) -> None:
    receiver = case.make()
    first = receiver.receive("POST", *case.signed())
    receiver.forget(first)
    assert len(receiver.receive("POST", *case.signed()).events) == case.events


def test_an_oversized_body_is_400_unverified(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = case.make()
    receiver.max_body = len(case.body) - 1
    verify = Mock(side_effect=receiver.verify)
    monkeypatch.setattr(receiver, "verify", verify)
    receipt = receiver.receive("POST", *case.signed())
    assert (receipt.status, receipt.events) == (400, ())
    verify.assert_not_called()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2", "\udc00".encode("utf-8", "surrogatepass"), b"[" * 100_000]
)
def test_a_signed_malformed_body_is_400(case: Case, body: bytes) -> None:
    receipt = case.make().receive("POST", *case.signed(body))
    assert (receipt.status, receipt.events) == (400, ())


def test_a_signed_body_of_the_wrong_shape_is_400(case: Case) -> None:
    receipt = case.make().receive("POST", *case.signed(b'"just a string"'))
    assert isinstance(receipt, Receipt)
    assert (receipt.status, receipt.events) == (400, ())


def test_other_methods_are_405(case: Case) -> None:
    assert case.make().receive("PUT", *case.signed()).status == 405


def test_an_answered_handshake_says_what_its_body_is(case: Case) -> None:
    receipt = case.make().receive("GET", {}, case.handshake, b"")
    if not receipt.body:
        pytest.skip("this platform's handshake has no body")
    kind = "application/json" if receipt.body.startswith(b"{") else "text/plain; charset=utf-8"
    assert receipt.headers == {"content-type": kind}


def test_the_repr_names_the_receiver_and_its_platform(case: Case) -> None:
    receiver = case.make()
    assert repr(receiver) == f"{type(receiver).__name__}(platform={case.name!r})"
