"""The phrases that can be understood as an answer or a command, read from the content.

Recognizers are told to expect them (see :mod:`assistant.voice.vocabulary`); the dialog lists them
in its :class:`~assistant.conversation.expectation.Expectation`.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from assistant.base.intents import Question, SystemPack


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


def polarity_guards(system: SystemPack, phrases: list[str]) -> list[str]:
    """Everyday answers that contain a listed answer but mean something else ("absolutely not"
    holds "absolutely"). A recognizer limited to the listed answers would hear only the part and
    flip the meaning, so these whole phrases are listened for too."""
    meaning = {p.lower(): key for key, group in system.answers.items() for p in group}
    negations = {w.lower() for n in system.words.negations for w in n.split()}
    guards = []
    for key, group in system.all_answers.items():
        for phrase in group:
            words = phrase.lower().split()
            if phrase.lower() in meaning or len(words) < 2:
                continue
            # Only where the rest is a negation ("absolutely" + "not"): other look-alikes in a
            # grammar ("no clue" beside "no") make the recognizer mishear the short answer.
            for part, rest in ((" ".join(words[:-1]), words[-1]), (" ".join(words[1:]), words[0])):
                if rest not in negations:
                    continue
                if part in meaning and meaning[part] != key and part in {p.lower() for p in phrases}:
                    guards.append(phrase)
                    break
    return guards


#: Contrasts already worked out, by system pack and expected phrases (each question asks the same
#: again at every turn, and the voice vocabulary asks for every question at start-up). The pack is
#: kept beside its result, so that a freed pack's id reused by another never finds it.
_CONTRASTS: dict[tuple[int, tuple[str, ...]], tuple[SystemPack, list[str]]] = {}
_CONTRASTS_KEPT = 256


def contrasts(system: SystemPack, phrases: list[str]) -> list[str]:
    """Everyday no and unsure answers one word away from an expected answer of another meaning
    ("don't believe so" beside "i believe so", "i didn't" beside "i do", "it's possible" beside
    "it's not"), and in turn those a word from them. Without them a recognizer limited to the
    listed answers hears the nearest one, and the meaning flips on the small word; with them it
    has the whole phrase to hear. Both phrases have at least two words: one-word answers stay clear
    of longer look-alikes ("no" beside "no clue" was misheard).

    Everyday yes answers are not added: measured on the spoken corpus (answers, every other one,
    4 renderings, 2 sets of voices), adding them too ("i did", "there was", "i reckon") was
    understood as the text path in 12 to 17 more turns of 544, but took a no for a yes in 3 more
    ("never" and "no sir" heard as "there was"); the no and unsure ones alone: no more flips.
    """
    key = (id(system), tuple(phrases))
    cached = _CONTRASTS.get(key)
    if cached is not None and cached[0] is system:
        return list(cached[1])
    found = _contrasts(system, phrases)
    if len(_CONTRASTS) >= _CONTRASTS_KEPT:
        _CONTRASTS.clear()  # content reloaded many times: let the old packs go
    _CONTRASTS[key] = (system, found)
    return list(found)


def _contrasts(system: SystemPack, phrases: list[str]) -> list[str]:
    """Work out :func:`contrasts` (uncached)."""
    meaning = {p.lower(): key for key, group in system.all_answers.items() for p in group}
    expected = {p.lower() for p in phrases if len(p.split()) >= 2}
    candidates = [
        p for key, group in system.all_answers.items() if key != "yes" for p in group if len(p.split()) >= 2
    ]
    out: list[str] = []
    grown = True
    while grown:
        grown = False
        for phrase in candidates:
            lower = phrase.lower()
            if lower in expected:
                continue
            words = lower.split()
            if any(
                meaning.get(other) not in (None, meaning[lower])
                and Levenshtein.distance(words, other.split(), score_cutoff=1) <= 1
                for other in expected
            ):
                expected.add(lower)
                out.append(phrase)
                grown = True
    return out


def command_phrases(system: SystemPack) -> list[str]:
    return [p for phrases in system.commands.values() for p in phrases]


def answer_phrases(question: Question | None, system: SystemPack, kind: str) -> list[str]:
    if kind == "yes_no":
        words = [p for phrases in system.answers.values() for p in phrases]
        if question is not None:
            words += [p for phrases in question.answer_words.values() for p in phrases]
        return words + polarity_guards(system, words) + contrasts(system, words)
    if kind == "choice" and question is not None:
        return [w for c in question.choices for w in (*c.words, c.id.replace("_", " "))]
    if kind == "number":
        low, high = question.range if question and question.range else (0, 120)
        return [spell_number(n, system) for n in range(low, min(high, 150) + 1)]
    return []


def answer_and_command_phrases(question: Question | None, system: SystemPack, kind: str) -> list[str]:
    """Everything understood as an answer to a question of ``kind``, or as a command, then."""
    return [*answer_phrases(question, system, kind), *command_phrases(system)]
