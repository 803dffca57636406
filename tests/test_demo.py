"""The main job: ``python -m socialkit demo`` tells the whole story on a fresh sandbox."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from socialkit.cli import main
from socialkit.demo import run_demo


def test_demo_tells_every_part_of_the_story(tmp_path: Path) -> None:
    out = io.StringIO()
    run_demo(out, report_dir=tmp_path)
    text = out.getvalue()
    for section in (
        "1. Publish",
        "2. The audience",
        "3. Read and answer",
        "4. Measure",
        "5. A privacy-safe metrics report",
        "6. The content calendar",
    ):
        assert section in text
    assert "-> '@alice Thank you!" in text
    assert "@alice" not in (tmp_path / "socialkit-demo-report.html").read_text()


def test_demo_opens_with_the_platform_list_and_the_video_platforms(tmp_path: Path) -> None:
    out = io.StringIO()
    run_demo(out, report_dir=tmp_path)
    head = out.getvalue().split("1. Publish")[0]
    listed = [line.split()[0] for line in head.splitlines()[1:] if line.strip()]
    for name in ("youtube", "reddit", "douyin", "bilibili", "mastodon", "weibo"):
        assert name in listed
    assert "youtube    publishes video;" in head


def test_platforms_command_prints_the_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["platforms"]) == 0
    out = capsys.readouterr().out
    assert "| publish_text |" in out
    assert "mastodon" in out


def test_post_command_publishes_to_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["post", "sandbox://", "Hello from the command line"]) == 0
    assert capsys.readouterr().out.startswith("published ")


def test_cli_reports_a_bad_target_as_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["post", "nosuchplatform", "Hello"]) == 1
    assert "unknown platform 'nosuchplatform'" in capsys.readouterr().err


def test_demo_runs_on_the_core_install_without_the_privacy_extra(tmp_path: Path) -> None:
    """The README's install line (no extras) is enough for the demo: its privacy section
    pseudonymises authors and drops text, so it never needs phone-number detection."""
    import subprocess
    import sys

    program = (
        "import sys; sys.modules['phonenumbers'] = None\n"  # as if not installed
        "from socialkit.cli import main\n"
        "raise SystemExit(main(['demo']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "5. A privacy-safe metrics report" in done.stdout
    assert "(pseudonyms)" in done.stdout
