"""The token and ``appsecret_proof`` ride in the query, and never show."""

from __future__ import annotations

import hashlib
import hmac
import logging

import httpx
import pytest
import respx
from pydantic import SecretStr

import socialkit as sk
from socialkit.providers.facebook import Facebook
from socialkit.providers.meta import GraphToken, appsecret_proof

from .meta_support import APP_SECRET, TOKEN


def test_appsecret_proof_is_the_hmac_sha256_of_the_token() -> None:
    expected = hmac.new(b"secret", b"token", hashlib.sha256).hexdigest()
    assert appsecret_proof("token", "secret") == expected


def test_the_token_is_sent_as_a_bearer_header_not_in_the_query() -> None:
    request = httpx.Request("GET", "https://graph.facebook.com/v25.0/1?fields=id")
    GraphToken(SecretStr(TOKEN)).apply(request)
    assert dict(request.url.params) == {"fields": "id"}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_the_proof_is_added_with_an_app_secret() -> None:
    request = httpx.Request("POST", "https://graph.facebook.com/v25.0/1/feed")
    GraphToken(SecretStr(TOKEN), SecretStr(APP_SECRET)).apply(request)
    assert request.url.params["appsecret_proof"] == appsecret_proof(TOKEN, APP_SECRET)


def test_the_credential_repr_hides_the_token() -> None:
    shown = repr(GraphToken(SecretStr(TOKEN), SecretStr(APP_SECRET)))
    assert TOKEN not in shown
    assert APP_SECRET not in shown


@respx.mock(base_url="https://graph.facebook.com")
def test_logged_urls_redact_the_token_and_the_proof(
    respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.get("/v25.0/42").respond(200, json={"id": "42", "name": "Brand"})
    platform = Facebook(page_id="42", access_token=TOKEN, app_secret=APP_SECRET)
    with caplog.at_level(logging.DEBUG, logger="socialkit"), sk.Client(platform) as client:
        client.me()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "access_token" not in logged
    assert "appsecret_proof=***" in logged
    assert TOKEN not in logged
    assert appsecret_proof(TOKEN, APP_SECRET) not in logged
