"""Understand once: what an utterance is, given what was asked.

:func:`understand` normalises the utterance once and returns an :class:`Understanding`: an
emergency (certain, or possible: one check question to ask), a command, the intent it matches at
the opening, or the answer to the question asked. It decides nothing about the conversation:
:attr:`Understanding.meaning` only says which of these comes first, and the dialog decides what to
do with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from assistant.base.intents import Intent, Question, SystemPack
from assistant.understanding.answers import SEVERAL, ChoiceParser, YesNoParser, number_in, stem
from assistant.understanding.commands import CommandRecognizer
from assistant.understanding.emergencies import EmergencyDetector, Finding
from assistant.understanding.hearing import Heard, Hearing
from assistant.understanding.mentions import MentionFinder
from assistant.understanding.normalize import Normalizer

if TYPE_CHECKING:  # the matcher (and NumPy) loads when it is built, not before the first prompt
    from assistant.understanding.matcher import IntentMatch, IntentMatcher

ExpectKind = Literal["open", "yes_no", "choice", "number"]
Meaning = Literal[
    "nothing", "emergency", "possible_emergency", "command", "intent", "answer", "several", "not_understood"
]


@dataclass(frozen=True)
class Expecting:
    """What is being asked: the opening ("open"), or a question of one of these kinds."""

    kind: ExpectKind = "open"
    question: Question | None = None


OPENING = Expecting()

T = TypeVar("T")

#: How alike (0-1, see :mod:`~assistant.understanding.slips`) an unknown word must be to a part of
#: the body to name it ("ankel" 0.8, "caf" 0.86; "food" is only 0.75 "foot").
PART_SLIP = 0.8
#: Recognizer hypotheses looked at beyond the best one.
MAX_HYPOTHESES = 4


@dataclass(frozen=True)
class Understanding:
    """Everything one utterance was understood as. Frozen: the dialog only reads it."""

    heard: Heard
    emergency: Finding | None = None
    command: str | None = None
    #: Intent matches at the opening, best first.
    matches: tuple[IntentMatch, ...] = ()
    #: The answer to the question asked: "yes" / "no" / "unsure", a choice id, or a number.
    answer: str | int | None = None
    #: True when a choice answer named several options, or none in particular ("both", "yes").
    several: bool = False

    @property
    def meaning(self) -> Meaning:
        """Which part counts first: an emergency, then a command, then the intent or answer."""
        if not self.heard.words:
            return "nothing"
        if self.emergency is not None:
            return "emergency" if self.emergency.certain else "possible_emergency"
        if self.command is not None:
            return "command"
        if self.matches:
            return "intent"
        if self.answer is not None:
            return "answer"
        return "several" if self.several else "not_understood"

    @property
    def top(self) -> IntentMatch | None:
        return self.matches[0] if self.matches else None


def _locates(words: Sequence[str], j: int) -> bool:
    """The j-th word only locates the next one ("back" in "the back of my knee")."""
    return j + 1 < len(words) and words[j + 1] == "of"


@dataclass
class Understander:
    """The parsers, built once per set of intents (see :class:`~assistant.content.knowledge.Knowledge`)."""

    system: SystemPack
    intents: tuple[Intent, ...]
    normalizer: Normalizer
    matcher: IntentMatcher
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @cached_property
    def hearing(self) -> Hearing:
        return Hearing(self.normalizer, self.system.words)

    @cached_property
    def regions(self) -> dict[str, str]:
        """Word -> the body region it names."""
        return {
            w: region
            for region, words in self.system.words.body_regions.items()
            for site in words
            for w in self.normalizer.tokens(site)
        }

    @cached_property
    def intent_regions(self) -> dict[str, frozenset[str]]:
        """The body regions each intent is about: those its phrases, keywords and choices name."""
        out: dict[str, frozenset[str]] = {}
        for i in self.intents:
            texts = (
                *i.sentences(),
                *i.keywords,
                *(w for q in i.questions for c in q.choices for w in c.words),
            )
            # Word by word with a cache: templates give thousands of sentences of few words.
            tokens: dict[str, tuple[str, ...]] = {}
            named: set[str] = set()
            for text in texts:
                words = text.lower().split()
                for j, word in enumerate(words):
                    if word not in tokens:
                        tokens[word] = tuple(self.normalizer.tokens(word))
                    if not _locates(words, j):
                        named |= {self.regions[t] for t in tokens[word] if t in self.regions}
            out[i.id] = frozenset(named)
        return out

    def _named(self, words: tuple[str, ...]) -> set[str]:
        """The body regions the words name; "back of" and "bottom of" only locate the next word. A
        word misspelt or misheard for a part of the body counts ("ankel", "caf")."""
        named: set[str] = set()
        for j, w in enumerate(words):
            part = w if w in self.regions else self._slip_of_part(w)
            if part is not None and not _locates(words, j):
                named.add(self.regions[part])
        return named

    def _slip_of_part(self, word: str) -> str | None:
        """The part of the body an unknown word is a slip of, when it is one clearly enough."""
        if word in self.normalizer.stopwords or not word.isalpha():
            return None
        similar = self.matcher.slips.similar(word)
        parts = [(s, w) for w, s in similar.items() if w in self.regions and s >= PART_SLIP]
        return max(parts)[1] if parts else None

    def names_part_of(self, intent: Intent, words: Sequence[str]) -> bool:
        """The words name a part of the body in a region the intent is about ("my foot")."""
        return bool(self._named(tuple(words)) & self.intent_regions.get(intent.id, frozenset()))

    def _about_elsewhere(self, match: IntentMatch, words: tuple[str, ...]) -> bool:
        """The utterance names parts of the body, none of them in a region the intent is about."""
        named = self._named(words)
        return bool(named) and not named & self.intent_regions.get(match.intent.id, frozenset())

    def _about_a_thing(self, match: IntentMatch, words: tuple[str, ...]) -> bool:
        """The utterance names no part of the body, for an intent about one, but names something
        the intent never mentions ("my coffee has gone warm", "the oven is hot")."""
        if not self.intent_regions.get(match.intent.id) or self._named(words):
            return False
        known = self.matcher.postings
        stop = self.normalizer.stopwords
        return any(w not in known and w not in stop and not w.isdigit() for w in words)

    @cached_property
    def mentions(self) -> MentionFinder:
        words, tokens = self.system.words, self.normalizer.tokens
        negations = frozenset(w for n in words.negations for w in tokens(n))
        hedges = tuple(t for t in (tuple(tokens(h)) for h in words.hedges) if t)
        joiners = frozenset(w for c in words.conjunctions.values() for w in tokens(c))
        return MentionFinder(self.normalizer, negations, hedges, joiners)

    @cached_property
    def emergencies(self) -> EmergencyDetector:
        """The emergency detector; the system file's own emergency number is one it knows."""
        return EmergencyDetector(
            self.system.emergencies,
            self.system.words,
            self.normalizer,
            self.system.commands.get("emergency", ()),
        ).with_number(self.system.emergency_number)

    @cached_property
    def commands(self) -> CommandRecognizer:
        return CommandRecognizer(self.system, self.normalizer)

    @cached_property
    def yes_no(self) -> YesNoParser:
        return YesNoParser(self.system, self.normalizer)

    @cached_property
    def choices(self) -> ChoiceParser:
        return ChoiceParser(self.system, self.normalizer)

    def _of_question(self, what: str, question: Question, make: Callable[[], T]) -> T:
        """``make()`` for a question, worked out once (each question is asked at many turns)."""
        key = f"{what}:{question.id}:{question.ask}"
        if key not in self._cache:
            self._cache[key] = make()
        return cast(T, self._cache[key])

    def asks_about(self, question: Question) -> frozenset[str]:
        """The emergency concepts a question asks about, found in its own words (cached)."""
        return self._of_question(
            "asks",
            question,
            lambda: self.emergencies.concepts_in(
                [*self.hearing.hear(question.ask).clauses, *self.hearing.hear(question.reprompt).clauses]
            ),
        )

    def understand(
        self,
        text: str,
        expecting: Expecting = OPENING,
        *,
        check_emergency: bool = True,
        emergency_number: str | None = None,
    ) -> Understanding:
        """What ``text`` is, said when ``expecting`` was asked. Pure: no state is changed.

        ``emergency_number``: the number the person was told to call (``--emergency-number``),
        understood as an emergency number too ("call 000")."""
        heard = self.hearing.hear(text)
        if not heard.words:
            return Understanding(heard)
        detector = self.emergencies.with_number(emergency_number)
        emergency = detector.detect(heard.clauses) if check_emergency else None
        command = self.commands.command_words(heard.words)
        if command is None and expecting.kind == "yes_no":
            command = self.commands.names_previous(heard.words)
        matches: tuple[IntentMatch, ...] = ()
        answer: str | int | None = None
        several = False
        if command is None:
            if expecting.kind == "open":
                ranked = self.matcher.match(heard.joined)
                matches = tuple(
                    m
                    for m in ranked
                    if not self._about_elsewhere(m, heard.words) and not self._about_a_thing(m, heard.words)
                )
            elif expecting.kind == "yes_no":
                extra = expecting.question.answer_words if expecting.question else None
                topic = self._topic(expecting.question) if expecting.question else None
                # A reply that asks ("is that bad?") is no yes or no, whatever words it holds.
                asked = heard.text.rstrip().endswith("?")
                answer = None if asked else self.yes_no.parse_words(heard.words, extra or None, topic)
            elif expecting.kind == "choice" and expecting.question is not None:
                found = self.choices.parse_words(heard.words, expecting.question)
                polar = self.yes_no.parse_words(heard.words) if found is None else None
                # "yes" to "which of these?" means one of them, not which: asked one by one.
                several = found == SEVERAL or polar == "yes"
                # A no that names no option ("I don't think any of those") is the option that
                # is itself a no ("none"), when exactly one is.
                if polar == "no":
                    found = self._negative_choice(expecting.question)
                answer = None if several else found
            elif expecting.kind == "number":
                answer = number_in(heard.words)
        if command is None and answer is None and not several and not matches:
            command = self.commands.keyword(heard.words, self._asked_words(expecting))
        return Understanding(heard, emergency, command, matches, answer, several)

    def _asked_words(self, expecting: Expecting) -> frozenset[str]:
        """The words of the question being asked (none at the opening)."""
        question = expecting.question
        if question is None:
            return frozenset()
        return self._of_question("words", question, lambda: frozenset(self.normalizer.tokens(question.ask)))

    def _topic(self, question: Question) -> frozenset[str]:
        """The stems of the words a yes/no question is asked in (its wording, reprompt, answer
        words and mentions), cached."""

        def stems() -> frozenset[str]:
            texts = [
                question.ask,
                question.reprompt,
                *(w for words in question.answer_words.values() for w in words),
                *(w for words in question.mentions.values() for w in words),
            ]
            return frozenset(stem(w) for t in texts if t for w in self.normalizer.tokens(t))

        return self._of_question("topic", question, stems)

    def _negative_choice(self, question: Question) -> str | None:
        """The one option of a choice question that is a no ("none": [none, "no", nothing])."""

        def only_no() -> str | None:
            negative = [c.id for c in question.choices if any(self.yes_no.parse(w) == "no" for w in c.words)]
            return negative[0] if len(negative) == 1 else None

        return self._of_question("negative", question, only_no)

    def understand_hypotheses(
        self,
        text: str,
        alternatives: Sequence[str],
        expecting: Expecting = OPENING,
        *,
        spoken: bool = False,
        emergency_number: str | None = None,
    ) -> Understanding:
        """What a recognizer heard, given its best hearing ``text`` and its other hypotheses.

        The best hearing counts when it is understood with confidence (an intent the assistant
        would accept, an answer, a command, an emergency). Otherwise what the recognizer also
        considered is used:

        - a clear emergency in another hypothesis ("i can't breathe" where the best hearing is
          "icy can bring") becomes a possible emergency: the dialog asks the concept's one direct
          question rather than drop it. A mere hint in another hypothesis ("heart" for "hot") is
          not enough: measured on spoken openings, it would ask one leg complaint in five;
        - at the opening, the hypothesis whose intent match scores best wins (the second guess is
          often the person's words with one word put right: "my ankle" for "my uncle");
        - at a question, a command two other hypotheses agree on, when the best hearing is not
          understood ("could you repeat that" heard by one model, "repeat that" by the grammar).
          Measured on the spoken corpus (about 1,300 turns at questions): 23 commands understood
          so, 5 taken where none was said (repeat, explain, help, go back; none stop or goodbye).

        ``spoken``: what a speech recognizer heard, not typed. A hearing that would be a clear
        emergency with a word read as its negative ("i can breathe": the T of "can't" is short and
        often lost) is then a possible emergency, even in the best hearing: measured on the spoken
        corpus (7,888 turns), 11 emergencies checked that were missed, 3 needless checks.

        An answer is never taken from another hypothesis: a yes/no whose polarity differs between
        hearings is asked again, never guessed (the recognizer adapters see to that).
        """
        first = self.understand(text, expecting, emergency_number=emergency_number)
        if spoken and first.emergency is None:
            unheard = self._unheard_negative([text, *alternatives[:MAX_HYPOTHESES]], emergency_number)
            if unheard is not None:
                finding, heard = unheard
                return replace(first if first.heard.words else Understanding(heard), emergency=finding)
        others = [
            self.understand(alt, expecting, emergency_number=emergency_number)
            for alt in dict.fromkeys(a for a in alternatives[:MAX_HYPOTHESES] if a and a != text)
        ]
        if not others or self._confident(first, expecting):
            return first
        if first.emergency is None:
            source = next((o for o in others if o.emergency is not None and o.emergency.certain), None)
            if source is not None and source.emergency is not None:
                possible = replace(source.emergency, certain=False)
                if first.heard.words:
                    return replace(first, emergency=possible)
                # Nothing sure was heard: only the emergency of the other hearing counts.
                return Understanding(source.heard, emergency=possible)
        if expecting.kind != "open" and first.meaning in ("not_understood", "nothing"):
            agreed = Counter(o.command for o in others if o.meaning == "command")
            command, votes = next(iter(agreed.most_common(1)), (None, 0))
            if command is not None and votes >= 2:
                return next(o for o in others if o.command == command)
        if expecting.kind == "open" and first.meaning in ("intent", "not_understood", "nothing"):
            best = first
            for other in others:
                if (
                    other.meaning == "intent"
                    and other.top is not None
                    and (best.top is None or other.top.score > best.top.score)
                ):
                    best = other
            if best is not first and best.top is not None and best.top.score >= self.system.confirm_score:
                return best
        return first

    def _unheard_negative(
        self, hypotheses: Sequence[str], emergency_number: str | None = None
    ) -> tuple[Finding, Heard] | None:
        """A possible emergency in a recognizer's hypotheses once a word it hears for its negative
        is read as the negative ("i can breathe" for "I can't breathe": the T is short and often
        lost), with the hypothesis it is in. Only a hypothesis that is no emergency as heard, and
        becomes a certain one so; never before a pronoun ("can you say that again")."""
        detector = self.emergencies.with_number(emergency_number)
        for hypothesis in dict.fromkeys(h for h in hypotheses if h):
            heard = self.hearing.hear(hypothesis)
            read = [self._negatives_read(clause) for clause in heard.clauses]
            if read == [list(c) for c in heard.clauses] or detector.detect(heard.clauses):
                continue
            found = detector.detect(read)
            if found is not None and found.certain:
                return replace(found, certain=False), heard
        return None

    def _negatives_read(self, clause: Sequence[str]) -> list[str]:
        """The clause with each word of ``unheard_negatives`` read as its negative, unless a
        pronoun follows it."""
        unheard, pronouns = self.emergencies.unheard, self.emergencies.pronouns
        out: list[str] = []
        for i, word in enumerate(clause):
            negative = unheard.get(word)
            question = i + 1 < len(clause) and clause[i + 1] in pronouns
            out.extend(negative if negative and not question else (word,))
        return out

    def settled(self, text: str, expecting: Expecting = OPENING) -> bool:
        """Whether a recognizer's best hearing is understood with confidence on its own, so that
        :meth:`understand_hypotheses` would weigh no other hypothesis (a recognizer need not
        produce more of them then)."""
        return self._confident(self.understand(text, expecting), expecting)

    def beyond_answer(self, text: str) -> bool:
        """Whether ``text``, said to a yes/no question, holds more than an answer could: an
        emergency (possible or certain) or a command."""
        meaning = self.understand(text, Expecting(kind="yes_no")).meaning
        return meaning in ("emergency", "possible_emergency", "command")

    def _confident(self, u: Understanding, expecting: Expecting) -> bool:
        """Understood well enough that other hypotheses are not looked at."""
        meaning = u.meaning
        if meaning == "emergency" or (meaning == "possible_emergency" and expecting.kind == "open"):
            return True
        if meaning == "intent":
            return u.top is not None and u.top.score >= self.system.accept_score
        return meaning in ("answer", "command", "several")
