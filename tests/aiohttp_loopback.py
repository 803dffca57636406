"""A real TLS server on loopback that answers from the active respx routes.

respx mocks httpx's own transport; the aiohttp transport never reaches it. So
that the driver tests prove the same behaviour on aiohttp, this server speaks
real HTTP/1.1 over TLS on 127.0.0.1, answers each request from whatever respx
routes are active (so the tests' routes, call counts and recorded requests work
unchanged), and aiohttp resolves every host name to it.
"""

from __future__ import annotations

import asyncio
import datetime
import socket
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from respx.mocks import HTTPCoreMocker

NAMES = ("toy.example", "cdn.elsewhere.example", "api.oauth.example", "localhost")


def certificate(names: tuple[str, ...] = NAMES) -> tuple[bytes, bytes]:
    """A self-signed certificate (PEM) for ``names`` and its key (PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


class LoopbackResolver(AbstractResolver):
    """Resolves every host name to 127.0.0.1 and every port to the server's."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host="127.0.0.1",
                port=self.port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        return None


def _answer(request: httpx.Request) -> bytes | None:
    """The bytes of respx's answer, or None for a simulated transport failure."""
    try:
        response = HTTPCoreMocker.handler(request)
    except Exception:
        return None
    if response is None:
        return None
    stream = response.stream  # the body as sent: a compressed body stays compressed
    body = b"".join(stream) if isinstance(stream, httpx.ByteStream) else response.read()
    lines = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    for name, value in response.headers.multi_items():
        if name.lower() not in ("content-length", "transfer-encoding", "connection"):
            lines.append(f"{name}: {value}")
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class RespxServer:
    """The TLS server; start it inside the event loop the clients run in."""

    def __init__(self) -> None:
        cert, key = certificate()
        self.cert_pem = cert
        self._server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        with tempfile.TemporaryDirectory() as folder:  # load_cert_chain reads files only
            pem = Path(folder) / "server.pem"
            pem.write_bytes(cert + key)
            self._server_ssl.load_cert_chain(pem)
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", 0, ssl=self._server_ssl
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    def session_factory(self) -> Callable[[], aiohttp.ClientSession]:
        """What the aiohttp transport makes its session with: trusting us, resolving to us."""
        client_ssl = ssl.create_default_context(cadata=self.cert_pem.decode())

        def make() -> aiohttp.ClientSession:
            connector = aiohttp.TCPConnector(resolver=LoopbackResolver(self.port), ssl=client_ssl)
            return aiohttp.ClientSession(connector=connector)

        return make

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
                method, target, _ = request_line.split(" ", 2)
                pairs = [tuple(part.strip() for part in h.split(":", 1)) for h in header_lines]
                named = {k.lower(): v for k, v in pairs}
                length = int(named.get("content-length", 0))
                body = await reader.readexactly(length) if length else b""
                host = named["host"].split(":")[0]
                request = httpx.Request(
                    method, f"https://{host}{target}", headers=pairs, content=body
                )
                answer = _answer(request)
                if answer is None:  # a simulated failure: drop the connection
                    break
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()
