"""Numbers said as people say them: the emergency number digit by digit in every spoken reply and
saved reply, while printed text and JSON keep "911"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.base.events import Result, Say
from assistant.base.intents import SystemPack
from assistant.content.knowledge import Knowledge
from assistant.conversation.speech_text import SpeechText
from assistant.voice.recognizer import listen
from assistant.voice.speech_output import SpeechOutput
from assistant.voice.wavinput import iter_wav_chunks


@pytest.fixture(scope="module")
def system(shipped_knowledge: Knowledge) -> SystemPack:
    return shipped_knowledge.system


@pytest.mark.parametrize(
    ("number", "text", "spoken"),
    [
        ("911", "Call 911 now.", "Call nine one one now."),
        (
            "999",
            "Call 999 now and ask for an ambulance.",
            "Call nine nine nine now and ask for an ambulance.",
        ),
        ("112", "Call 112, then unlock the door.", "Call one one two, then unlock the door."),
        ("000", "Call 000 now.", "Call zero zero zero now."),
    ],
)
def test_the_emergency_number_is_said_digit_by_digit(
    system: SystemPack, number: str, text: str, spoken: str
) -> None:
    assert SpeechText.for_system(system, number)(text) == spoken


def test_other_numbers_and_longer_numbers_are_left_to_the_synthesizer(system: SystemPack) -> None:
    said = SpeechText.for_system(system, "911")
    assert (
        said("Since 1911, 9110 people, 911.5 and 45 years") == "Since 1911, 9110 people, 911.5 and 45 years"
    )
    # The shipped default stays a code even when another number is configured.
    assert said("or 911") == "or nine one one"


def test_no_digit_words_no_change() -> None:
    bare = SpeechText(("911",), {})
    assert bare("Call 911 now.") == "Call 911 now."


@pytest.mark.voice
def test_saved_reply_says_nine_one_one(system: SystemPack, tmp_path: Path) -> None:
    """Through the real speech output and synthesizer, recognized back by PocketSphinx."""
    pytest.importorskip("pyttsx3")
    pytest.importorskip("pocketsphinx")
    from assistant.voice.speaker import FileSpeaker
    from assistant.voice.sphinx_engine import SphinxRecognizer

    speaker = FileSpeaker(tmp_path)
    output = SpeechOutput(speaker, io.StringIO(), spoken_form=SpeechText.for_system(system, "911"))
    output.emit(Say(text="Call 911 now."))
    output.emit(
        Result(intent="x", triage="emergency", causes=(), text="Call 911 now.", guidance="Call 911 now.")
    )
    files = sorted(tmp_path.glob("*.wav"))
    assert len(files) == 2
    phrases = ["call nine one one now", "call nine hundred and eleven now", "call nine eleven now"]
    for wav in files:
        recognizer = SphinxRecognizer(phrases)
        recognizer.set_phrases(phrases)
        assert listen(iter_wav_chunks(wav), recognizer).heard == "call nine one one now"
