"""`import socialkit` loads nothing it does not need; `connect()` loads only the core and the
one provider asked for. Checked in a fresh interpreter, through sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys

HELPERS = ("calendar", "replies", "monitoring", "metrics", "privacy", "crosspost", "webhooks")


def loaded_after(code: str) -> set[str]:
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_loads_no_login_no_stdlib_http_no_provider_no_helper() -> None:
    loaded = loaded_after("import socialkit")
    forbidden = {"socialkit.auth.logins", "urllib.request", "http.client", "socialkit.providers"}
    forbidden |= {f"socialkit.{helper}" for helper in HELPERS}
    assert not loaded & forbidden
    assert not {m for m in loaded if m.startswith("socialkit.providers.")}


def test_connect_loads_one_provider_and_no_login_flow() -> None:
    loaded = loaded_after(
        "import socialkit as sk\n"
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')"
    )
    providers = {m.split(".")[2] for m in loaded if m.startswith("socialkit.providers.")}
    assert providers == {"mastodon"}
    assert "socialkit.auth.logins" not in loaded
    assert not {f"socialkit.{helper}" for helper in HELPERS} & loaded


def test_connect_loads_no_retry_machinery_and_no_events() -> None:
    loaded = loaded_after(
        "import socialkit as sk\n"
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')"
    )
    assert not {"tenacity", "socialkit.events", "socialkit.providers.mastodon.streaming"} & loaded


def test_public_names_and_subpackages_load_on_first_use() -> None:
    loaded = loaded_after(
        "import socialkit as sk\n"
        "assert sk.Draft(text='x').text == 'x'\n"
        "assert callable(sk.auth.login) and callable(sk.metrics.engagement_rate)"
    )
    assert {"socialkit.models", "socialkit.auth.logins", "socialkit.metrics"} <= loaded


def test_login_is_the_function_whatever_was_imported_first() -> None:
    loaded_after(
        "import socialkit.auth.logins\n"
        "from socialkit import auth\n"
        "assert callable(auth.login), auth.login"
    )


def test_connect_makes_no_pool_so_loads_no_httpcore_no_asyncio() -> None:
    loaded = loaded_after(
        "import socialkit as sk\n"
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')"
    )
    assert not {"httpcore", "h11", "asyncio", "anyio._backends._asyncio"} & loaded


def test_connect_builds_no_record_model() -> None:
    loaded_after(
        "import socialkit as sk\n"
        "from socialkit import models\n"
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')\n"
        "records = (models.Post, models.Account, models.Comment, models.Mention, models.Draft)\n"
        "assert not any(r.__pydantic_complete__ for r in records), records\n"
        "assert models.Post(platform='x', id='1').id == '1'  # built on first use\n"
        "assert models.Post.__pydantic_complete__"
    )


def test_connect_parametrizes_no_page_model() -> None:
    # a ResultPage[...] made at import builds a schema no call needs (the PageFlow alias)
    loaded_after(
        "import socialkit as sk\n"
        "from socialkit import models\n"
        "sk.connect('mastodon', instance='https://mastodon.example', access_token='t')\n"
        "assert not models.ResultPage.__subclasses__(), models.ResultPage.__subclasses__()"
    )
