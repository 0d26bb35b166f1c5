"""Out-of-grammar rejection for recognizers that have none.

A grammar makes a recognizer pick the closest allowed phrase for *any* sound: PocketSphinx, and
Vosk models without an ``[unk]`` word, turn "purple elephant banana" into "no" or "none". For a
health assistant that is a silent wrong answer, possibly to a red-flag question. So the same audio
is decoded a second time, free-form with the opening's language model (the widest one: every
answer, command and emergency phrase), and the constrained answer stands only when the two agree.
When they do not, the turn counts as not understood and the question is asked again: never a
guessed yes or no.

Agreement guards polarity above all, since a grammar tends to hear only the first words of an
answer ("yeah no" as "yes"): a free hearing of the other polarity, a word beside the answer that
sounds like an answer of the other polarity ("yes know", "yes ya"), or anything after the answer
that is not the same answer again ("yes i you are" for "yes, I mean no") means the question is
asked again. So does a free hearing that holds an emergency or a command ("i think i'm choking"
beside the grammar's "i think so"). A no, the answer that lowers urgency, also stands only when
the grammar's next hypotheses hold no yes (:func:`no_in_doubt`).

The opening's model can hear a short answer as another short word ("oh" for "no"): an answer it
heard as nothing longer and of no other meaning is then backed by the plainer checking model
(every domain phrase once), when that hears exactly the grammar's words. A command or a choice
the opening's model did not back ("stop" heard as "ta ta") is checked by the checking model as
before.

Which model hears the second time was chosen with the grammar's, the checking model's and the
opening model's hearings of each turn of the answer corpus recorded (4 voices at 140 and 175 words
a minute; 3,480 answer turns, emergency phrases heard by the grammar left out) and each rule
replayed on them. Counted: answers understood, polarity flips (a yes taken as no or the reverse),
and other replies (commands, emergencies, remarks) taken as an answer:

=============================================================  ==========  =====  =====
second hearing                                                 understood  flips  other
=============================================================  ==========  =====  =====
the checking model (before)                                        796        92     73
the checking model, then the opening's against flips               775        67     70
the opening's model                                                765        56     58
the opening's model, the checking model for short answers          784        61     59
=============================================================  ==========  =====  =====

Both hearings can agree on wrong words ("it's not" for "it does", "i don't think so" for "I
should think so"); the opening's model, which also knows the longer ways of answering, less often
does. The last row is what is done: a third decode only when the opening's model did not agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from assistant.voice.audio import AudioChunk
from assistant.voice.pronounce import SHORT
from assistant.voice.recognizer import Recognizer, Transcript

log = logging.getLogger(__name__)


@runtime_checkable
class Adaptive(Protocol):
    """A recognizer whose state adapts to what it hears, and can be put back."""

    def snapshot(self) -> str: ...

    def restore(self, state: str) -> None: ...


@runtime_checkable
class Checking(Protocol):
    """A recognizer with a plainer free-form model for checking answers (PocketSphinx)."""

    def hear_freely(self) -> None: ...


#: What an utterance means as an answer ("yes", "no", "unsure"), or None.
Meaning = Callable[[str], str | None]

#: How similar (0-100) the free-form hearing must be to the constrained answer to confirm it.
AGREEMENT = 75


def agrees(
    constrained: str,
    free: str,
    meaning: Meaning | None = None,
    look_alikes: frozenset[str] = frozenset(),
    phrases: Iterable[str] = (),
) -> bool:
    """Whether free-form recognition of the same audio backs up the constrained answer.

    Free-form hearing of a real answer is the answer or a near variant ("nope" for "no", "sure"
    for "not sure"); of anything else, a longer, different sentence ("there is my leg" where the
    grammar forced "there is"). ``meaning`` (the yes/no parser) lets "nah" confirm "no".
    ``look_alikes``: words that sound like an answer of the other polarity ("ya" like "nah",
    "know" like "no"); one heard freely beside the answer leaves its polarity in doubt ("yeah no"
    heard as "yes" by the grammar and "yes know" freely), so the answer stands only as an answer
    said twice over. ``phrases``: the grammar's phrases, for that (see :func:`_answer_and_more`).
    """
    if not free:
        return False
    if free == constrained:
        return True
    said, heard, allowed = constrained.split(), free.split(), frozenset(phrases)
    doubt = len(heard) > len(said) and any(w in look_alikes for w in heard if w not in said)
    if doubt or len(heard) > len(said) + 1:
        return _answer_and_more(said, heard, meaning, allowed - look_alikes)
    if free in allowed and (meaning is None or meaning(constrained) is None or meaning(free) is None):
        # Freely heard as another of the grammar's phrases, word for word ("the first one" where
        # the grammar heard "the third one"): two hearings of different things. A command said in
        # other words ("repeat" beside "repeat that") is still understood from both hearings.
        return False
    if meaning is not None:
        understood, other = meaning(constrained), meaning(free)
        if understood is not None and other is not None:
            if understood == other:
                return True
            # A yes or a no stands only if the free hearing does not mean something else: a
            # look-alike of the other polarity ("i don't think so" beside "i should think so",
            # "absolutely" for "absolutely not") is asked again. "not sure" heard freely as
            # "sure" (the "not" dropped) stays unsure, the answer that asks again anyway.
            return understood not in ("yes", "no")
    return fuzz.partial_ratio(constrained, free) >= AGREEMENT


#: The longest answer phrase looked for in a free hearing, in words.
_LONGEST = 6


def _answer_and_more(
    said: list[str], free: list[str], meaning: Meaning | None, phrases: frozenset[str]
) -> bool:
    """An answer said twice over ("yes it has", "no not really"): the grammar heard the answer,
    and the free hearing is the same words followed only by other answer phrases of the same
    meaning. Anything else after the answer may take it back ("yes, I mean no" heard freely as
    "yes i you are", "yes... actually no" as "yes i do not"), so it is asked again."""
    if meaning is None or free[: len(said)] != said:
        return False
    understood = meaning(" ".join(said))
    return understood is not None and _covered(free[len(said) :], understood, meaning, phrases)


def _covered(words: list[str], understood: str, meaning: Meaning, phrases: frozenset[str]) -> bool:
    """Whether the words are a run of answer phrases, each meaning ``understood``."""
    if not words:
        return True
    for n in range(min(_LONGEST, len(words)), 0, -1):
        head = " ".join(words[:n])
        same = head in phrases and meaning(head) == understood
        if same and _covered(words[n:], understood, meaning, phrases):
            return True
    return False


#: Each yes or no phrase of a grammar, with its polarity and phones.
Polar = dict[str, tuple[str, tuple[str, ...]]]


def polar_answers(
    phrases: Sequence[str], meaning: Meaning, phones: Callable[[str], tuple[str, ...] | None]
) -> Polar:
    """The phrases that mean yes or no, with that meaning and their phones (those the recognizer
    can spell out)."""
    polar: Polar = {}
    for phrase in phrases:
        value, sound = meaning(phrase), phones(phrase)
        if value in ("yes", "no") and sound:
            polar[phrase] = (value, sound)
    return polar


def look_alikes(polar: Polar) -> frozenset[str]:
    """The short yes/no phrases that sound like one of the other polarity ("ya" and "nah": Y AA,
    N AA), within one phone."""
    found: set[str] = set()
    for a, (value_a, sound_a) in polar.items():
        for b, (value_b, sound_b) in polar.items():
            short = min(len(sound_a), len(sound_b)) <= SHORT
            if value_a != value_b and short and Levenshtein.distance(sound_a, sound_b, score_cutoff=1) <= 1:
                found |= {a, b}
    return frozenset(found)


def without_look_alikes(phrases: Sequence[str], polar: Polar) -> list[str]:
    """The phrases without the short yes/no words that sound like one of the other polarity
    (``polar``: the phrases' :func:`polar_answers`).

    Measured on espeak-ng speech: with "ya" in a yes/no grammar, "nah", "naw", "nuh uh" and
    "none" were all heard as "ya", a no taken as a yes, and the free-form hearing agreed. Left out,
    the person is heard as the nearest clear word of the same polarity ("no", "yeah"), or asked
    again.
    """
    drop = look_alikes(polar)
    if drop:
        log.debug("left out of the grammar, too like an answer of the other polarity: %s", sorted(drop))
    return [p for p in phrases if p not in drop]


def sound_alikes(
    words: Iterable[str],
    polarity: str,
    answers: Polar,
    phones: Callable[[str], tuple[str, ...] | None],
) -> frozenset[str]:
    """The words that sound like a one-word answer of another polarity than ``polarity``: the
    same phones ("know" and "no"), or one phone apart when both are short ("ya" and "nah").
    ``answers``: each one-word answer's polarity and phones."""
    found: set[str] = set()
    for word in words:
        sound = phones(word)
        if not sound:
            continue
        for value, answer_sound in answers.values():
            if value == polarity:
                continue
            reach = 1 if max(len(sound), len(answer_sound)) <= SHORT else 0
            if Levenshtein.distance(sound, answer_sound, score_cutoff=reach) <= reach:
                found.add(word)
                break
    return frozenset(found)


#: How many of the grammar's next-best hypotheses are searched for a yes beside a heard no.
NO_DOUBT_DEPTH = 3


def no_in_doubt(heard: Transcript, meaning: Meaning | None) -> bool:
    """Whether a heard "no" has a "yes" among the grammar's next-best hypotheses.

    A no is the answer that lowers urgency (no chest pain, no fever), so it has to be heard
    cleanly: with a yes close behind it, the question is asked again. Only this direction is
    checked. Measured on the answer corpus in two voices not used to build the rules (1,088
    turns): of 14 yes answers heard as no, 9 had a yes among the next three hypotheses, against 5
    of 93 no answers heard rightly, which are asked again. The same rule for a heard yes would
    have caught 8 of 19 no answers heard as yes but asked again 26 of 136 right yes answers."""
    if meaning is None or meaning(heard.text) != "no":
        return False
    return any(meaning(other) == "yes" for other in heard.alternatives[:NO_DOUBT_DEPTH])


class VerifiedRecognizer:
    """A :class:`Recognizer` whose constrained answers are confirmed by a free-form second pass."""

    def __init__(
        self,
        inner: Recognizer,
        meaning: Meaning | None = None,
        trusted: Iterable[str] = (),
        settled: Callable[[str], bool] | None = None,
        beyond_answer: Callable[[str], bool] | None = None,
    ) -> None:
        self.inner = inner
        self.meaning = meaning
        #: Whether a hearing holds more than an answer could (an emergency, a command): a yes, no
        #: or unsure from the grammar never stands beside a free hearing that does. None: not
        #: checked.
        self.beyond_answer = beyond_answer
        #: Whether an opening heard as this is understood on its own, with no other hearing
        #: weighed (an intent accepted outright, an emergency): the inner recognizer's alarm
        #: model is then not asked, since what it heard could change nothing. None: always asked.
        self.settled = settled
        #: Phrases accepted without a second opinion: the emergency phrases. Wrongly hearing an
        #: emergency costs a call for help; wrongly dropping one could cost a life.
        self.trusted = frozenset(trusted)
        self.name = inner.name
        self._phrases: tuple[str, ...] | None = None
        #: The grammar's one-word yes and no answers, with their phones (before the look-alikes
        #: are left out: those are the words most easily heard for one another).
        self._answers: Polar = {}
        self._audio: list[AudioChunk] = []

    @property
    def phrases(self) -> tuple[str, ...] | None:
        return self._phrases

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        phones = getattr(self.inner, "phones", None)
        self._answers = {}
        if phrases is not None and self.meaning is not None and callable(phones):
            polar = polar_answers(phrases, self.meaning, phones)
            self._answers = {p: answer for p, answer in polar.items() if " " not in p}
            phrases = without_look_alikes(phrases, polar)
        self.inner.set_phrases(phrases)
        self._phrases = tuple(phrases) if phrases is not None else None
        self._audio = []

    def hear_wake(self) -> None:
        """Listen for the wake phrase with the inner recognizer's wake model (free-form: nothing to
        confirm)."""
        hear_wake = getattr(self.inner, "hear_wake", None)
        if not callable(hear_wake):
            raise ValueError(f"the {self.name} recognizer cannot listen for a wake phrase")
        hear_wake()
        self._phrases = None
        self._audio = []

    def accept(self, chunk: AudioChunk) -> str | None:
        if self._phrases is not None:
            self._audio.append(chunk)
        return self.inner.accept(chunk)

    def finish(self) -> Transcript:
        heard = self.inner.finish()
        audio, self._audio = self._audio, []
        if self._phrases is None:
            if self.settled is not None and heard.text and self.settled(heard.text):
                return heard
            return self._with_alarms(heard)
        if not audio or heard.text in self.trusted:
            return heard
        # A second look at the same audio must not teach the recognizer twice: adaptive state
        # (PocketSphinx's running cepstral mean) drifts otherwise, and later turns are misheard.
        adaptive = self.inner if isinstance(self.inner, Adaptive) else None
        state = adaptive.snapshot() if adaptive else None
        # The second hearing is the opening's: free-form, with everything the person may say at
        # the start (answers, commands, every emergency phrase).
        self.inner.set_phrases(None)
        second = self._hear(audio)
        free = second.text
        hypotheses = [free, heard.text]
        confirmed = self._stands(heard, free) if heard.text else False
        if confirmed is None and isinstance(self.inner, Checking):
            # Only the checking model, plainer, can still back the answer (see :meth:`_stands`).
            self._restore(adaptive, state)  # each look starts from the state the first left
            self.inner.hear_freely()
            checked = self._hear(audio).text
            hypotheses.insert(1, checked)
            confirmed = self._checked(heard, checked)
        if not confirmed:
            # What the alarm model heard goes along too, so that an emergency said instead of an
            # answer ("I can't breathe") is checked, not lost.
            self._restore(adaptive, state)
            second = self._with_alarms(second)
        self._restore(adaptive, state)
        self.inner.set_phrases(self._phrases)
        if confirmed:
            return heard
        log.debug("constrained %r not confirmed by free-form %r: not understood", heard.text, free)
        # The hearings go along as hypotheses: an emergency said instead of an answer is then
        # checked, not lost.
        return Transcript(
            "",
            heard.engine,
            alternatives=tuple(dict.fromkeys(a for a in hypotheses if a)),
            alarms=second.alarms,
        )

    def _stands(self, heard: Transcript, free: str) -> bool | None:
        """Whether the grammar's hearing stands beside the opening model's hearing of the same
        audio: True or False, or None when the checking model is to decide (see
        :meth:`_checked`): for a command or a choice the opening's model did not back, and for a
        short answer it heard as nothing longer and of no other meaning ("oh" for "no")."""
        answer = self._answer(heard.text)
        if answer and free and self.beyond_answer is not None and self.beyond_answer(free):
            # Freely heard as an emergency or a command: what was said is more than an answer.
            return False
        if agrees(heard.text, free, self.meaning, self._doubtful(heard.text, free), self._phrases or ()):
            return not no_in_doubt(heard, self.meaning)
        if not isinstance(self.inner, Checking):
            return False
        if answer and (len(free.split()) > len(heard.text.split()) or self._opposed(heard.text, free)):
            return False
        return None

    def _checked(self, heard: Transcript, checked: str) -> bool:
        """Whether the checking model's hearing backs the grammar's: an answer only when it is
        exactly the grammar's words; a command or a choice when it agrees (see :func:`agrees`).
        The opening's model hears "stop" as "ta ta" (goodbye), which the plainer model does not."""
        if self._answer(heard.text):
            return checked == heard.text and not no_in_doubt(heard, self.meaning)
        return agrees(
            heard.text, checked, self.meaning, self._doubtful(heard.text, checked), self._phrases or ()
        )

    def _opposed(self, answer: str, free: str) -> bool:
        """Whether the free hearing means the other polarity of a yes or no."""
        if self.meaning is None:
            return False
        pair = {self.meaning(answer), self.meaning(free)}
        return pair == {"yes", "no"}

    @staticmethod
    def _restore(adaptive: Adaptive | None, state: str | None) -> None:
        if adaptive is not None and state is not None:
            adaptive.restore(state)

    def _answer(self, text: str) -> bool:
        """Whether the text means yes, no or unsure."""
        return self.meaning is not None and self.meaning(text) is not None

    def _with_alarms(self, heard: Transcript) -> Transcript:
        """What the inner recognizer's alarm model heard of an utterance heard with the opening's
        model, when the recognizer has one that hears only when asked."""
        hear_alarm = getattr(self.inner, "hear_alarm", None)
        if heard.alarms or not callable(hear_alarm) or not getattr(self.inner, "alarm_on_request", False):
            return heard
        return replace(heard, alarms=hear_alarm())

    def _doubtful(self, constrained: str, free: str) -> frozenset[str]:
        """The words of the free hearing, beside the answer, that sound like an answer of the
        other polarity."""
        phones = getattr(self.inner, "phones", None)
        polarity = self.meaning(constrained) if self.meaning is not None else None
        if not callable(phones) or polarity is None or not self._answers:
            return frozenset()
        said = set(constrained.split())
        return sound_alikes((w for w in free.split() if w not in said), polarity, self._answers, phones)

    def _hear(self, audio: Sequence[AudioChunk]) -> Transcript:
        for chunk in audio:
            self.inner.accept(chunk)
        return self.inner.finish()
