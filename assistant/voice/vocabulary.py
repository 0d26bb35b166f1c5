"""What can be said, for speech recognizers: every domain phrase, and the answers expected now.

Recognizers work best when told what to expect: the opening complaint is recognized against a
language model of all the domain phrases, and an answer against just that question's answers, the
global commands and the emergency phrases. What comes back is snapped to the nearest allowed
phrase; anything too far from all of them is "not understood", never a guessed yes or no.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from assistant.base.intents import Intent
from assistant.content.knowledge import Knowledge
from assistant.conversation.expectation import Expectation
from assistant.understanding.phrases import answer_phrases, command_phrases
from assistant.understanding.vocabulary_source import PER_PATTERN, vocabulary_source

#: Minimum similarity (0-100) for a recognized utterance to count as an allowed phrase.
SNAP_SCORE = 80

_SPEAKABLE = re.compile(r"[^\w' ]+")


def speakable(text: str) -> str:
    """Lowercase words as a recognizer hears them (apostrophes kept, punctuation dropped)."""
    return " ".join(_SPEAKABLE.sub(" ", text.lower().replace("-", " ")).split())


def _unique(phrases: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for phrase in phrases:
        p = speakable(phrase)
        if p and not any(ch.isdigit() for ch in p):
            seen.setdefault(p, None)
    return list(seen)


def spoken_sentences(intent: Intent) -> list[str]:
    """The intent's own phrases, as the recognizers' vocabulary lists them.

    Its templates reach the opening language model as a weighted sample (see
    :func:`opening_sentences`): given the same weight as the plain phrases, their many short forms
    shifted the model to the parts of the body with many names ("my calf feels hot" was heard as
    "my toe feels hot").
    """
    return list(intent.phrases)


#: How much each kind of sentence counts in the opening language model (times it is repeated).
#: The intents' own phrases carry the most weight, so that the many short forms of the templates
#: do not pull the recognizer toward the parts of the body with many names; so do the yes/no
#: answers (an opening can be one: "yes, my calf"). Emergencies count once: measured on the spoken
#: corpus (2 voices, 494 turns), three times caught no more of them (25 against 24 of 78) but
#: heard more complaints as one ("hot" as "heart": 33 needless checks against 21). Number words
#: are left out: "one hundred and one" and the like pulled "worm" in "my calf is worm" to "one".
#: The intents' phrases said of other parts of the body count once (see :data:`ELSEWHERE_SAMPLE`).
WEIGHTS = {"phrase": 4, "answer": 4, "emergency": 1, "said": 2, "command": 2, "template": 1, "elsewhere": 1}
#: Template sentences per intent in the language model, at most (a seeded sample).
TEMPLATE_SAMPLE = 300
#: Sentences about other parts of the body per intent, at most (a seeded sample; see
#: :func:`elsewhere_sentences`). Measured on the spoken corpus, openings and out-of-scope sentences
#: (every 2nd; en-us+f3 and en-gb-x-rp+m3, voices not used to build it; 776 turns): understood as
#: the text path does 469 against 447 without them; out of scope 119 of 280 against 103, leg
#: complaints 346 of 488 against 342, needless emergency checks 113 against 122. On the quick run
#: (en-us and en-gb, 988 turns): 421 against 409.
ELSEWHERE_SAMPLE = 300


def elsewhere_sentences(knowledge: Knowledge, intent: Intent) -> list[str]:
    """The intent's phrases said of parts of the body it is not about ("my stomach feels warm"
    from "my calf feels warm"), from the system file's body regions.

    The text path knows such a complaint is not about the intent; the recognizer must be able to
    hear it too, or it hears the nearest word it knows ("my leg feels warm") and the complaint
    is taken for the intent. A seeded sample of at most :data:`ELSEWHERE_SAMPLE`.
    """
    understander = knowledge.understander
    mine = understander.intent_regions.get(intent.id, frozenset())
    regions = knowledge.system.words.body_regions
    others = sorted(
        {speakable(w) for region, words in regions.items() if region not in mine for w in words} - {""}
    )
    if not mine or not others:
        return []
    out: list[str] = []
    for phrase in _unique(intent.phrases):
        words = phrase.split()
        for j, word in enumerate(words):
            if understander.regions.get(word) in mine:
                out += [" ".join([*words[:j], other, *words[j + 1 :]]) for other in others]
    out = list(dict.fromkeys(out))
    if len(out) > ELSEWHERE_SAMPLE:
        out = random.Random(f"{intent.id}:elsewhere").sample(out, ELSEWHERE_SAMPLE)  # noqa: S311 (a sample, not a secret)
    return out


def _sentence_groups(knowledge: Knowledge, per_pattern: int = PER_PATTERN) -> list[tuple[str, list[str]]]:
    """Everything the text path understands at the opening, by kind (see :data:`WEIGHTS`), with
    at most ``per_pattern`` phrases of each emergency pattern."""
    source = vocabulary_source(knowledge.system, per_pattern)
    groups: list[tuple[str, list[str]]] = []
    for intent in knowledge.intents:
        groups.append(("phrase", [*intent.phrases, *intent.keywords]))
        sentences = list(intent.template_sentences)
        if len(sentences) > TEMPLATE_SAMPLE:
            sentences = random.Random(intent.id).sample(sentences, TEMPLATE_SAMPLE)  # noqa: S311 (a sample, not a secret)
        groups.append(("template", sentences))
        groups.append(("elsewhere", elsewhere_sentences(knowledge, intent)))
    groups.append(("emergency", [p for group in source.emergencies.values() for p in group]))
    groups.append(("said", list(source.commands.get("emergency", ()))))
    others = [p for name, group in source.commands.items() if name != "emergency" for p in group]
    groups.append(("command", others))
    groups.append(("answer", [p for group in source.answers.values() for p in group]))
    return groups


def _weighted(groups: list[tuple[str, list[str]]], weights: dict[str, int]) -> list[str]:
    out: list[str] = []
    for kind, phrases in groups:
        out += _unique(phrases) * weights.get(kind, 0)
    return out


def opening_sentences(knowledge: Knowledge) -> list[str]:
    """The opening language model's training sentences, repeated by weight: everything the text
    path understands at the opening (intent phrases and a sample of their templates, the same
    complaints about other parts of the body, every emergency concept's phrases, the commands
    including the text-only ones, the answers)."""
    return _weighted(_sentence_groups(knowledge), WEIGHTS)


#: The weights of the alarm model (see :func:`alarm_sentences`).
#: Measured on the spoken corpus (2 voices x 2 rates; emergencies every 2nd, 312 turns; openings and
#: answers every 4th, 596 turns): spoken emergencies acted on 154 against 125 without the alarm
#: hearing (at once: 71 against 72), needless checks 47 against 26 of the 596 other turns,
#: agreement 304 against 310. Ten phrases per pattern instead of 60 caught fewer (143) for as
#: many needless checks (44). Again once a second look could no longer move the cepstral mean,
#: on two voices not used to tune it (en-us+f3, en-gb-x-rp+m3; emergencies and openings every
#: 2nd, 1,072 turns): emergencies acted on 181 of 312 against 156, needless checks 137 against
#: 101 of the 760 other turns. Emergency weight 4 instead of 8 (988 turns): 63 of 156 against 66,
#: needless checks 67 against 74.
ALARM_PER_PATTERN = PER_PATTERN
ALARM_WEIGHTS = {"emergency": 8, "said": 8, "phrase": 1, "answer": 1, "command": 1}


def alarm_sentences(knowledge: Knowledge) -> list[str]:
    """The training sentences of the alarm model: a hearing that listens for emergencies.

    The emergency phrases carry most of the weight; the intents' own phrases, the answers and the
    commands are there once, so that other speech has somewhere else to go. What it hears is
    only ever a reason to ask an emergency's one check question (see
    :attr:`~assistant.voice.recognizer.Transcript.alarms`), never an answer.
    """
    return _weighted(_sentence_groups(knowledge, ALARM_PER_PATTERN), ALARM_WEIGHTS)


def domain_phrases(knowledge: Knowledge) -> list[str]:
    """Everything the recognizers should know for this set of intents."""
    system = knowledge.system
    phrases: list[str] = []
    for intent in knowledge.intents:
        phrases += spoken_sentences(intent)
        phrases += intent.keywords
        for q in intent.questions:
            phrases += answer_phrases(q, system, q.kind)
    phrases += command_phrases(system)
    phrases += answer_phrases(None, system, "yes_no")
    phrases += answer_phrases(None, system, "number")
    return _unique(phrases)


def expected_phrases(expecting: Expectation) -> list[str] | None:
    """The phrases allowed now, or None when any utterance is welcome (the opening complaint).

    Only the answers and commands, not every emergency phrase: measured on the spoken corpus,
    emergency phrases in a question's grammar pulled everyday answers into them ("sort of yeah"
    heard as "short of air", "nothing of the sort" as "coughing up blood") and made false
    emergencies. An emergency said at a question is caught when the free-form second hearing
    (see :mod:`assistant.voice.verify`) hears it, and then checked with one question.
    """
    if expecting.open:
        return None
    return _unique(expecting.phrases)


def snap(heard: str, allowed: list[str] | None, score: int = SNAP_SCORE) -> str:
    """The allowed phrase closest to what was heard; "" when nothing is close enough.

    With no list (free-form), what was heard is returned as it is.
    """
    text = speakable(heard)
    if allowed is None or not text:
        return text
    best = process.extractOne(text, allowed, scorer=fuzz.ratio, score_cutoff=score)
    return best[0] if best else ""
