"""Flags that mean nothing together are a usage error (exit 2) naming the conflict (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import CONFLICTS, build_parser, flag_conflict

VALUES = {
    "wav": ["--wav", "turn.wav"],
    "save_audio": ["--save-audio", "replies"],
    "summary": ["--summary", "summary.md"],
    "model": ["--model", "models/x"],
    "input_device": ["--input-device", "1"],
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def flags(name: str) -> list[str]:
    return VALUES.get(name, ["--" + name.replace("_", "-")])


@pytest.mark.parametrize(("first", "second", "message"), CONFLICTS)
def test_each_conflict_is_named(first: str, second: str, message: str) -> None:
    args = build_parser().parse_args([*flags(first), *flags(second)])
    assert flag_conflict(args) == message


def test_sensible_combinations_are_not_conflicts() -> None:
    for argv in (["--text", "--json"], ["--wav", "a.wav", "--save-audio", "d"], ["--summary", "s.md"]):
        assert flag_conflict(build_parser().parse_args(argv)) is None


def test_the_command_line_exits_2_with_the_message() -> None:
    done = run_cli("--text", "--save-audio", "replies")
    assert done.returncode == 2
    assert "--text speaks nothing, so --save-audio would write nothing" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_wav_files_are_checked_before_any_model_or_device(tmp_path: Path, kind: str) -> None:
    wav = tmp_path / "turn.wav"
    if kind == "folder":
        wav.mkdir()
    done = run_cli("--wav", str(wav), "--no-speech-output")
    assert done.returncode == 2
    assert ("no such WAV file" if kind == "missing" else "is not a WAV file") in done.stderr
    assert "model" not in done.stderr.lower().replace("--model", "")  # no model message before it
