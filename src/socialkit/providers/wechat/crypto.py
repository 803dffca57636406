"""Signatures and the safe mode (安全模式) encryption of the message push.

Signature: SHA-1 of the sorted, concatenated token, timestamp and nonce (and, in safe
mode, the encrypted payload as ``msg_signature``). Encryption: AES-256-CBC with
key = base64decode(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to 32-byte
blocks, over 16 random bytes + 4-byte big-endian length + XML + AppID.
Sources: https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
and https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from ...errors import ConfigError

__all__ = ["CryptoError", "MessageCipher", "sign", "signature_matches"]

BLOCK = 32


class CryptoError(ValueError):
    """An encrypted payload that does not decrypt to a message for this app."""


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 (hex) of the parts sorted and concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8", "surrogatepass")).hexdigest()


def signature_matches(expected: str | None, *parts: str) -> bool:
    """Whether ``expected`` is the signature of ``parts`` (compared in constant time).

    The comparison is over bytes, so a non-ASCII ``expected`` is simply a mismatch.
    """
    if not expected:
        return False
    given = str(expected).lower().encode("utf-8", "surrogatepass")
    return hmac.compare_digest(given, sign(*parts).encode())


def _pad(data: bytes) -> bytes:
    size = BLOCK - len(data) % BLOCK
    return data + bytes([size]) * size


def _unpad(data: bytes) -> bytes:
    size = data[-1] if data else 0
    if not 1 <= size <= BLOCK or data[-size:] != bytes([size]) * size:
        raise CryptoError("bad PKCS#7 padding")
    return data[:-size]


class MessageCipher:
    """AES-256-CBC for one app's safe-mode messages (needs the ``cryptography`` package)."""

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(encoding_aes_key) != 43 or len(key) != 32:
            raise ConfigError(
                "encoding_aes_key must be the 43-character EncodingAESKey (消息加解密密钥)",
                field="encoding_aes_key",
                platform="wechat",
            )
        try:
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "WeChat safe mode needs the 'cryptography' package: pip install cryptography",
                field="encoding_aes_key",
                platform="wechat",
            ) from None
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(key[:16]))
        self.app_id = app_id

    def encrypt(self, xml: bytes, *, random: bytes | None = None) -> str:
        """The base64 payload of ``xml`` for this app."""
        prefix = random if random is not None else os.urandom(16)
        plain = _pad(prefix + struct.pack(">I", len(xml)) + xml + self.app_id.encode())
        encryptor = self._cipher.encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, payload: str) -> bytes:
        """The XML inside a payload; `CryptoError` unless it decrypts for this app."""
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("the payload is not base64") from exc
        if not data or len(data) % 16:
            raise CryptoError("the payload is not whole AES blocks")
        decryptor = self._cipher.decryptor()
        plain = _unpad(decryptor.update(data) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptoError("the payload is too short")
        (length,) = struct.unpack(">I", plain[16:20])
        xml, app_id = plain[20 : 20 + length], plain[20 + length :]
        if len(xml) != length:
            raise CryptoError("the payload's length field is wrong")
        if not hmac.compare_digest(app_id, self.app_id.encode()):
            raise CryptoError("the payload is for another app")
        return xml
