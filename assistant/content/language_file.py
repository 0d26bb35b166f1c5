"""Read the ``language:`` word lists and the ``emergencies:`` concepts of the system file."""

from __future__ import annotations

from typing import Any

from assistant.base.events import TRIAGE_LEVELS
from assistant.base.language import Concept, EmergencyRules, Scope, WordLists, list_name, pattern_parts
from assistant.content.field_reader import Reader, did_you_mean

#: language: keys that are plain lists of words or phrases.
TEXT_LIST_KEYS = (
    "pronouns",
    "negations",
    "auxiliaries",
    "clause_breaks",
    "corrections",
    "hedges",
    "command_padding",
    "unknowing",
    "degree_words",
    "saying_words",
    "assurances",
    "acknowledgements",
    "minimisers",
    "question_words",
    "previous_question",
    "conversation_words",
    "several",
)
#: language: keys read here (the others are read by system_file).
WORD_LIST_KEYS = (
    "spoken_forms",
    "unheard_negatives",
    *TEXT_LIST_KEYS,
    "command_keywords",
    "ordinals",
    "body_regions",
    "conjunctions",
    "level_names",
)
EMERGENCY_KEYS = {"sources", "window", "scope", "words", "concepts"}
SCOPE_KEYS = (
    "long_past",
    "present",
    "recurring",
    "past_event",
    "other_people",
    "other_past",
    "hypothetical",
    "reassurance",
    "ongoing",
    "not_only",
    "comparisons",
    "interjections",
    "clause_openers",
    "negated_manner",
    "manner_unless",
    "raising",
    "continuing",
)
CONCEPT_KEYS = {"id", "name", "check", "sources", "when", "maybe", "unless", "alone"}


def read_word_lists(r: Reader, lang: dict[str, Any]) -> WordLists:
    path = ("language",)
    texts = {key: r.texts((*path, key), lang.get(key), what=key) for key in TEXT_LIST_KEYS}
    return WordLists(
        spoken_forms=_text_map(
            r, (*path, "spoken_forms"), lang.get("spoken_forms"), example='"uh huh": "yes"'
        ),
        unheard_negatives=_text_map(
            r, (*path, "unheard_negatives"), lang.get("unheard_negatives"), example='can: "cannot"'
        ),
        command_keywords=_lists(r, "command_keywords", lang.get("command_keywords"), "stop: [stop, quit]"),
        ordinals=_ordinals(r, lang.get("ordinals")),
        body_regions=_lists(r, "body_regions", lang.get("body_regions"), "upper_limb: [arm, hand]"),
        conjunctions=_text_map(r, (*path, "conjunctions"), lang.get("conjunctions"), example="or: or"),
        level_names=_level_names(r, lang.get("level_names")),
        **texts,
    )


def read_emergencies(r: Reader, value: Any) -> EmergencyRules:
    if value is None:
        return EmergencyRules()
    top = r.mapping(
        ("emergencies",), value, what="emergencies", allowed=EMERGENCY_KEYS, required=("concepts",)
    )
    if top is None:
        return EmergencyRules()
    window = r.number(("emergencies", "window"), top.get("window"), what="window", default=10)
    if window is not None and not 1 <= window <= 30:
        r.report(("emergencies", "window"), "window is how many words a pattern may spread over: 1 to 30")
    sources = _sources(r, top.get("sources"))
    scope_map = (
        r.mapping(("emergencies", "scope"), top.get("scope") or {}, what="scope", allowed=SCOPE_KEYS) or {}
    )
    scope = Scope(
        **{key: r.texts(("emergencies", "scope", key), scope_map.get(key), what=key) for key in SCOPE_KEYS}
    )
    words: dict[str, tuple[str, ...]] = {}
    for name, path, body in r.keyed(
        ("emergencies", "words"), top.get("words"), what="words", example="chest: [chest, breastbone]"
    ):
        words[str(name)] = r.texts(path, body, what=f"the word list {name!r}", min_items=1)
    concepts: list[Concept] = []
    seen: set[str] = set()
    for path, m in r.records(
        ("emergencies", "concepts"),
        top.get("concepts"),
        what="concepts",
        each="a concept",
        allowed=CONCEPT_KEYS,
        required=("id", "name", "check", "when"),
    ):
        concept = _concept(r, path, m, words, sources)
        if concept is None:
            continue
        if concept.id in seen:
            r.report((*path, "id"), f"the concept id {concept.id!r} is used twice; give this one another id")
        seen.add(concept.id)
        concepts.append(concept)
    return EmergencyRules(words, tuple(concepts), scope, int(window or 10), sources)


