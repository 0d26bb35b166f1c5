"""Streams nobody expected (issue 13): closed stdin or stdout, and JSON numbers too long to convert,
end with a message, never a traceback. Run through the real command line in a child process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_shell(cli: Any, redirect: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The CLI under /bin/sh, so that ``<&-`` and ``>&-`` really close the descriptor."""
    command = " ".join([sys.executable, "-m", "assistant", "--text", redirect])
    return subprocess.run(
        ["/bin/sh", "-c", command],
        input=stdin,
        capture_output=True,
        cwd=cli.cwd,
        env=cli.env(),
        timeout=30,
        check=False,
    )


def test_closed_stdin_is_the_end_of_input(cli: Any) -> None:
    done = run_shell(cli, "<&-")
    assert done.returncode == 0, done.stderr
    assert b"What's bothering you today?" in done.stdout
    assert b"Traceback" not in done.stderr


def test_closed_stdout_is_a_message_and_exit_2(cli: Any) -> None:
    done = run_shell(cli, ">&-")
    assert done.returncode == 2
    assert b"standard output is closed" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_json_number_too_long_to_convert_is_refused_and_the_conversation_goes_on(cli: Any) -> None:
    huge = '{"text": ' + "9" * 5000 + "}\n"
    run = cli.run(["--text", "--json", "--no-summary"], huge + '{"text": "my calf is hot"}\n')
    assert run.returncode == 0, run.stderr
    assert "a number too long to read" in run.stdout
    assert '"type": "intent"' in run.stdout
    assert "Traceback" not in run.stderr
