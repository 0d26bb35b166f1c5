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

from assistant.base.intents import Question, SystemPack
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog

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


def spell_number(n: int, system: SystemPack) -> str:
    """62 -> "sixty two", from the system pack's number words (so it follows the language)."""
    words = {v: k for k, v in sorted(system.number_words.items(), key=lambda kv: -len(kv[0]))}
    if n in words:
        return words[n]
    if n >= 100 and 100 in words:
        hundreds, rest = divmod(n, 100)
        head = f"{spell_number(hundreds, system)} {words[100]}"
        return head if rest == 0 else f"{head} {spell_number(rest, system)}"
    tens, units = divmod(n, 10)
    if tens * 10 in words and units in words:
        return f"{words[tens * 10]} {words[units]}"
    return str(n)


def command_phrases(system: SystemPack) -> list[str]:
    return [p for phrases in system.commands.values() for p in phrases]


def answer_phrases(question: Question | None, system: SystemPack, kind: str) -> list[str]:
    if kind == "yes_no":
        words = [p for phrases in system.answers.values() for p in phrases]
        if question is not None:
            words += [p for phrases in question.answer_words.values() for p in phrases]
        return words
    if kind == "choice" and question is not None:
        return [w for c in question.choices for w in (*c.words, c.id.replace("_", " "))]
    if kind == "number":
        low, high = question.range if question and question.range else (0, 120)
        return [spell_number(n, system) for n in range(low, min(high, 150) + 1)]
    return []


def domain_phrases(knowledge: Knowledge) -> list[str]:
    """Everything the recognizers should know for this set of intents."""
    system = knowledge.system
    phrases: list[str] = []
    for intent in knowledge.intents:
        phrases += intent.phrases
        phrases += intent.keywords
        for q in intent.questions:
            phrases += answer_phrases(q, system, q.kind)
    phrases += command_phrases(system)
    phrases += answer_phrases(None, system, "yes_no")
    phrases += answer_phrases(None, system, "number")
    return _unique(phrases)


def expected_phrases(dialog: Dialog) -> list[str] | None:
    """The phrases allowed now, or None when any utterance is welcome (the opening complaint)."""
    ask = dialog.pending
    if ask is None or ask.kind == "open":
        return None
    intent = dialog.intent
    question = intent.question(ask.question) if intent else None
    system = dialog.knowledge.system
    return _unique([*answer_phrases(question, system, ask.kind), *command_phrases(system)])


def snap(heard: str, allowed: list[str] | None, score: int = SNAP_SCORE) -> str:
    """The allowed phrase closest to what was heard; "" when nothing is close enough.

    With no list (free-form), what was heard is returned as it is.
    """
    text = speakable(heard)
    if allowed is None or not text:
        return text
    best = process.extractOne(text, allowed, scorer=fuzz.ratio, score_cutoff=score)
    return best[0] if best else ""
