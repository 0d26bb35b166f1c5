"""Out-of-grammar rejection: the cases measured on espeak-ng speech through PocketSphinx."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.content.knowledge import Knowledge
from assistant.voice.audio import AudioChunk
from assistant.voice.recognizer import Transcript
from assistant.voice.verify import (
    VerifiedRecognizer,
    agrees,
    look_alikes,
    no_in_doubt,
    polar_answers,
    sound_alikes,
    without_look_alikes,
)


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        # Real answers: free-form hears the same or a near variant.
        ("i don't know", "i don't know", True),
        ("nope", "nah", True),  # same meaning
        ("yeah", "yes", True),
        ("not really", "really", True),  # "really" alone is no answer: only similarity counts
        ("not sure", "sure", True),
        ("no", "nope", True),
        # Nonsense forced onto a grammar phrase: free-form hears something else.
        ("none", "flare none of", False),  # "purple elephant banana": would be a NO to a red flag
        ("there is", "there is my leg", False),  # "the weather is nice today"
        ("i am", "a little dunno", False),
        ("somewhat", "seventy three are pulled", False),
        ("call", "i pulled my my other", False),
        ("no way", "when i undo", False),
        ("yes", "", False),
        # A yes or no whose free hearing means otherwise is asked again, never guessed.
        ("absolutely", "absolutely not", False),
        ("i don't think so", "i should think so", False),
        ("no", "not sure", False),
        ("yes", "no", False),
    ],
)
def test_agreement(toy_knowledge: Knowledge, constrained: str, free: str, expected: bool) -> None:
    assert agrees(constrained, free, toy_knowledge.yes_no_parser.parse) is expected


def test_short_answers_of_opposite_polarity_that_sound_alike_leave_the_grammar(
    toy_knowledge: Knowledge,
) -> None:
    sounds = {"ya": ("Y", "AA"), "nah": ("N", "AA"), "no": ("N", "OW"), "yes": ("Y", "EH", "S"), "maybe": ()}
    polar = polar_answers(list(sounds), toy_knowledge.yes_no_parser.parse, lambda p: sounds.get(p) or None)
    kept = without_look_alikes(list(sounds), polar)
    assert kept == ["no", "yes", "maybe"]


#: A yes/no grammar's phrases, as the toy content lists them (the answer-and-more rule needs them).
GRAMMAR = (
    "yes",
    "yeah",
    "it has",
    "it is",
    "i think so",
    "no",
    "not really",
    "not at all",
    "i do",
    "i don't",
)


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        # Heard from espeak-ng speech through PocketSphinx: the grammar heard the first answer, the
        # free hearing the whole of it.
        ("yes", "yes it has", True),  # "yeah it has"
        ("yes", "yes i think so", True),  # "yeah I think so"
        ("no", "no not really", True),
        ("yes", "yes it is yes", True),
        # Something after the answer that is not the same answer may take it back: asked again.
        ("yes", "yes i do not", False),  # "yes... actually no"
        ("yes", "yes i you are", False),  # "yes, I mean no": the parser would read "i" as "I am"
        ("no", "no not really yes", False),  # "no, sorry, yes"
        ("yes", "yes leg i'm", False),
        ("sure", "sure i'm going you", False),  # "short of breath": an emergency, never a "sure"
        ("yes", "yes it has not", False),
    ],
)
def test_an_answer_said_twice_over_stands_and_anything_else_after_it_is_asked_again(
    toy_knowledge: Knowledge, constrained: str, free: str, expected: bool
) -> None:
    parse = toy_knowledge.yes_no_parser.parse
    assert agrees(constrained, free, parse, phrases=GRAMMAR) is expected


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        ("yes", "yes ya", False),  # "yeah nah": the "ya" may be the "nah"
        ("yeah", "yeah ya", False),  # "yeah no"
        ("a little", "a little ya", False),  # "never coughed blood in my life"
        ("not sure", "not sure ya", False),
        # Alone, a look-alike carries the polarity the grammar heard: the same answer.
        ("yup", "ya", True),
        ("no", "nah", True),
    ],
)
def test_a_look_alike_heard_beside_the_answer_leaves_its_polarity_in_doubt(
    toy_knowledge: Knowledge, constrained: str, free: str, expected: bool
) -> None:
    parse = toy_knowledge.yes_no_parser.parse
    assert agrees(constrained, free, parse, frozenset({"ya", "nah"}), GRAMMAR) is expected


def test_look_alikes_are_the_short_words_one_phone_from_the_other_polarity(toy_knowledge: Knowledge) -> None:
    sounds = {"ya": ("Y", "AA"), "nah": ("N", "AA"), "no": ("N", "OW"), "yes": ("Y", "EH", "S")}
    found = look_alikes(polar_answers(list(sounds), toy_knowledge.yes_no_parser.parse, sounds.get))
    assert found == {"ya", "nah"}


def test_sound_alikes_are_words_heard_for_an_answer_of_the_other_polarity() -> None:
    sounds = {
        "know": ("N", "OW"),
        "no": ("N", "OW"),
        "ya": ("Y", "AA"),
        "so": ("S", "OW"),
        "it": ("IH", "T"),
        "yes": ("Y", "EH", "S"),
        "nose": ("N", "OW", "Z"),
    }
    answers = {"no": ("no", sounds["no"]), "nah": ("no", ("N", "AA")), "yes": ("yes", sounds["yes"])}
    found = sound_alikes(["know", "ya", "it", "nose", "yes"], "yes", answers, sounds.get)
    # "know" is "no"; "ya" is a phone from "nah"; a longer word must sound the same ("nose" is
    # not "no").
    assert found == {"know", "ya"}
    # Beside a no, a word like a yes is the doubt; words like another no are not.
    assert sound_alikes(["know", "yes"], "no", answers, sounds.get) == {"yes"}


@pytest.mark.parametrize(
    ("constrained", "free", "expected"),
    [
        ("the third one", "the first one", False),  # heard from "the first one"
        ("red skin", "a swollen vein", False),
        ("the third one", "the third", True),  # not a phrase of its own: only similarity counts
        ("no", "nope", True),  # two phrases, the same answer
    ],
)
def test_freely_heard_as_another_phrase_of_the_grammar_is_a_disagreement(
    toy_knowledge: Knowledge, constrained: str, free: str, expected: bool
) -> None:
    phrases = ("the first one", "the third one", "red skin", "a swollen vein", "no", "nope")
    assert agrees(constrained, free, toy_knowledge.yes_no_parser.parse, phrases=phrases) is expected


@pytest.mark.parametrize(
    ("text", "alternatives", "expected"),
    [
        # A no with a yes among the next hypotheses: "it does" heard as "it's not", "it is" as
        # "it isn't" (both heard so on espeak-ng speech through PocketSphinx).
        ("it's not", ("it does", "it is"), True),
        ("no", ("not really", "yes"), True),
        ("i don't", ("not really", "nope", "none", "i do"), False),  # deeper than the three searched
        ("no", ("nope", "not really"), False),
        ("no", ("not sure",), False),  # unsure is not yes
        # A yes is never doubted this way: it would ask again one right yes in five (measured).
        ("yes", ("no", "nope"), False),
        ("not sure", ("yes",), False),
        ("", ("yes",), False),
    ],
)
def test_a_no_with_a_yes_close_behind_it_is_in_doubt(
    toy_knowledge: Knowledge, text: str, alternatives: tuple[str, ...], expected: bool
) -> None:
    heard = Transcript(text, "test", alternatives=alternatives)
    assert no_in_doubt(heard, toy_knowledge.yes_no_parser.parse) is expected
    assert no_in_doubt(heard, None) is False


def hear_turn(recognizer: VerifiedRecognizer, phrases: Sequence[str] | None) -> Transcript:
    """One turn: the phrases expected, a moment of audio, and what is heard (the scripted inner
    recognizer decides what)."""
    recognizer.set_phrases(phrases)
    recognizer.accept(AudioChunk(b"\0\0" * 160, 16000))
    return recognizer.finish()


class ScriptedRecognizer:
    """Hears each utterance as the next of ``hearings``, whatever the audio."""

    name = "scripted"

    def __init__(self, hearings: Sequence[Transcript]) -> None:
        self.hearings = list(hearings)
        self.phrases: list[Sequence[str] | None] = []

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        self.phrases.append(phrases)

    def accept(self, chunk: AudioChunk) -> str | None:
        return None

    def finish(self) -> Transcript:
        return self.hearings.pop(0)


@pytest.mark.parametrize(
    ("grammar_hearing", "free_hearing", "understood"),
    [
        (Transcript("no", "scripted", alternatives=("nope", "not really")), "no", "no"),
        (Transcript("no", "scripted", alternatives=("yes", "nope")), "no", ""),
        (Transcript("yes", "scripted", alternatives=("no", "nope")), "yes", "yes"),
    ],
)
def test_a_heard_no_stands_only_without_a_yes_close_behind_it(
    toy_knowledge: Knowledge, grammar_hearing: Transcript, free_hearing: str, understood: str
) -> None:
    inner = ScriptedRecognizer([grammar_hearing, Transcript(free_hearing, "scripted")])
    recognizer = VerifiedRecognizer(inner, toy_knowledge.yes_no_parser.parse)
    heard = hear_turn(recognizer, GRAMMAR)
    assert heard.text == understood
    if not understood:
        # Asked again: the hearings go along as hypotheses, and the grammar is back for the retry.
        assert free_hearing in heard.alternatives
    assert inner.phrases[-1] == GRAMMAR


class AlarmedRecognizer(ScriptedRecognizer):
    """A scripted recognizer whose alarm model hears only when asked, and always "chest pain"."""

    alarm_on_request = True

    def __init__(self, hearings: Sequence[Transcript]) -> None:
        super().__init__(hearings)
        self.alarms_asked = 0

    def hear_alarm(self) -> tuple[str, ...]:
        self.alarms_asked += 1
        return ("chest pain",)


@pytest.mark.parametrize(("opening", "settled"), [("my toe hurts", True), ("my toe", False)])
def test_the_alarm_model_is_asked_only_when_the_opening_is_not_settled(
    toy_knowledge: Knowledge, opening: str, settled: bool
) -> None:
    """An opening understood outright (an accepted intent, an emergency) weighs no other hearing,
    so the alarm model's hearing could change nothing and costs only time: it is not asked.
    Any other opening carries what the alarm model heard."""
    inner = AlarmedRecognizer([Transcript(opening, "scripted")])
    understander = toy_knowledge.understander
    recognizer = VerifiedRecognizer(inner, toy_knowledge.yes_no_parser.parse, settled=understander.settled)
    assert understander.settled(opening) is settled
    heard = hear_turn(recognizer, None)
    assert heard.text == opening
    assert heard.alarms == (() if settled else ("chest pain",))
    assert inner.alarms_asked == (0 if settled else 1)


def test_a_second_look_at_an_answer_always_asks_the_alarm_model(toy_knowledge: Knowledge) -> None:
    """An answer not confirmed is heard again with the opening's model, and by the alarm model
    whatever the opening's model heard: an emergency said instead of an answer is checked."""
    hearings = [Transcript("yes", "scripted"), Transcript("my toe hurts", "scripted")]
    inner = AlarmedRecognizer([*hearings, Transcript("my toe hurts", "scripted")])
    recognizer = VerifiedRecognizer(
        inner, toy_knowledge.yes_no_parser.parse, settled=toy_knowledge.understander.settled
    )
    heard = hear_turn(recognizer, GRAMMAR)
    assert heard.text == ""
    assert heard.alarms == ("chest pain",)
    assert inner.alarms_asked == 1


