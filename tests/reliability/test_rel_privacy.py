"""Privacy: nothing on disk unless asked; a summary is 0600 in a 0700 folder; logs keep words out.

What the person says reaches stderr only with ``--debug``.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.app.output import JsonLinesOutput, TextOutput
from assistant.app.session import Session
from assistant.app.summaries import make_private_dirs, write_private
from assistant.app.textio import run_text
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.support import run_assistant

HERE = Path(__file__).resolve().parent
TOY_INTENTS = HERE.parent / "data" / "intents"
TOY = ["--intents", str(TOY_INTENTS)]
MARK = "zanzibarquokka"  # a word no message or log line of the product contains


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


CONVERSATIONS = {
    "declined_summary": (["--text", *TOY], "my big toe hurts\nno\ntoday\nyes\n45\nno\n"),
    "json": (
        ["--text", "--json", *TOY],
        '{"text": "my big toe hurts"}\n{"silence": true}\nno\ntoday\nno\n60\nno\n',
    ),
    "emergency": (["--text", *TOY], "my big toe hurts\nyes\n"),
    "stopped": (["--text", *TOY], "my big toe hurts\nstop\n"),
    "abandoned": (["--text", *TOY], "my big toe hurts\nno\n"),
    "no_summary_flag": (["--text", "--no-summary", *TOY], "my big toe hurts\nno\ntoday\nno\n30\n"),
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_nothing_is_written_unless_asked(cli: Any, name: str) -> None:
    args, script = CONVERSATIONS[name]
    run = cli.run(args, script)
    assert run.returncode == 0, run.stderr
    assert list(cli.home.iterdir()) == [], "HOME and every XDG folder must stay empty"
    assert list(cli.cwd.iterdir()) == [], "the working folder must stay empty"


@pytest.mark.parametrize("umask", ["000", "022", "077"])
def test_an_asked_for_summary_is_private(cli: Any, umask: str, list_files: Callable[..., list[Path]]) -> None:
    script = "my big toe hurts\nno\ntoday\nyes\n45\nyes\n"
    run = cli.run(["--text", *TOY], script, prefix=["sh", "-c", f'umask {umask} && exec "$@"', "sh"])
    assert run.returncode == 0, run.stderr
    files = list_files(cli.home, cli.cwd)
    assert len(files) == 1, files
    summary = files[0]
    assert summary.parent == cli.home / "data" / "assistant" / "summaries"
    assert f"I've saved the summary to {summary}." in run.stdout
    assert mode(summary) == 0o600
    for folder in (summary.parent, summary.parent.parent, cli.home / "data"):
        assert mode(folder) == 0o700, f"{folder} is {oct(mode(folder))}"
    assert 'In the person\'s words: "my big toe hurts"' in summary.read_text()


def test_summary_option_replaces_a_readable_file_with_a_private_one(cli: Any) -> None:
    target = cli.cwd / "summary.md"
    target.write_text("old\n")
    target.chmod(0o644)
    run = cli.run(["--text", "--summary", str(target), *TOY], "my big toe hurts\nno\ntoday\nno\n30\n")
    assert run.returncode == 0, run.stderr
    assert mode(target) == 0o600
    assert "# Symptom assistant summary for a clinician" in target.read_text()
    assert sorted(p.name for p in cli.cwd.iterdir()) == ["summary.md"]


def test_private_folders_ignore_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        make_private_dirs(tmp_path / "a" / "b" / "c")
        write_private(tmp_path / "a" / "b" / "c" / "s.md", "text\n")
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "a/b/c"):
        assert mode(tmp_path / folder) == 0o700
    assert mode(tmp_path / "a" / "b" / "c" / "s.md") == 0o600


def test_existing_folders_are_left_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    write_private(tmp_path / "s.md", "text\n")
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "s.md") == 0o600


# -- logs --------------------------------------------------------------------------------------
LOG_SCRIPT = "\n".join(
    [
        f"hello {MARK}",
        f"my big toe hurts {MARK}",
        f"{MARK}",  # not understood
        f"no {MARK}",
        f"today {MARK}",
        "yes",
        f"{MARK} 45",
        "45",
        f"yes {MARK}",
    ]
)


@pytest.mark.parametrize("flags", [[], ["--quiet"], ["--json"]], ids=["default", "quiet", "json"])
def test_logs_never_hold_what_was_said_without_debug(cli: Any, flags: list[str]) -> None:
    # A summary to /dev/full adds a failure path (and its log call) to the run.
    args = ["--text", *flags, "--summary", "/dev/full", *TOY]
    run = cli.run(args, LOG_SCRIPT + f'\n{{"text": {MARK}}}\n')
    assert run.returncode == 0, run.stderr
    assert "couldn't save the summary to /dev/full" in run.stdout  # the run went all the way
    assert MARK not in run.stderr, run.stderr


def test_debug_logs_do_show_what_was_said(cli: Any) -> None:
    """The positive control: with --debug the words are logged, so the test above can see a leak."""
    run = cli.run(["--text", "--debug", *TOY], LOG_SCRIPT)
    assert run.returncode == 0, run.stderr
    assert f"heard: 'my big toe hurts {MARK}'" in run.stderr
    assert "DEBUG " in run.stderr


def test_no_log_record_at_warning_or_above_holds_user_words(
    knowledge: Knowledge, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """In process, every logger at DEBUG: whatever mentions the words is a DEBUG record."""
    caplog.set_level(logging.DEBUG)
    out = io.StringIO()
    settings = Settings(summary_path=str(tmp_path / "missing" / "x" / "s.md"))
    (tmp_path / "missing").write_text("a file where a folder is expected")
    session = Session(Dialog(knowledge, settings), [TextOutput(out), JsonLinesOutput(io.StringIO())])
    run_text(session, io.BytesIO(LOG_SCRIPT.encode()), out, prompt=False)
    leaking = [r for r in caplog.records if MARK in r.getMessage() and r.levelno > logging.DEBUG]
    assert leaking == []
    assert any(MARK in r.getMessage() for r in caplog.records), "debug logging should include the words"


@pytest.mark.voice
def test_a_voice_run_leaves_no_reply_audio_in_the_temporary_folder(tmp_path: Path) -> None:
    """The last reply was left in /tmp/assistant-speech-*/sentence.wav after every voice run."""
    import shutil
    import subprocess

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    wav = tmp_path / "turn.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "my calf feels hot"], check=True, capture_output=True)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "out"
    args = ["--wav", str(wav), "--json", "--save-audio", str(out)]
    done = run_assistant(args, b"", tmp_path / "home", env={"TMPDIR": str(scratch)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "out").glob("*.wav"))  # replies were rendered
    assert [p.name for p in scratch.iterdir() if p.name.startswith("assistant")] == []
