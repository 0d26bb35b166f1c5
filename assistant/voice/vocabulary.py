"""What can be said, for speech recognizers: every domain phrase, and the answers expected now.

Recognizers work best when told what to expect: the opening complaint is recognized against a
language model of all the domain phrases, and an answer against just that question's answers, the
global commands and the emergency phrases. What comes back is snapped to the nearest allowed
phrase; anything too far from all of them is "not understood", never a guessed yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from assistant.base.intents import Intent
from assistant.content.knowledge import Knowledge
from assistant.conversation.expectation import Expectation
from assistant.understanding.phrases import answer_phrases, command_phrases

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
    """What the opening language model learns from this intent: its plain phrases.

    The expanded templates are left out on purpose. Tried with PocketSphinx and espeak-ng speech,
    their short forms shifted the model's weight to the parts of the body with many names
    ("my calf feels hot" was heard as "my toe feels hot"). They need weighting against the plain
    phrases before the recognizer can use them; the matcher uses them all.
    """
    return list(intent.phrases)


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
    """The phrases allowed now, or None when any utterance is welcome (the opening complaint)."""
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
