"""No network at run time: whole conversations run with every socket forbidden."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.app.output import EventLog, JsonLinesOutput, TextOutput
from assistant.app.session import Session
from assistant.app.textio import run_text
from assistant.base.events import End, Result
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog

HERE = Path(__file__).resolve().parent
TOY_INTENTS = HERE.parent / "data" / "intents"
NETWORK_MARK = "NETWORK-USE-BLOCKED"
SCRIPT = "my big toe hurts\nno\ntoday\nyes\n45\nyes\n"


def test_the_ban_is_real(no_network: Any) -> None:
    """The fixture really stops a connection (so the tests below prove something)."""
    import socket

    with pytest.raises(OSError, match=NETWORK_MARK):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with pytest.raises(OSError, match=NETWORK_MARK):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    no_network.attempts.clear()


def test_text_conversation_in_process(
    no_network: Any, knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    out = io.StringIO()
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, Settings()), [TextOutput(out), JsonLinesOutput(io.StringIO()), recorded]
    )
    status = run_text(session, io.BytesIO(SCRIPT.encode()), out, prompt=False)
    assert status == 0
    results = [e for e in recorded.events if isinstance(e, Result)]
    assert [r.triage for r in results] == ["urgent"]
    assert recorded.events[-1] == End("completed")
    assert "I've saved the summary to" in out.getvalue()
    assert len(list((tmp_path / "assistant" / "summaries").iterdir())) == 1


def test_json_lines_conversation_in_process(no_network: Any, knowledge: Knowledge) -> None:
    out = io.StringIO()
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings(offer_summary=False)), [JsonLinesOutput(out), recorded])
    lines = '{"text": "my big toe hurts"}\n{"silence": true}\n{"text": "yes"}\n'
    run_text(session, io.BytesIO(lines.encode()), out, prompt=False, json_input=True)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert events[-1] == {"type": "end", "reason": "completed"}


def test_child_process_ban_is_real(cli: Any) -> None:
    """The sitecustomize used for the CLI really forbids sockets in the child."""
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    env = cli.env()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, timeout=30, check=False, text=True
    )
    assert done.returncode != 0
    assert NETWORK_MARK in done.stderr


@pytest.mark.parametrize("mode", [["--text"], ["--text", "--json"]])
def test_cli_conversation_without_network(cli: Any, mode: list[str]) -> None:
    run = cli.run([*mode, "--intents", str(TOY_INTENTS)], SCRIPT)
    assert run.returncode == 0, run.stderr
    assert NETWORK_MARK not in run.stderr
    assert "See a doctor today." in run.stdout
    assert "I've saved the summary to" in run.stdout


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is not installed")
def test_cli_in_a_network_namespace(cli: Any) -> None:
    """Stronger than patching Python: the kernel gives the process no network at all."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (unshare -rn failed)")
    run = cli.run(["--text", "--intents", str(TOY_INTENTS)], SCRIPT, prefix=["unshare", "-rn"])
    assert run.returncode == 0, run.stderr
    assert "See a doctor today." in run.stdout


VOICE_RUN = importlib.util.find_spec("assistant.voice.run") is not None


def spoken_turns(tmp_path: Path) -> list[str]:
    """espeak-ng speaks the person's lines into WAV files."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    pytest.importorskip("pocketsphinx", reason="the embedded English recognizer needs pocketsphinx")
    wavs = []
    # "yes" twice: the first may confirm the intent ("Did you mean...?") or answer an emergency
    # check (the complaint is sometimes heard as "my toe blue"), the other answers the red-flag
    # fever question; either way the conversation ends in an emergency result.
    for i, line in enumerate(["my big toe hurts", "yes", "yes"]):
        wav = tmp_path / f"turn{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), line], check=True)
        wavs.append(str(wav))
    return wavs


VOICE_ARGS = ["--engine", "pocketsphinx", "--no-speech-output", "--intents", str(TOY_INTENTS), "--wav"]


@pytest.mark.voice
@pytest.mark.parametrize("debug", [False, True], ids=["default_logging", "debug"])
def test_voice_conversation_from_wav_without_network(
    cli: Any, tmp_path: Path, list_files: Callable[..., list[Path]], debug: bool
) -> None:
    """The CLI hears the turns from WAV files with sockets forbidden; what it heard is logged only
    with --debug, and nothing is written to HOME or the working folder."""
    if not VOICE_RUN:
        pytest.skip(
            "assistant/voice/run.py (run_voice) does not exist yet; the voice conversation cannot be wired"
        )
    wavs = spoken_turns(tmp_path)
    flags = ["--json", "--debug"] if debug else ["--json"]
    run = cli.run([*flags, *VOICE_ARGS, *wavs], timeout=120)
    assert NETWORK_MARK not in run.stderr
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    # The toy intent, or the emergency its check question confirmed: either is what was heard.
    matched = [e for e in events if e["type"] == "intent" and e["intent"] in ("toe_pain", "emergency")]
    assert matched, run.stdout
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"], run.stdout
    assert list_files(cli.home, cli.cwd) == []
    heard = matched[0]["heard"]
    if debug:
        assert heard in run.stderr
    else:
        assert heard not in run.stderr, run.stderr