class OpeningRecognizer(ScriptedRecognizer):
    """A scripted recognizer whose alarm model hears nothing."""

    alarm_on_request = True

    def hear_alarm(self) -> tuple[str, ...]:
        return ()


@pytest.mark.parametrize(
    ("grammar", "free", "understood"),
    [
        ("i think so", "i think so", "i think so"),
        ("i think so", "i think i'm choking", ""),  # an emergency said: more than an answer
        ("not sure", "not sure i can't breathe", ""),
        ("yes", "yes repeat that", ""),  # a command said after the answer
        ("yes", "yes please", "yes"),
        ("repeat that", "repeat that please", "repeat that"),  # a command is no answer to check
    ],
)
def test_an_answer_stands_only_beside_a_free_hearing_that_holds_no_emergency_or_command(
    toy_knowledge: Knowledge, grammar: str, free: str, understood: str
) -> None:
    """The second hearing is the opening's, which knows every emergency phrase and command: one
    heard there beside the grammar's answer means the person said more than an answer, and the
    question is asked again with the free hearing among the hypotheses (an emergency in it is
    then checked)."""
    understander = toy_knowledge.understander
    inner = OpeningRecognizer([Transcript(grammar, "scripted"), Transcript(free, "scripted")])
    recognizer = VerifiedRecognizer(
        inner,
        toy_knowledge.yes_no_parser.parse,
        beyond_answer=understander.beyond_answer,
    )
    grammar_phrases = ["yes", "yes please", "i think so", "not sure", "repeat that"]
    heard = hear_turn(recognizer, grammar_phrases)
    assert heard.text == understood
    if not understood:
        assert free in heard.alternatives
    # The opening's model heard the second time (no phrases), and the grammar is back after.
    assert inner.phrases[-2] is None
    assert list(inner.phrases[-1] or ()) == grammar_phrases
    assert not inner.hearings


