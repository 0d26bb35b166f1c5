"""The ``assistant --text`` command over pipes, as a user or an integration runs it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support import TOY_INTENTS, run_assistant


def run(args: list[str], stdin: bytes, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    return run_assistant(["--text", "--intents", str(TOY_INTENTS), *args], stdin, tmp_path, cwd=tmp_path)


def events(proc: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_plain_text_conversation_over_pipes(tmp_path: Path) -> None:
    proc = run([], b"my big toe hurts\nno\nweeks ago\n45\nno\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith("I'm a symptom helper, not a doctor")
    assert "How old are you?" in lines
    assert any(line.startswith("You can look after this at home for now.") for line in lines)
    assert lines[-1] == "Take care."
    assert proc.stderr == b""


def test_json_protocol(tmp_path: Path) -> None:
    proc = run(["--json"], b"my big toe hurts\nnope\ntoday\nnot really\nsixty\nno\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = events(proc)
    types = [e["type"] for e in got]
    assert types[:2] == ["say", "ask"]
    assert got[2] == {"type": "intent", "intent": "toe_pain", "score": 100, "heard": "my big toe hurts"}
    assert {"type": "answer", "question": "fever", "value": "no", "heard": "nope"} in got
    assert {"type": "answer", "question": "age", "value": 60, "heard": "sixty"} in got
    result = next(e for e in got if e["type"] == "result")
    assert result["triage"] == "self_care"
    assert result["causes"] == [{"id": "gout", "name": "gout"}, {"id": "sprain", "name": "a sprain"}]
    assert got[-1] == {"type": "end", "reason": "completed"}
    ask = next(e for e in got if e["type"] == "ask" and e["question"] == "started")
    assert ask["kind"] == "choice" and ask["choices"] == ["today", "week", "longer"]


def test_exits_zero_at_end_of_input(tmp_path: Path) -> None:
    proc = run(["--json"], b"my big toe hurts\n", tmp_path)
    assert proc.returncode == 0
    assert events(proc)[-1] == {"type": "end", "reason": "end_of_input"}


def test_hostile_input_never_crashes(tmp_path: Path) -> None:
    noise = (
        b"\n"
        + b"\xff\xfe\xfa bad bytes\n"
        + b"\x00\x07\x1b[2J\n"
        + b"x" * 100_000
        + b"\n"
        + "🦵🔥\n".encode()
    )
    proc = run(["--json"], noise + b"my big toe hurts\nyes\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = events(proc)
    assert next(e for e in got if e["type"] == "result")["triage"] == "emergency"
    assert b"Traceback" not in proc.stderr


def test_emergency_number_option_and_environment(tmp_path: Path) -> None:
    proc = run(["--json", "--emergency-number", "999"], b"I can't breathe\n", tmp_path)
    result = next(e for e in events(proc) if e["type"] == "result")
    assert "Call 999 now" in str(result["text"])
    bad = run(["--emergency-number", "call mum"], b"", tmp_path)
    assert bad.returncode == 2 and b"is not a phone number" in bad.stderr


def test_summary_is_private_and_only_written_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.md"
    proc = run(["--summary", str(target)], b"my big toe hurts\nno\nweeks ago\n45\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert "Level: Self care" in target.read_text()
    assert f"I've saved the summary to {target}." in proc.stdout.decode()
