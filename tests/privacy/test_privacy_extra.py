"""phonenumbers (48 MiB) is the ``privacy`` extra, not a core dependency: without it the
privacy helper still imports, and detection says which extra to install."""

from __future__ import annotations

import sys

import pytest

from socialkit._optional import MissingDependency
from socialkit.privacy import find_pii, redact
from socialkit.privacy.pii import _valid_phone


@pytest.fixture
def without_phonenumbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "phonenumbers", None)  # an import of it now fails
    _valid_phone.cache_clear()


@pytest.mark.usefixtures("without_phonenumbers")
def test_detection_without_the_extra_names_it() -> None:
    with pytest.raises(MissingDependency, match=r"pip install 'socialkit\[privacy\]'"):
        redact("call +44 20 7946 0958")


@pytest.mark.usefixtures("without_phonenumbers")
def test_detection_without_the_extra_fails_even_on_text_without_a_phone() -> None:
    with pytest.raises(MissingDependency):
        find_pii("write to ana@example.org", kinds=["email"])


def test_phonenumbers_is_the_privacy_extra_not_a_core_dependency() -> None:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("phonenumbers")]
    assert [d for d in project["optional-dependencies"]["privacy"] if d.startswith("phonenumbers")]
