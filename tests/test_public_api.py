"""The public surface: `socialkit.__all__` is pinned, and the two drivers match."""

from __future__ import annotations

import inspect
import subprocess
import sys

import socialkit as sk

PUBLIC = {
    "Account",
    "AsyncClient",
    "AsyncPaginator",
    "AuthError",
    "Call",
    "Capability",
    "Client",
    "Comment",
    "ConfigError",
    "Draft",
    "Flow",
    "InvalidContent",
    "Limits",
    "Media",
    "MediaUpload",
    "Mention",
    "Metric",
    "NotFound",
    "ResultPage",
    "Paginator",
    "ParseError",
    "PermissionDenied",
    "Platform",
    "PlatformError",
    "PlatformSettings",
    "Post",
    "PublishUncertain",
    "RateLimited",
    "ReauthRequired",
    "RetryPolicy",
    "Sleep",
    "SocialkitError",
    "StoreError",
    "TextRules",
    "TokenExpired",
    "TransportError",
    "Unsupported",
    "__version__",
    "aconnect",
    "connect",
    "platforms",
}

OPERATIONS = [
    "me",
    "publish",
    "publish_thread",
    "get_post",
    "edit_post",
    "delete_post",
    "posts",
    "comments",
    "reply",
    "hide_comment",
    "delete_comment",
    "mentions",
    "search",
    "post_metrics",
    "account_metrics",
    "react",
    "repost",
    "run",
    "request",
    "validate",
]


def test_all_is_pinned() -> None:
    assert set(sk.__all__) == PUBLIC


def test_every_public_name_exists() -> None:
    assert all(hasattr(sk, name) for name in sk.__all__)


def test_clients_expose_the_same_operations() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")}

    assert public(sk.Client) - {"close"} == public(sk.AsyncClient) - {"aclose"}
    assert set(OPERATIONS) <= public(sk.Client)


def test_operations_have_the_same_signatures() -> None:
    for name in OPERATIONS:
        sync = inspect.signature(getattr(sk.Client, name))
        async_ = inspect.signature(getattr(sk.AsyncClient, name))
        assert list(sync.parameters) == list(async_.parameters), name
        for param in sync.parameters.values():
            other = async_.parameters[param.name]
            assert (param.kind, param.default) == (other.kind, other.default), (name, param.name)


def test_async_operations_are_coroutines_except_listings() -> None:
    listings = {"posts", "comments", "mentions", "search", "validate"}
    for name in OPERATIONS:
        method = getattr(sk.AsyncClient, name)
        assert inspect.iscoroutinefunction(method) == (name not in listings), name


def test_import_is_light() -> None:
    code = (
        "import sys, socialkit; "
        "heavy = [m for m in sys.modules if m.startswith(('socialkit.providers', 'pandas', "
        "'matplotlib', 'socialkit.testing'))]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_py_typed_is_shipped() -> None:
    from importlib.resources import files

    assert files("socialkit").joinpath("py.typed").is_file()
