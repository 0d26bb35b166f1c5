"""The shipped system file is the floor a drop-in system file may build on, never go below.

A drop-in may add words, phrases, emergency patterns and translations of the messages. It may not:

- remove a shipped yes, no or unsure phrase, or put it under another answer (a swapped "yes" would
  record a red flag as denied);
- remove a shipped emergency command phrase, emergency concept, pattern or word;
- add exclusions that silence emergencies (words under a concept's ``unless`` or the scope lists:
  long past, past events, other people, hypothetical, reassurance, manner exceptions), or remove
  the scope words that keep a negation or the past from silencing one (present, recurring,
  ongoing, not only, comparisons, interjections, clause openers, negated manner, continuing);
- make a word that carries an emergency or an answer a filler or a stopword, or change how a
  shipped contraction expands (``"don't": do`` would drop the negation).

A drop-in that does any of these is refused with the rule it breaks, unless the assistant starts
with ``--allow-override``, which loads it and warns on every start. docs/authoring.md says the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.base.intents import SystemPack

#: Scope lists whose new entries discount emergencies (a drop-in may not add to them).
DISCOUNTING_SCOPES = (
    "long_past",
    "past_event",
    "other_people",
    "other_past",
    "hypothetical",
    "reassurance",
    "manner_unless",
)
#: Scope lists that keep emergencies from being discounted (a drop-in may not remove from them).
KEEPING_SCOPES = (
    "present",
    "recurring",
    "ongoing",
    "not_only",
    "comparisons",
    "interjections",
    "clause_openers",
    "negated_manner",
    "raising",
    "continuing",
)


def _missing(shipped: Iterable[str], dropin: Iterable[str]) -> list[str]:
    have = {w.lower() for w in dropin}
    return sorted({w for w in shipped if w.lower() not in have})


def _added(shipped: Iterable[str], dropin: Iterable[str]) -> list[str]:
    have = {w.lower() for w in shipped}
    return sorted({w for w in dropin if w.lower() not in have})


def _show(words: list[str], most: int = 4) -> str:
    shown = ", ".join(repr(w) for w in words[:most])
    return shown + (f" and {len(words) - most} more" if len(words) > most else "")


def weakenings(shipped: SystemPack, dropin: SystemPack) -> list[str]:
    """Every way ``dropin`` goes below ``shipped``, each as a sentence saying what to write instead."""
    found: list[str] = []
    s_answers, d_answers = shipped.all_answers, dropin.all_answers
    for key, phrases in s_answers.items():
        gone = _missing(phrases, d_answers.get(key, ()))
        if gone:
            found.append(f"answers: the {key!r} phrases {_show(gone)} are missing; keep every shipped phrase")
        for other, theirs in d_answers.items():
            moved = sorted(set(phrases) & set(theirs)) if other != key else []
            if moved:
                found.append(
                    f"answers: {_show(moved)} mean {key!r} in the shipped file but {other!r} here; "
                    "a phrase may not change its meaning"
                )
    gone = _missing(shipped.all_commands.get("emergency", ()), dropin.all_commands.get("emergency", ()))
    if gone:
        found.append(f"commands: the emergency phrases {_show(gone)} are missing; keep them and add yours")
    s_em, d_em = shipped.emergencies, dropin.emergencies
    d_concepts = {c.id: c for c in d_em.concepts}
    for concept in s_em.concepts:
        mine = d_concepts.get(concept.id)
        if mine is None:
            found.append(f"emergencies: the concept {concept.id!r} is missing; keep every shipped concept")
            continue
        gone_patterns = [" + ".join(p) for p in concept.when if p not in mine.when]
        if gone_patterns:
            found.append(f"emergencies: {concept.id!r} lost the patterns {_show(gone_patterns)}; keep them")
        more_unless = _added(concept.unless, mine.unless)
        if more_unless:
            found.append(
                f"emergencies: {concept.id!r} has new exceptions (unless) {_show(more_unless)}, which "
                "would silence an emergency; remove them"
            )
    for name, words in s_em.words.items():
        gone = _missing(words, d_em.words.get(name, ()))
        if gone:
            found.append(f"emergencies: the word list {name!r} lost {_show(gone)}; keep every shipped word")
    for scope in DISCOUNTING_SCOPES:
        more = _added(getattr(s_em.scope, scope), getattr(d_em.scope, scope))
        if more:
            found.append(
                f"emergencies: the scope list {scope!r} has new entries {_show(more)}, which would "
                "discount emergencies; remove them"
            )
    for scope in KEEPING_SCOPES:
        gone = _missing(getattr(s_em.scope, scope), getattr(d_em.scope, scope))
        if gone:
            found.append(
                f"emergencies: the scope list {scope!r} lost {_show(gone)}, which would let a negation "
                "or the past discount emergencies; keep every shipped entry"
            )
    carried = {w.lower() for ws in s_em.words.values() for p in ws for w in p.split()}
    carried |= {w.lower() for ps in s_answers.values() for p in ps for w in p.split()}
    for what, s_list, d_list in (
        ("fillers", shipped.fillers, dropin.fillers),
        ("stopwords", shipped.stopwords, dropin.stopwords),
    ):
        risky = [w for w in _added(s_list, d_list) if w.lower() in carried]
        if risky:
            found.append(
                f"{what}: {_show(risky)} carry an answer or an emergency and cannot be {what}; remove them"
            )
    changed = sorted(k for k, v in shipped.contractions.items() if dropin.contractions.get(k, v) != v)
    if changed:
        found.append(f"contractions: {_show(changed)} expand differently from the shipped file; keep them")
    return found
