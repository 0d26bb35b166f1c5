"""Streams nobody expected (issue 13): closed stdin or stdout, and JSON numbers too long to convert,
end with a message, never a traceback. Run through the real command line in a child process."""

from __future__ import annotations

import signal
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


def test_end_of_input_at_a_red_flag_question_says_the_safety_net(cli: Any) -> None:
    run = cli.run(["--text", "--no-summary"], "my calf is hot\n")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert "breathlessness" in lines[-2]  # the red-flag question was waiting
    assert lines[-1] == "Okay, stopping here. If things get worse, call 911 or get medical help."


def test_sighup_stops_with_the_stop_message_and_129(cli: Any) -> None:
    proc = cli.start(["--text", "--no-summary"])
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"my calf is hot\n")
    proc.stdin.flush()
    for line in proc.stdout:
        if b"breathlessness" in line:
            break
    proc.send_signal(signal.SIGHUP)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 129
    assert b"Okay, stopping here" in rest
    assert b"Traceback" not in err
