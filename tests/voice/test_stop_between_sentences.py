"""Saying "stop" between two spoken sentences, end to end on fake ALSA devices.

The assistant is run as ``assistant --engine pocketsphinx`` (microphone mode, speech output on) in
a subprocess whose HOME has a fake ALSA device for both directions: capture reads a FIFO fed with
espeak-ng audio, playback is appended to a file, so the seconds played can be measured. run_voice
builds everything as it always does (the PocketSphinx recognizer, the StopListener on it, the
Pyttsx3Speaker with ``stop_during_playback=False``, the SpeechOutput behind a SafeOutput); only the
conversation is replaced: the replies under test are published through the session instead.

The fake microphone does not pace in real time, and it is open only between sentences (half
duplex): whatever the capture starts with is what the first pause between sentences hears. So a
word said "between the sentences" is at the start of the capture, after a little silence, short
enough to fit in the stop listener's window.
"""

from __future__ import annotations

import inspect
import io
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.app.output import EventLog
from assistant.app.session import Session
from assistant.base.events import End, IntentMatched, Say
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.voice.audio import AudioChunk, mono_int16
from assistant.voice.barge_in import StopListener
from assistant.voice.endpoint import EndpointConfig
from assistant.voice.run import Heard, embedded_recognizer, run_turns, wav_turns
from assistant.voice.speaker import render_wav
from assistant.voice.speaker_text import split_sentences
from assistant.voice.vocabulary import speakable
from assistant.voice.wavinput import CHUNK_SECONDS, read_wav
from tests.voice.speech import Synth
from tests.voice.support import (
    FIFO_FEEDER,
    PLAYED_BYTES_PER_SECOND,
    RATE,
    duplex_home,
    json_events,
    run_python,
)

pytestmark = pytest.mark.voice

#: Three sentences, said as an ordinary reply (interruptible) or as an emergency result (not).
REPLY = (
    "Call 911 now and ask for an ambulance. "
    "Do not drive yourself to the hospital. "
    "Keep your leg still while you wait for help."
)
RECOGNIZER_FAULT = "the decoder lost its search graph"

#: argv: a JSON configuration (fifo, capture, played, report, replies: "say" or "emergency" each,
#: deaf: the recognizer raises whenever it is given audio), then the assistant's arguments.
HARNESS = (
    FIFO_FEEDER
    + """
import atexit, json, os, sys

config = json.loads(sys.argv[1])
report = {"listened": [], "recognized": [], "said": [], "speech_failed": None}

def write_report():
    with open(config["report"], "w", encoding="utf-8") as out:
        json.dump(report, out)

atexit.register(write_report)
start_feeding(config["fifo"], config["capture"])

import assistant.voice.run as run
from assistant.base.events import Result, Say
from assistant.app.output import SafeOutput
from assistant.voice.speaker import Pyttsx3Speaker

listen_for_stop = run.StopListener.__call__

def recorded_listen(self):
    stopped = listen_for_stop(self)
    report["listened"].append(stopped)
    return stopped

run.StopListener.__call__ = recorded_listen

speech_outputs = []

class RecordedSafeOutput(SafeOutput):
    # The speech output run_voice builds, kept to look at after the replies.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speech_outputs.append(self)

run.SafeOutput = RecordedSafeOutput

say = Pyttsx3Speaker.say

def recorded_say(self, text, *, interruptible=True, label="say"):
    before = os.path.getsize(config["played"])
    outcome = say(self, text, interruptible=interruptible, label=label)
    played = os.path.getsize(config["played"]) - before
    report["said"].append({"outcome": str(outcome), "interruptible": interruptible, "played": played})
    return outcome

Pyttsx3Speaker.say = recorded_say

class Recorded:
    # The real recognizer; what it finally heard is noted. `deaf`: raises on any audio.
    def __init__(self, inner, deaf):
        self.inner, self.deaf, self.name = inner, deaf, inner.name

    @property
    def phrases(self):
        return getattr(self.inner, "phrases", None)

    def set_phrases(self, phrases):
        self.inner.set_phrases(phrases)

    def accept(self, chunk):
        if self.deaf:
            raise RuntimeError("the decoder lost its search graph")
        return self.inner.accept(chunk)

    def finish(self):
        transcript = self.inner.finish()
        report["recognized"].append(transcript.text)
        return transcript

make_recognizer = run.make_recognizer
run.make_recognizer = lambda *a: Recorded(make_recognizer(*a), config.get("deaf", False))

def say_the_replies(session, recognizer, turns, endpoint, heard, barge_in=None):
    # Instead of a conversation: the replies, printed and spoken as run_voice set it up.
    for kind in config["replies"]:
        text = config["text"]
        session.publish([Say(text) if kind == "say" else Result("test", "emergency", (), text)])
    (speech,) = speech_outputs
    report["speech_failed"] = speech.failed

run.run_turns = say_the_replies

from assistant.cli import main
sys.exit(main(sys.argv[2:]))
"""
)


