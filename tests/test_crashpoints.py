"""Named crash points: nothing happens unless SOCIALKIT_CRASH_POINTS names the point."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from socialkit.crashpoints import VARIABLE, crash_point


def test_without_the_variable_a_crash_point_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    crash_point("after-response")


def test_an_unknown_crash_point_in_the_variable_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(VARIABLE, "after-lunch=1")
    with pytest.raises(ValueError, match="after-lunch"):
        crash_point("after-response")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_named_crash_point_kills_the_process_and_the_others_do_not() -> None:
    code = (
        "from socialkit.crashpoints import crash_point\n"
        "crash_point('after-commit'); print('passed after-commit', flush=True)\n"
        "crash_point('before-commit'); print('not reached')\n"
    )
    env = {VARIABLE: "before-commit=1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == -signal.SIGKILL
    assert result.stdout == "passed after-commit\n"
