"""OAuth 1.0a signing (RFC 5849, HMAC-SHA1) through authlib's client code."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

import httpx

from socialkit.auth import Credential, OAuth1Credential

# The worked example of X's (Twitter's) "Creating a signature" documentation.
CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
TOKEN = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
TIMESTAMP = 1318622958
URL = "https://api.twitter.com/1.1/statuses/update.json"
STATUS = "Hello Ladies + Gentlemen, a signed OAuth request!"


def credential() -> OAuth1Credential:
    return OAuth1Credential(CONSUMER_KEY, CONSUMER_SECRET, TOKEN, TOKEN_SECRET)


def header_params(request: httpx.Request) -> dict[str, str]:
    scheme, _, rest = request.headers["Authorization"].partition(" ")
    assert scheme == "OAuth"
    pairs = (item.strip().split("=", 1) for item in rest.split(","))
    return {key: value.strip('"') for key, value in pairs}


def signed(request: httpx.Request) -> dict[str, str]:
    credential().sign(request, nonce=NONCE, timestamp=TIMESTAMP)
    return header_params(request)


def example() -> httpx.Request:
    return httpx.Request("POST", URL, params={"include_entities": "true"}, data={"status": STATUS})


def test_the_documented_example_signature_is_reproduced() -> None:
    assert signed(example())["oauth_signature"] == quote("hCtSmYh+iHYCEqBWrE7C7hYmtUk=", safe="")


def test_the_header_carries_the_protocol_parameters() -> None:
    params = signed(example())
    assert {k: v for k, v in params.items() if k != "oauth_signature"} == {
        "oauth_consumer_key": CONSUMER_KEY,
        "oauth_nonce": NONCE,
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(TIMESTAMP),
        "oauth_token": TOKEN,
        "oauth_version": "1.0",
    }


def hand_signature(method: str, url: str, params: dict[str, str]) -> str:
    """RFC 5849 §3.4, written out: base string, then HMAC-SHA1 with the two secrets."""

    def enc(text: str) -> str:
        return quote(text, safe="~-._")

    normalized = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    base = "&".join([method, enc(url), enc(normalized)])
    key = f"{enc(CONSUMER_SECRET)}&{enc(TOKEN_SECRET)}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()


def test_a_query_and_form_body_are_signed_per_rfc5849() -> None:
    request = httpx.Request(
        "POST", "https://api.x.com/1.1/x.json", params={"a": "1 2"}, data={"b": "ü&="}
    )
    params = signed(request)
    expected = hand_signature(
        "POST",
        "https://api.x.com/1.1/x.json",
        {
            "a": "1 2",
            "b": "ü&=",
            **{k: v for k, v in params.items() if k != "oauth_signature"},
        },
    )
    assert params["oauth_signature"] == quote(expected, safe="")


def test_a_json_body_is_not_signed_and_is_left_intact() -> None:
    request = httpx.Request("POST", "https://api.x.com/2/tweets", json={"text": "hi"})
    params = signed(request)
    expected = hand_signature(
        "POST",
        "https://api.x.com/2/tweets",
        {k: v for k, v in params.items() if k != "oauth_signature"},
    )
    assert params["oauth_signature"] == quote(expected, safe="")
    assert request.content == b'{"text":"hi"}'


def test_each_application_uses_a_fresh_nonce() -> None:
    first, second = example(), example()
    credential().apply(first)
    credential().apply(second)
    assert header_params(first)["oauth_nonce"] != header_params(second)["oauth_nonce"]


def test_it_is_a_credential_whose_repr_hides_the_secrets() -> None:
    value = OAuth1Credential("key", "CS-CANARY", "TOKEN-CANARY", "TS-CANARY")
    assert isinstance(value, Credential)
    assert "CANARY" not in repr(value)
    assert "CANARY" not in str(value)
