"""English voice conversations end to end: espeak-ng speech in, PocketSphinx, the dialog, pyttsx3 out.

Each user line is synthesized by espeak-ng (a few voices and speeds) into a WAV file, fed to
``python -m assistant --wav ... --engine pocketsphinx`` (and once in-process through
``run_turns``), and the JSON events are checked: which intent, how every answer was understood,
the triage level. The replies written by ``--save-audio`` are checked as speech: plausible
length for their text, not silence, private (0600), and one is recognized back.
"""

from __future__ import annotations

import math
import stat
import subprocess
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.base.events import Answer, Ask, End, Event, IntentMatched, Result, Say
from assistant.content.knowledge import Knowledge

pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed (pip install pocketsphinx)")

from assistant.voice.recognizer import listen
from assistant.voice.run import embedded_recognizer
from assistant.voice.sphinx_engine import SphinxRecognizer
from assistant.voice.wavinput import iter_wav_chunks
from tests.voice import support
from tests.voice.speech import ENGLISH_CONVERSATION, Line, Synth
from tests.voice.support import VOICE_ARGS, json_events, run_python, spoken

pytestmark = pytest.mark.voice

OPENING: Line = ENGLISH_CONVERSATION[0]


def run_cli(args: Sequence[str], home: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    return run_python(["-m", "assistant", *args], home, timeout=timeout)


def answers_of(events: Sequence[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(e["question"], e["value"]) for e in events if e["type"] == "answer"]


def converse(knowledge: Knowledge, wavs: Sequence[Path], **settings: Any) -> tuple[list[Event], str]:
    """A conversation on a fresh PocketSphinx recognizer (no noise-level history)."""
    return support.converse(knowledge, embedded_recognizer(knowledge), wavs, **settings)


# -- checks on the saved reply audio ------------------------------------------------------------


def rms_dbfs(samples: np.ndarray) -> float:
    rms = math.sqrt(float(np.mean(np.square(samples.astype(np.float64))))) if samples.size else 0.0
    return 20 * math.log10(rms / 32768) if rms > 0 else -120.0


def check_reply_audio(path: Path, text: str) -> float:
    """The WAV at ``path`` is private, mono 16-bit, as long as ``text`` takes to say, and loud enough."""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} is not private"
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    seconds = float(samples.size / rate)
    words = len(text.split())
    # espeak at its default 175 words per minute: about 2.9 words a second, plus pauses.
    assert 1.2 <= words / seconds <= 4.5, f"{path.name}: {words} words in {seconds:.1f} s"
    assert rms_dbfs(samples) > -35, f"{path.name} is nearly silent"
    # Speech, not a tone or a constant: a good part of 20 ms frames are loud, and some are quiet.
    frames = samples[: samples.size - samples.size % (rate // 50)].reshape(-1, rate // 50)
    levels = np.array([rms_dbfs(f) for f in frames])
    assert 0.3 < float(np.mean(levels > -40)) < 0.98, f"{path.name} does not look like speech"
    return seconds


# -- English, through the command line -----------------------------------------------------------

NON_EMERGENCY: list[Line] = [*ENGLISH_CONVERSATION, ("no", "en-us+m3", 140)]  # then the summary offer


def test_cli_non_emergency_conversation_with_spoken_replies(synth: Synth, tmp_path: Path) -> None:
    replies = tmp_path / "replies"
    wavs = [str(p) for p in spoken(synth, NON_EMERGENCY)]
    done = run_cli(
        [
            "--wav",
            *wavs,
            "--save-audio",
            str(replies),
            *VOICE_ARGS,
        ],
        tmp_path / "home",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    events = json_events(done.stdout)
    intents = [e for e in events if e["type"] == "intent"]
    assert [(e["intent"], e["heard"]) for e in intents] == [("leg_warmth", "my calf feels hot")]
    assert answers_of(events) == [
        ("rf_lungs", "no"),
        ("rf_limb", "no"),
        ("rf_infection", "no"),
        ("injury", "yes"),
        ("worsening", "unsure"),
        ("save_summary", "no"),
    ]
    heard = {e["question"]: e["heard"] for e in events if e["type"] == "answer"}
    assert heard["rf_limb"] == "not really"
    assert heard["worsening"] == "i don't know"
    (result,) = [e for e in events if e["type"] == "result"]
    # An injury that may be getting worse: not home care, not an emergency.
    assert result["triage"] == "soon"
    assert result["causes"][0]["id"] == "muscle_strain"
    assert events[-1] == {"type": "end", "reason": "completed"}

    # Every spoken event became one numbered WAV file, in order, labelled by its type.
    said = [e for e in events if e["type"] in ("say", "ask", "result")]
    files = sorted(replies.glob("*.wav"))
    assert [f.name for f in files] == [f"{i:04d}-{e['type']}.wav" for i, e in enumerate(said, 1)]
    assert stat.S_IMODE(replies.stat().st_mode) == 0o700
    durations = [check_reply_audio(f, e["text"]) for f, e in zip(files, said, strict=True)]
    # The longest text is the result, and its audio is the longest too.
    longest = max(range(len(said)), key=lambda i: len(said[i]["text"]))
    assert durations[longest] == max(durations)

    # The second reply, "What's bothering you today?", recognized back among similar phrases.
    assert said[1]["text"] == "What's bothering you today?"
    phrases = [
        "what's bothering you today",
        "what's bothering your leg",
        "please say yes no or not sure",
        "is it only in one leg",
        "goodbye",
    ]
    recognizer = SphinxRecognizer(phrases)
    recognizer.set_phrases(phrases)
    assert listen(iter_wav_chunks(files[1]), recognizer).heard == "what's bothering you today"


def test_cli_emergency_conversation(synth: Synth, tmp_path: Path) -> None:
    lines: list[Line] = [("my leg is hot", "en-us+m3", 150), ("nope", "en-us", 140), ("yes", "en-us", 130)]
    done = run_cli(["--wav", *map(str, spoken(synth, lines)), *VOICE_ARGS], tmp_path / "home")
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert [e["intent"] for e in events if e["type"] == "intent"] == ["leg_warmth"]
    assert answers_of(events) == [("rf_lungs", "no"), ("rf_limb", "yes")]
    (result,) = [e for e in events if e["type"] == "result"]
    assert result["triage"] == "emergency"
    assert result["guidance"].startswith("Call 911 now")
    assert {c["id"] for c in result["causes"]} >= {"acute_limb_ischaemia"}
    # Nothing comes between the emergency message and the end: no summary offer, no question.
    assert events[events.index(result) + 1 :] == [{"type": "end", "reason": "completed"}]


# -- in-process, through run_turns --------------------------------------------------------------


def test_in_process_conversation_matches_the_cli(shipped_knowledge: Knowledge, synth: Synth) -> None:
    events, shown = converse(shipped_knowledge, spoken(synth, NON_EMERGENCY[:6]), offer_summary=False)
    assert [(e.question, e.value) for e in events if isinstance(e, Answer)] == [
        ("rf_lungs", "no"),
        ("rf_limb", "no"),
        ("rf_infection", "no"),
        ("injury", "yes"),
        ("worsening", "unsure"),
    ]
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "soon"
    assert events[-1] == End("completed")
    # What was heard is shown, one line a turn, as understood.
    assert shown.splitlines()[0] == "> my calf feels hot"
    assert "> not really" in shown.splitlines()


def test_red_flag_unsure_twice_is_an_emergency(shipped_knowledge: Knowledge, synth: Synth) -> None:
    lines: list[Line] = [OPENING, ("not sure", "en-us", 140), ("I don't know", "en-us+m3", 150)]
    events, _ = converse(shipped_knowledge, spoken(synth, lines))
    answers = [e for e in events if isinstance(e, Answer)]
    assert [(a.question, a.value, a.assumed) for a in answers] == [
        ("rf_lungs", "unsure", False),
        ("rf_lungs", "yes", True),
    ]
    assert any(isinstance(e, Say) and e.role == "reprompt" for e in events)
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "emergency"


def test_free_form_opening_survives_a_recognition_slip(shipped_knowledge: Knowledge, synth: Synth) -> None:
    # "lag" for "leg" is a slip a recognizer makes; here it is spoken.
    events, _ = converse(shipped_knowledge, spoken(synth, [("my lag feels warm", "en-us", 140)]))
    (matched,) = [e for e in events if isinstance(e, IntentMatched)]
    assert matched.intent == "leg_warmth"
    assert matched.score >= 80
    # The turns ran out at the first red flag: the safety net is said before the end.
    assert isinstance(events[-3], Ask) and events[-3].question == "rf_lungs"
    assert isinstance(events[-2], Say) and "If things get worse, call 911" in events[-2].text


def test_silence_gets_the_no_speech_reprompt(
    shipped_knowledge: Knowledge, synth: Synth, tmp_path: Path
) -> None:
    silent = tmp_path / "silence.wav"
    with wave.open(str(silent), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(np.zeros(16000 * 2, np.int16).tobytes())
    wavs = [synth(*OPENING), silent, synth("no", "en-us", 140)]
    events, shown = converse(shipped_knowledge, wavs)
    asks = [e for e in events if isinstance(e, Ask)]
    reprompts = [e for e in events if isinstance(e, Say) and e.role == "reprompt"]
    assert [r.text for r in reprompts] == ["I didn't hear anything."]
    # The same question again after the reprompt, then the answer counts for it.
    position = events.index(reprompts[0])
    assert events[position + 1] == asks[1]
    assert asks[1].question == "rf_lungs"
    assert [(e.question, e.value) for e in events if isinstance(e, Answer)] == [("rf_lungs", "no")]
    assert "> (nothing recognized)" in shown.splitlines()


def test_emergency_phrase_mid_questions(shipped_knowledge: Knowledge, synth: Synth) -> None:
    # Said in answer to the second red flag. "i can't breathe" is heard at once; "i have chest
    # pain" is often heard by this grammar as "i can't tell" and then only by the opening's model
    # that hears it again: then one check question, and a yes to it is the emergency.
    lines: list[Line] = [OPENING, ("no", "en-us", 140), ("I can't breathe", "en-us", 140)]
    events, _ = converse(shipped_knowledge, spoken(synth, lines))
    assert [(e.question, e.value) for e in events if isinstance(e, Answer)] == [("rf_lungs", "no")]
    matched = [e for e in events if isinstance(e, IntentMatched)]
    assert [m.intent for m in matched] == ["leg_warmth", "emergency"]
    assert matched[1].heard == "i cannot breathe"
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "emergency"
    assert "911" in result.text
    assert events[-1] == End("completed")

    # Whichever question it lands on (the "no" before it is sometimes asked again, as a no with a
    # yes close behind it in the grammar's hypotheses), it is acted on: at once, after one check
    # question, or as the yes to the red flag that asks about chest pain.
    lines = [OPENING, ("no", "en-us", 140), ("I have chest pain", "en-us", 140), ("yes", "en-us", 140)]
    events, _ = converse(shipped_knowledge, spoken(synth, lines))
    checks = [e for e in events if isinstance(e, Ask) and e.question == "emergency_check"]
    assert len(checks) <= 1, "at most one check question"
    (result,) = [e for e in events if isinstance(e, Result)]
    assert result.triage == "emergency"
    assert events[-1] == End("completed")


def test_speech_without_a_grammar_match_is_not_understood(shipped_knowledge: Knowledge, synth: Synth) -> None:
    # Speech was detected but no grammar path fitted it: "didn't catch that" and the same
    # question again (by its reprompt wording), never a guessed answer.
    events, shown = converse(
        shipped_knowledge, spoken(synth, [OPENING, ("seven green bottles", "en-us", 130)])
    )
    assert "> (nothing recognized)" in shown.splitlines()
    assert not [e for e in events if isinstance(e, Answer)]
    position = next(i for i, e in enumerate(events) if isinstance(e, Say) and e.role == "not_understood")
    assert events[position] == Say("Sorry, I didn't catch that.", role="not_understood")
    again = events[position + 1]
    assert isinstance(again, Ask) and again.question == "rf_lungs" and again.kind == "yes_no"
    assert again.text.startswith("Please say yes, no, or not sure.")
    assert events[-1] == End("end_of_input")


@pytest.mark.parametrize(
    "line", [("purple elephant banana", "en-us", 140), ("the weather is nice today", "en-us", 160)]
)
def test_out_of_grammar_speech_is_not_understood(
    shipped_knowledge: Knowledge, synth: Synth, line: Line
) -> None:
    events, _ = converse(shipped_knowledge, spoken(synth, [OPENING, line]))
    assert not [e for e in events if isinstance(e, Answer)], "nonsense was taken as an answer"
    not_understood = [e for e in events if isinstance(e, Say) and e.role == "not_understood"]
    assert [s.text for s in not_understood] == ["Sorry, I didn't catch that."]
    asks = [e for e in events if isinstance(e, Ask)]
    assert [a.question for a in asks] == ["complaint", "rf_lungs", "rf_lungs"]


# -- errors: a message, a non-zero exit, never a traceback --------------------------------------


def test_missing_wav_file_is_a_clean_error(synth: Synth, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "turn2.wav"
    done = run_cli(["--wav", str(synth(*OPENING)), str(missing), *VOICE_ARGS], tmp_path / "home")
    assert done.returncode != 0
    assert f"no such WAV file: {missing}" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_wav_file_is_a_clean_error(synth: Synth, tmp_path: Path) -> None:
    broken = tmp_path / "turn2.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    done = run_cli(["--wav", str(synth(*OPENING)), str(broken), *VOICE_ARGS], tmp_path / "home")
    assert done.returncode != 0
    assert f"cannot read '{broken}' as audio" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # checked before the conversation starts


def test_vosk_without_a_model_names_the_download_command(synth: Synth, tmp_path: Path) -> None:
    from assistant.base.paths import PROJECT_MODELS_DIR
    from assistant.speechmodels.locate import find_model

    if find_model([PROJECT_MODELS_DIR]) is not None:
        pytest.skip(f"a Vosk model is installed in {PROJECT_MODELS_DIR}")
    done = run_cli(
        ["--wav", str(synth("yes")), "--json", "--engine", "vosk", "--no-speech-output"], tmp_path / "home"
    )
    assert done.returncode != 0
    assert "assistant models download" in done.stderr
    assert "--model" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("damage", ["garbage files", "missing files"])
def test_corrupt_model_folder_is_named(synth: Synth, tmp_path: Path, damage: str) -> None:
    pytest.importorskip("vosk", reason="vosk is not installed")
    folder = tmp_path / "vosk-model-broken"
    names = ["am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"]
    for name in names if damage == "garbage files" else names[:1]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"not a model\n")
    done = run_cli(
        ["--wav", str(synth("yes")), "--json", "--model", str(folder), "--no-speech-output"],
        tmp_path / "home",
    )
    assert done.returncode != 0
    assert f"no usable speech model in '{folder}'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("module", ["pocketsphinx", "vosk"])
def test_missing_recognizer_package_is_a_clean_error(synth: Synth, tmp_path: Path, module: str) -> None:
    # The package cannot be imported (as on a machine where it was never installed).
    folder = tmp_path / "vosk-model-small"  # looks like a model: the import comes first
    for name in ["am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    engine = ["--engine", "pocketsphinx"] if module == "pocketsphinx" else ["--model", str(folder)]
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from assistant.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    done = run_python(["-c", code, "--wav", str(synth("yes")), "--json", "--no-speech-output", *engine], home)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert f"pip install {module}" in done.stderr
