"""Checks across one intent's parts: names in conditions, sources, triage coverage, red flags.

Run by :func:`assistant.content.intent_file.load_intent` once each part has been read on its own.
"""

from __future__ import annotations

from typing import Any

from assistant.base.conditions import Compare, Condition, Facts, In, Is, evaluate, walk
from assistant.base.intents import Cause, Question, Score, Source, TriageRule
from assistant.content.field_reader import Reader, did_you_mean
from assistant.content.located_yaml import YamlPath

YES_NO_VALUES = ("yes", "no", "unsure")


def check_references(
    r: Reader,
    questions: list[tuple[Question, YamlPath]],
    scores: list[tuple[Score, YamlPath]],
    causes: list[tuple[Cause, YamlPath]],
    triage: list[tuple[TriageRule, YamlPath]],
    sources: dict[str, Source],
    declared: set[str],
) -> None:
    by_id: dict[str, Question] = {}
    first_at: dict[str, YamlPath] = {}
    for q, path in questions:
        if q.id in by_id:
            line = r.y.at((*first_at[q.id], "id")).line
            r.report(
                (*path, "id"),
                f"the question id {q.id!r} is used twice (first at line {line}); "
                "give each question its own id",
            )
            continue
        by_id[q.id] = q
        first_at[q.id] = path
    score_ids = {s.id for s, _ in scores}
    for sid in score_ids & set(by_id):
        r.report(("scores", sid), f"{sid!r} is both a question and a score; rename one", key=True)
    seen_causes: dict[str, YamlPath] = {}
    for c, path in causes:
        if c.id in seen_causes:
            line = r.y.at((*seen_causes[c.id], "id")).line
            r.report(
                (*path, "id"),
                f"the cause id {c.id!r} is used twice (first at line {line}); give each cause its own id",
            )
            continue
        seen_causes[c.id] = path

    order = [q.id for q in _asking_order([q for q, _ in questions])]

    def check(cond: Condition | None, path: YamlPath, asked_before: str | None = None) -> None:
        if cond is None:
            return
        for node in walk(cond):
            if not isinstance(node, Is | In | Compare) and not hasattr(node, "name"):
                continue
            name: str = getattr(node, "name")  # noqa: B009
            loc = r.condition_location(path, getattr(node, "column", 1))
            if name in score_ids:
                if not isinstance(node, Compare):
                    r.report_at(loc, f"{name!r} is a score; compare it with a number, e.g. '{name} >= 2'")
                continue
            q = by_id.get(name)
            if q is None and name in declared:
                continue  # the question itself has a problem, reported where it is
            if q is None:
                known = sorted(set(by_id) | score_ids)
                r.report_at(
                    loc,
                    f"unknown question or score {name!r}"
                    + (did_you_mean(name, known) or "; known names: " + ", ".join(known)),
                )
                continue
            if asked_before and name in order and order.index(name) >= order.index(asked_before):
                r.report_at(
                    loc,
                    f"{asked_before!r} is asked before {name!r}, so this ask_if can never "
                    f"see its answer; move {name!r} above {asked_before!r}",
                )
            _check_values(r, node, q, loc)

    for q, path in questions:
        check(q.ask_if, (*path, "ask_if"), asked_before=q.id)
    for s, path in scores:
        for i, w in enumerate(s.points):
            check(w.when, (*path, "points", i, "when"))
    for c, path in causes:
        for i, w in enumerate(c.evidence):
            check(w.when, (*path, "evidence", i, "when"))
    for t, path in triage:
        check(t.when, (*path, "when"))

    _check_sources(r, sources, questions, scores, causes, triage)
    _check_triage_cover(r, triage, [q for q, _ in questions])


def _check_values(r: Reader, node: Any, q: Question, loc: Any) -> None:
    if isinstance(node, Compare):
        if q.kind != "number":
            r.report_at(
                loc, f"{q.id!r} is a {q.kind} question; compare numbers only with number questions or scores"
            )
        return
    values = node.values if isinstance(node, In) else (node.value,) if isinstance(node, Is) else ()
    allowed = YES_NO_VALUES if q.kind == "yes_no" else q.choice_ids() if q.kind == "choice" else ()
    if q.kind == "number" and values:
        r.report_at(loc, f"{q.id!r} is a number question; compare it, e.g. '{q.id} >= 60'")
        return
    for v in values:
        if v not in allowed:
            r.report_at(
                loc,
                f"{v!r} is not an answer to {q.id!r}; use one of "
                + ", ".join(allowed)
                + did_you_mean(v, allowed),
            )


def _check_sources(
    r: Reader,
    sources: dict[str, Source],
    questions: list[tuple[Question, YamlPath]],
    scores: list[tuple[Score, YamlPath]],
    causes: list[tuple[Cause, YamlPath]],
    triage: list[tuple[TriageRule, YamlPath]],
) -> None:
    items: list[tuple[tuple[str, ...], YamlPath]] = [(q.sources, p) for q, p in questions]
    items += [(s.sources, p) for s, p in scores] + [(c.sources, p) for c, p in causes]
    items += [(t.sources, p) for t, p in triage]
    for srcs, path in items:
        for i, sid in enumerate(srcs):
            if sid not in sources:
                r.report(
                    (*path, "sources", i),
                    f"unknown source {sid!r}; add it under 'sources:' at the top"
                    + did_you_mean(sid, sources),
                )


def _check_triage_cover(
    r: Reader, triage: list[tuple[TriageRule, YamlPath]], questions: list[Question]
) -> None:
    if not triage:
        return
    catch_all = [(t, p) for t, p in triage if t.when_text.strip() == "always"]
    if not catch_all:
        r.report(
            ("triage",),
            "no triage rule has 'when: always', so some answers would get no guidance; "
            "add a last rule with 'when: always' at the least urgent level that is safe",
            key=True,
        )
    elif len(catch_all) > 1:
        r.report((*catch_all[1][1], "when"), "only one triage rule may have 'when: always'")
    emergency = [t for t, _ in triage if t.level == "emergency"]
    for q in questions:
        if not q.red_flag:
            continue
        facts = Facts({q.id: "yes"})
        if not any(evaluate(t.when, facts) for t in emergency):
            r.report(
                ("questions",),
                f"red flag {q.id!r} answered yes would not give an emergency result; add an emergency "
                f"triage rule such as 'when: \"{q.id} is yes\"'",
                key=True,
            )


def declared_ids(value: Any) -> set[str]:
    """Ids of every question written, even ones with problems (so their names are not "unknown")."""
    if not isinstance(value, list):
        return set()
    return {str(item["id"]) for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _asking_order(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.red_flag] + [q for q in questions if not q.red_flag]