class CheckingRecognizer(OpeningRecognizer):
    """A scripted recognizer that also has a plainer checking model."""

    def hear_freely(self) -> None:
        """The checking model: the next hearing is its."""


@pytest.mark.parametrize(
    ("hearings", "understood"),
    [
        # The opening's model heard a short answer as another short word: the checking model
        # hearing exactly the grammar's words backs it.
        (["no", "oh", "no"], "no"),
        (["no", "", "no"], "no"),
        (["no", "oh", "nope"], ""),  # not exactly the grammar's words
        # No third hearing when the opening's model heard more words, or the other polarity.
        (["no", "oh my leg is", None], ""),
        (["yes", "nope", None], ""),
        (["yes", "yes", None], "yes"),
        # A command the opening's model heard as another ("stop" as "ta ta"): the checking model
        # decides, as for any command.
        (["stop", "ta ta", "stop"], "stop"),
        (["stop", "ta ta", "ta ta"], ""),
    ],
)
def test_the_checking_model_backs_a_short_answer_or_a_command_the_opening_model_misheard(
    toy_knowledge: Knowledge, hearings: list[str | None], understood: str
) -> None:
    inner = CheckingRecognizer([Transcript(h, "scripted") for h in hearings if h is not None])
    recognizer = VerifiedRecognizer(
        inner, toy_knowledge.yes_no_parser.parse, beyond_answer=toy_knowledge.understander.beyond_answer
    )
    assert hear_turn(recognizer, ["yes", "no", "nope", "stop", "ta ta"]).text == understood
    assert not inner.hearings  # every hearing scripted was asked for, and no more