def _concept(
    r: Reader,
    path: tuple[Any, ...],
    m: dict[str, Any],
    words: dict[str, tuple[str, ...]],
    sources: dict[str, str],
) -> Concept | None:
    cid = r.ident((*path, "id"), m.get("id"), what="the concept id")
    name = r.text((*path, "name"), m.get("name"), what="the concept name")
    check = r.text((*path, "check"), m.get("check"), what="the check question")
    when = _patterns(r, (*path, "when"), m.get("when"), words, min_items=1)
    maybe = _patterns(r, (*path, "maybe"), m.get("maybe"), words)
    alone = _patterns(r, (*path, "alone"), m.get("alone"), words)
    unless = r.texts((*path, "unless"), m.get("unless"), what="unless")
    cited = r.texts((*path, "sources"), m.get("sources"), what="sources")
    for i, source in enumerate(cited):
        if source not in sources:
            r.report(
                (*path, "sources", i),
                f"unknown source {source!r}{did_you_mean(source, sources)}; "
                "add it under emergencies: sources:",
            )
    if cid is None or name is None or check is None:
        return None
    return Concept(cid, name, check, when, maybe, unless, cited, alone)


def _patterns(
    r: Reader, path: tuple[Any, ...], value: Any, words: dict[str, tuple[str, ...]], *, min_items: int = 0
) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for i, text in enumerate(r.texts(path, value, what="patterns", min_items=min_items)):
        parts = pattern_parts(text)
        bad = [p for p in parts if (n := list_name(p)) is not None and n not in words]
        for part in bad:
            name = list_name(part) or ""
            r.report(
                (*path, i),
                f"unknown word list {part}{did_you_mean(name, words)}; define it under "
                "emergencies: words:, or write plain words without braces",
            )
        if parts and not bad:
            out.append(parts)
    return tuple(out)


def _sources(r: Reader, value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, path, body in r.keyed(
        ("emergencies", "sources"), value, what="sources", example="nhs_999: {title: ..., url: ...}"
    ):
        m = r.mapping(path, body, what=f"the source {key!r}", allowed=("title", "url"), required=("title",))
        if m is None:
            continue
        title = r.text((*path, "title"), m.get("title"), what="the source title")
        url = r.text((*path, "url"), m.get("url"), what="the source url", required=False)
        if title:
            out[str(key)] = f"{title} ({url})" if url else title
    return out


def _text_map(r: Reader, path: tuple[Any, ...], value: Any, *, example: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, item_path, body in r.keyed(path, value, what=str(path[-1]), example=example):
        text = r.text(item_path, body, what=f"the value of {key!r}")
        if text:
            out[str(key).lower()] = text.lower()
    return out


def _level_names(r: Reader, value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, path, body in r.keyed(
        ("language", "level_names"), value, what="level_names", example="urgent: Urgent, be seen today"
    ):
        if key not in TRIAGE_LEVELS:
            r.report(path, f"unknown triage level {key!r}{did_you_mean(str(key), TRIAGE_LEVELS)}", key=True)
            continue
        text = r.text(path, body, what=f"the name of the level {key!r}")
        if text:
            out[str(key)] = text
    return out


def _lists(r: Reader, key: str, value: Any, example: str) -> dict[str, tuple[str, ...]]:
    return {
        str(name): r.texts(path, body, what=f"{key} {name!r}", min_items=1)
        for name, path, body in r.keyed(("language", key), value, what=key, example=example)
    }


def _ordinals(r: Reader, value: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, path, body in r.keyed(("language", "ordinals"), value, what="ordinals", example="first: 1"):
        if isinstance(body, bool) or not isinstance(body, int) or body == 0:
            r.report(path, f"the position of {key!r} should be a whole number from 1 (or -1 for the last)")
            continue
        out[str(key).lower()] = body
    return out