@pytest.fixture(scope="module")
def devices() -> None:
    pytest.importorskip("pyttsx3", reason="speech output needs pyttsx3")
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")
    if shutil.which("aplay") is None:
        pytest.skip("speech output needs aplay (Debian alsa-utils)")


@pytest.fixture(scope="module")
def sentence_seconds(tmp_path_factory: pytest.TempPathFactory, devices: None) -> list[float]:
    """How long each sentence of REPLY lasts, said by the speaker's default voice and rate."""
    folder = tmp_path_factory.mktemp("sentences")
    sentences = split_sentences(REPLY)
    assert len(sentences) == 3
    return [render_wav(s, folder / f"{i}.wav").duration for i, s in enumerate(sentences)]


def window_seconds() -> float:
    default = inspect.signature(StopListener.__init__).parameters["window_s"].default
    assert isinstance(default, float)
    return default


def between_sentences(synth: Synth, word: str | None, *, speed: int = 230) -> bytes:
    """What the microphone hears in the pauses: ``word`` (trimmed) after 20 ms, or silence only."""
    lead = np.zeros(round(0.02 * RATE), np.int16)
    pieces = [lead]
    if word is not None:
        speech = mono_int16(read_wav(synth(word, "en-us", speed)))
        loud = np.flatnonzero(np.abs(speech) > 300)
        speech = speech[: loud[-1] + round(0.02 * RATE)]  # espeak's trailing silence off
        assert (len(lead) + len(speech)) / RATE <= window_seconds(), "the word must fit in one window"
        pieces.append(speech)
    pieces.append(np.zeros(RATE, np.int16))
    return np.concatenate(pieces).astype("<i2").tobytes()


