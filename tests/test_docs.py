"""Every Python block in the docs and the README runs against the sandbox, so the docs cannot rot.

A block whose first line is ``# not run: ...`` (it needs real credentials) is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for number, match in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
            code = match.group(1)
            if not code.lstrip().startswith("# not run"):
                found.append((f"{page.relative_to(ROOT)}#{number}", code))
    return found


@pytest.mark.parametrize(("where", "code"), blocks(), ids=[w for w, _ in blocks()])
def test_docs_block_runs(
    where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialkit._optional import MissingDependency

    monkeypatch.chdir(tmp_path)
    try:
        exec(compile(code, where, "exec"), {"__name__": "__docs__"})
    except MissingDependency as missing:  # an optional extra is not installed here
        pytest.skip(str(missing))
