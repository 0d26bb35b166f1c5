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
from assistant.understanding.vocabulary_source import vocabulary_source

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
WEIGHTS = {"phrase": 4, "answer": 4, "emergency": 1, "command": 2, "template": 1}
#: Template sentences per intent in the language model, at most (a seeded sample).
TEMPLATE_SAMPLE = 300


def opening_sentences(knowledge: Knowledge) -> list[str]:
    """The opening language model's training sentences, repeated by weight: everything the text
    path understands at the opening (intent phrases and a sample of their templates, every
    emergency concept's phrases, the commands including the text-only ones, the answers)."""
    source = vocabulary_source(knowledge.system)
    groups: list[tuple[str, list[str]]] = []
    for intent in knowledge.intents:
        groups.append(("phrase", [*intent.phrases, *intent.keywords]))
        sentences = list(intent.template_sentences)
        if len(sentences) > TEMPLATE_SAMPLE:
            sentences = random.Random(intent.id).sample(sentences, TEMPLATE_SAMPLE)  # noqa: S311 (a sample, not a secret)
        groups.append(("template", sentences))
    groups.append(("emergency", [p for group in source.emergencies.values() for p in group]))
    groups.append(("command", [p for group in source.commands.values() for p in group]))
    groups.append(("answer", [p for group in source.answers.values() for p in group]))
    out: list[str] = []
    for kind, phrases in groups:
        out += _unique(phrases) * WEIGHTS[kind]
    return out


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