def say_replies(
    tmp_path: Path, capture: bytes, replies: Sequence[str], *, deaf: bool = False
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    fifo = tmp_path / "microphone.fifo"
    os.mkfifo(fifo)
    (tmp_path / "capture.raw").write_bytes(capture)
    played = tmp_path / "played.raw"
    home = duplex_home(tmp_path, fifo, played)
    config = {
        "fifo": str(fifo),
        "capture": str(tmp_path / "capture.raw"),
        "played": str(played),
        "report": str(tmp_path / "report.json"),
        "replies": list(replies),
        "text": REPLY,
        "deaf": deaf,
    }
    args = ["--engine", "pocketsphinx", "--json", "--no-summary"]
    done = run_python(["-c", HARNESS, json.dumps(config), *args], home, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report: dict[str, Any] = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    # Printed before it is spoken, in full, whatever happened to the speech.
    assert [e["text"] for e in json_events(done.stdout)] == [REPLY] * len(replies)
    return done, report


def sentences_played(played_bytes: int, sentence_seconds: list[float]) -> int:
    """How many whole sentences of REPLY the played audio amounts to (0.3 s tolerance)."""
    seconds = played_bytes / PLAYED_BYTES_PER_SECOND
    for count in range(len(sentence_seconds) + 1):
        if abs(seconds - sum(sentence_seconds[:count])) < 0.3:
            return count
    raise AssertionError(f"{seconds:.2f} s played is not a whole number of sentences {sentence_seconds}")


#: word between the sentences, replies, what each pause heard, (outcome, sentences played) per reply.
CASES = {
    "stop_interrupts_after_the_first_sentence": ("stop", ["say"], [True], [("interrupted", 1)]),
    # The emergency is never listened over; the "stop" still waiting in the microphone then cuts
    # the next ordinary reply: it was there to be heard.
    "an_emergency_plays_in_full": ("stop", ["emergency", "say"], [True], [("spoken", 3), ("interrupted", 1)]),
    # After "stop", nothing more is spoken: the conversation loop then stops the conversation.
    "nothing_is_spoken_after_stop": ("stop", ["say", "say"], [True], [("interrupted", 1)]),
    "silence_plays_in_full": (None, ["say"], [False, False], [("spoken", 3)]),
    "yes_is_not_stop": ("yes", ["say"], [False, False], [("spoken", 3)]),
}


@pytest.mark.usefixtures("devices")
@pytest.mark.parametrize(("word", "replies", "listened", "expected"), CASES.values(), ids=CASES.keys())
def test_stop_between_sentences(
    synth: Synth,
    tmp_path: Path,
    sentence_seconds: list[float],
    word: str | None,
    replies: list[str],
    listened: list[bool],
    expected: list[tuple[str, int]],
) -> None:
    done, report = say_replies(tmp_path, between_sentences(synth, word), replies)

    assert report["listened"] == listened
    # Each reply spoken is interruptible unless it is an emergency (after a "stop", no more are).
    assert [s["interruptible"] for s in report["said"]] == [kind == "say" for kind in replies][
        : len(expected)
    ]
    played = [(s["outcome"], sentences_played(s["played"], sentence_seconds)) for s in report["said"]]
    assert played == expected
    if word is not None:
        assert report["recognized"][0] == word, "the word was heard, not just noticed"
    assert report["speech_failed"] is False
    assert "warning" not in done.stderr.lower()


@pytest.mark.usefixtures("devices")
def test_a_recognizer_failing_while_listening_for_stop_leaves_speech_on(
    synth: Synth, tmp_path: Path, sentence_seconds: list[float]
) -> None:
    # The recognizer raises on the audio of every pause: not a stop, and not a speech failure
    # (before the fix, it reached the SafeOutput and turned speech off for the rest of the talk).
    done, report = say_replies(tmp_path, between_sentences(synth, "stop"), ["say", "emergency"], deaf=True)

    assert report["listened"] == [False, False]
    played = [(s["outcome"], sentences_played(s["played"], sentence_seconds)) for s in report["said"]]
    assert played == [("spoken", 3), ("spoken", 3)]
    assert report["speech_failed"] is False
    assert "warning" not in done.stderr.lower()
    assert RECOGNIZER_FAULT not in done.stderr


def test_pocketsphinx_survives_a_stop_split_across_two_pauses(
    synth: Synth, shipped_knowledge: Knowledge
) -> None:
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")
    system = shipped_knowledge.system
    grammar = [
        speakable(p) for p in [*system.commands["stop"], *system.answers["yes"], *system.answers["no"]]
    ]
    recognizer = embedded_recognizer(shipped_knowledge)  # as run_voice makes it
    window = round(window_seconds() * RATE)
    chunk = round(CHUNK_SECONDS * RATE)
    heard: list[str] = []
    for speed in (120, 130, 140, 150, 160):
        speech = mono_int16(read_wav(synth("stop", "en-us", speed)))
        for pause in (speech[:window], speech[window : 2 * window]):
            recognizer.set_phrases(grammar)
            for start in range(0, len(pause), chunk):
                recognizer.accept(AudioChunk(pause[start : start + chunk].astype("<i2").tobytes(), RATE))
            heard.append(recognizer.finish().text)
            recognizer.set_phrases(None)
    # Every window gives an answer: nothing, or a whole phrase of the grammar (no crash, no scraps).
    assert len(heard) == 10
    assert all(text == "" or text in grammar for text in heard), heard


def test_stop_heard_between_sentences_stops_the_conversation(
    shipped_knowledge: Knowledge, synth: Synth
) -> None:
    # The conversation loop acts on a "stop" the listener heard while the last reply was spoken:
    # it stops the conversation (said, with the emergency number) instead of listening again.
    listener = StopListener(embedded_recognizer(shipped_knowledge), None, ["stop"], ["yes", "no"])
    listener.requested = True
    recorded = EventLog()
    session = Session(Dialog(shipped_knowledge, Settings()), [recorded])
    wavs = [synth("my calf feels hot", "en-us", 140)]
    run_turns(
        session,
        listener.recognizer,
        wav_turns(wavs),
        EndpointConfig(),
        Heard(io.StringIO(), show=False, partials=False),
        listener,
    )
    assert recorded.events[-1] == End("stopped")
    assert isinstance(recorded.events[-2], Say) and "911" in recorded.events[-2].text
    assert not [e for e in recorded.events if isinstance(e, IntentMatched)], "no turn was listened to"
    assert listener.requested is False
