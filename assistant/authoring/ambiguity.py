"""Phrases of one intent that the real matcher would send to another intent.

Every phrase of every intent is matched with :class:`assistant.understanding.matcher.IntentMatcher` exactly as
the dialog matches what someone says. When another intent scores as high as the phrase's own
intent (or higher), the phrase is ambiguous: the dialog could start the wrong conversation.

A phrase always scores 100 against its own intent (it is one of that intent's phrases), and the
matcher's score reaches 100 only when every word of the utterance is a word of the phrase and the
other way round. So only phrases whose set of words another intent also has can be ambiguous:
those are found first through a table of word sets, in linear time, and only they go through the
real matcher, which gives the scores the report shows. Near ones (``near``: checking new intents
beside the shipped ones) are found first the same way, through the words of each phrase that weigh
most (:mod:`assistant.authoring.near_phrases`).
"""

from __future__ import annotations

from collections import defaultdict

from assistant.authoring.near_phrases import NearPhrases
from assistant.authoring.workspace import LoadedIntent
from assistant.base.problems import Problem, display_path
from assistant.content.knowledge import Knowledge
from assistant.content.parallel import parallel_map


def phrase_collisions(
    knowledge: Knowledge, items: list[LoadedIntent], *, near: bool = False
) -> list[Problem]:
    """Phrases of ``items`` another intent of ``knowledge`` takes at least as well (errors); with
    ``near``, also those another intent would accept (warnings: a slight rewording by the person
    could start the wrong conversation)."""
    by_id = {i.intent.id: i for i in items}
    words: dict[str, frozenset[str]] = {}
    owners: dict[frozenset[str], set[str]] = defaultdict(set)
    for intent in () if near else knowledge.intents:
        for text in (*intent.phrases, *intent.keywords):
            if text not in words:
                words[text] = frozenset(knowledge.normalizer.tokens(text))
            owners[words[text]].add(intent.id)
    problems: list[Problem] = []
    if near:
        # Only the phrases another intent could score at the accept score, or at their own
        # intent's score, are matched (their intents checked on every core).
        nearby = NearPhrases(knowledge.matcher, knowledge.system.accept_score)
        index = {intent.id: i for i, intent in enumerate(knowledge.matcher.intents)}
        picked = parallel_map(_to_match, range(len(items)), (nearby, index, items))
    else:
        # No other intent has these words: it cannot reach 100 (see above).
        picked = [[j for j, p in enumerate(i.intent.phrases) if len(owners[words[p]]) >= 2] for i in items]
    for item, chosen in zip(items, picked, strict=True):
        intent = item.intent
        for j in chosen:
            phrase = intent.phrases[j]
            matches = knowledge.matcher.match(phrase)  # built on first use: rarely needed
            own = next((m for m in matches if m.intent.id == intent.id), None)
            other = next((m for m in matches if m.intent.id != intent.id), None)
            if other is None:
                continue
            if own is not None and other.score < own.score:
                if near and other.score >= knowledge.system.accept_score:
                    problems.append(
                        Problem(
                            item.source.at(("phrases", j)),
                            f"the phrase {phrase!r} is close to intent {other.intent.id!r} (score "
                            f"{other.score}, its phrase {other.phrase!r}; {knowledge.system.accept_score} "
                            "is accepted), so a slightly different wording could start that "
                            "conversation; add words only this intent is about",
                            severity="warning",
                        )
                    )
                continue
            line = _phrase_line(knowledge, by_id.get(other.intent.id), other.phrase)
            where = display_path(other.intent.path) + (f":{line}" if line else "")
            mine = f"(score {own.score})" if own else "(which does not match it at all)"
            problems.append(
                Problem(
                    item.source.at(("phrases", j)),
                    f"the phrase {phrase!r} matches intent {other.intent.id!r} (score {other.score}, its "
                    f"phrase {other.phrase!r} at {where}) at least as well as its own intent {intent.id!r} "
                    f"{mine}, so the assistant could start the wrong conversation; reword one of the two "
                    "so that each says something only its own intent is about",
                )
            )
    return problems


def _to_match(context: tuple[NearPhrases, dict[str, int], list[LoadedIntent]], k: int) -> list[int]:
    nearby, index, items = context
    intent = items[k].intent
    if intent.id not in index:
        return list(range(len(intent.phrases)))
    return nearby.to_match(intent.phrases, index[intent.id])


def _phrase_line(knowledge: Knowledge, item: LoadedIntent | None, normalized: str) -> int:
    """The line of the phrase (or keyword) the matcher reported, in its normalized form."""
    if item is None:
        return 0
    for key in ("phrases", "keywords"):
        for j, text in enumerate(getattr(item.intent, key)):
            if knowledge.normalizer(text) == normalized:
                return item.source.at((key, j)).line
    return 0
