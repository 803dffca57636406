"""What newcomers copy keeps working: the example scripts, the notebooks, the example
provider package, and the notebook HTML and progress helpers.

Scripts run in a subprocess from a temporary directory, as a user would run them.
Notebooks run without Jupyter: their code cells are executed in order in one
namespace, with matplotlib's Agg backend; cell magics (``%%...``) and line
magics or shell escapes (``%...``, ``!...``) are skipped.
"""

from __future__ import annotations

import ast
import csv
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import socialkit as sk
from socialkit._html import (
    account_html,
    comment_html,
    metrics_html,
    post_html,
    thread_html,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
NOTEBOOKS = sorted((EXAMPLES / "notebooks").glob("*.ipynb"))
PROVIDER = EXAMPLES / "socialkit-microblog"
PROVIDER_GUIDE = ROOT / "docs" / "writing-a-provider.md"
TIMEOUT = 120  # seconds; each example finishes in a few


def run_example(script: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


# -- scripts ----------------------------------------------------------------------------------


def test_the_promised_examples_exist() -> None:
    names = {s.name for s in SCRIPTS}
    assert {"weekly_metrics_report.py", "faq_bot.py", "privacy_export.py"} <= names
    assert {n.name for n in NOTEBOOKS} == {"metrics_analysis.ipynb", "week_plan.ipynb"}


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_says_what_it_shows(script: Path) -> None:
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    assert docstring, f"{script.name} needs a docstring saying what it shows"
    assert f"python examples/{script.name}" in docstring, "the docstring says how to run it"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    result = run_example(script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "an example shows what it did"


def test_weekly_report_writes_a_self_contained_html_page(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.html"
    report.parent.mkdir()
    result = run_example(EXAMPLES / "weekly_metrics_report.py", tmp_path, str(report))
    assert result.returncode == 0, result.stderr
    page = report.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2
    assert "<table" in page
    assert "<script" not in page


def test_privacy_export_leaves_no_personal_data_in_the_csv(tmp_path: Path) -> None:
    result = run_example(EXAMPLES / "privacy_export.py", tmp_path, str(tmp_path / "csv"))
    assert result.returncode == 0, result.stderr
    research = tmp_path / "csv" / "comments-research.csv"
    with research.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all(row["author.id"].startswith("u_") for row in rows)
    assert any("[EMAIL]" in row["text"] for row in rows)
    assert (tmp_path / "csv" / "comments-analytics.csv").exists()


# -- notebooks --------------------------------------------------------------------------------


def notebook_cells(path: Path) -> list[str]:
    """The code cells of a notebook, magics and shell escapes left out."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if source.lstrip().startswith("%%"):
            continue
        lines = source.splitlines()
        cells.append("\n".join("" if re.match(r"\s*[%!]", line) else line for line in lines))
    return cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebook_is_valid_nbformat_4_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["language"] == "python"
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(set(ids)) == len(ids)
    for cell in notebook["cells"]:
        assert cell["cell_type"] in ("code", "markdown")
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        for number, code in enumerate(notebook_cells(path), 1):
            exec(compile(code, f"{path.name}, code cell {number}", "exec"), namespace)
    finally:
        plt.close("all")


def test_notebook_runner_skips_magics(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%%bash\n", "exit 1\n"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install x\n", "x = 1"]},
        ],
        "nbformat": 4,
    }
    path = tmp_path / "magic.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert notebook_cells(path) == ["\n\nx = 1"]


# -- the example provider package ---------------------------------------------------------


def provider_installed() -> bool:
    try:
        importlib.metadata.distribution("socialkit-microblog")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_example_provider_declares_its_entry_point() -> None:
    pyproject = (PROVIDER / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."socialkit.platforms"]' in pyproject
    assert 'microblog = "socialkit_microblog:Microblog"' in pyproject


@pytest.mark.skipif(
    not provider_installed(), reason="pip install -e examples/socialkit-microblog to run"
)
def test_installed_example_provider_is_listed_by_platforms() -> None:
    found = sk.platforms()
    assert "microblog" in found
    assert found["microblog"].__module__.startswith("socialkit_microblog")


def excerpts() -> list[tuple[str, str]]:
    """Blocks of the provider guide that quote the example package, with the quoted file."""
    text = PROVIDER_GUIDE.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"^```python\n(.*?)^```", text, re.S | re.M):
        first, _, body = block.partition("\n")
        quoted = re.fullmatch(r"# not run: excerpt of (\S+)", first.strip())
        if quoted:
            found.append((quoted.group(1), body))
    return found


@pytest.mark.parametrize(("quoted", "body"), excerpts(), ids=[q for q, _ in excerpts()])
def test_provider_guide_quotes_the_example_package_faithfully(quoted: str, body: str) -> None:
    source = (ROOT / quoted).read_text(encoding="utf-8")
    lines = [line for line in body.splitlines() if line.strip() and line.strip() != "..."]
    position = 0
    for line in lines:
        found = source.find(line, position)
        assert found >= 0, f"{quoted} no longer has (in this order): {line!r}"
        position = found + len(line)


# -- notebook niceties: HTML renderers and progress bars ---------------------------------


def make_post(text: str = "Hello", **extra: Any) -> sk.Post:
    author = sk.Account(platform="mastodon", id="1", handle="brand", display_name="The Brand")
    return sk.Post(platform="mastodon", id="10", author=author, text=text, **extra)


def make_comment(id: str, parent: str, text: str = "hi") -> sk.Comment:
    return sk.Comment(
        platform="mastodon", id=id, thread_root_id="10", reply_to_id=parent, text=text
    )


def test_post_html_escapes_platform_text() -> None:
    html = post_html(make_post("<script>alert(1)</script> & <b>bold</b>"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_html_links_only_http_urls() -> None:
    html = post_html(make_post(url="javascript:alert(1)"))
    assert "javascript:" not in html
    linked = post_html(make_post(url="https://example.social/@brand/10"))
    assert 'href="https://example.social/@brand/10"' in linked


def test_html_escapes_quotes_in_attributes() -> None:
    account = sk.Account(
        platform="x", id="1", handle="h", url='https://example.com/"onmouseover="alert(1)'
    )
    html = account_html(account)
    assert '"onmouseover="' not in html
    assert "&quot;onmouseover=&quot;" in html


def test_thread_html_nests_replies_under_their_parents() -> None:
    html = thread_html(
        [
            make_comment("11", "10", "first"),
            make_comment("12", "11", "answer"),
            make_comment("13", "10", "second"),
        ]
    )
    assert html.index("first") < html.index("answer") < html.index("second")
    assert html.count("<ul") == 2  # the top level, and the answer under "first"
    assert "3 comments" in html


def test_thread_html_keeps_comments_caught_in_a_parent_cycle() -> None:
    html = thread_html([make_comment("1", "2", "one"), make_comment("2", "1", "two")])
    assert "one" in html
    assert "two" in html


def test_comment_html_marks_hidden_comments() -> None:
    hidden = make_comment("11", "10").model_copy(update={"hidden": True})
    assert "(hidden)" in comment_html(hidden)


def test_metrics_html_shows_missing_values_as_na_not_zero() -> None:
    metrics = [
        sk.Metric(platform="x", subject="post", subject_id="1", name="impressions", value=None),
        sk.Metric(platform="x", subject="post", subject_id="1", name="likes", value=1200),
    ]
    html = metrics_html(metrics)
    assert ">n/a<" in html
    assert ">1,200<" in html


# -- release notes ----------------------------------------------------------------------------


def test_docs_changelog_page_is_the_changelog() -> None:
    page = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert page.strip() == '--8<-- "CHANGELOG.md"'  # included whole when the site is built
    assert "pymdownx.snippets" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
