"""Reading an intent's ``lists:`` and ``templates:`` and expanding them into sentences.

Every mistake is a problem at the file, line and column of the offending bracket, saying what to
write instead; a template whose short forms alone pass ``SANE_SHORT_FORMS`` sentences is a warning
(only ``cap`` of its sentences are used), and so is a list no template uses.
"""

from __future__ import annotations

import difflib
import zlib
from typing import Any

from assistant.base.templates import (
    DEFAULT_CAP,
    SANE_SHORT_FORMS,
    Alternatives,
    Node,
    Template,
    TemplateError,
    bind_lists,
    core,
    count,
    list_refs,
    parse_template,
)
from assistant.content.field_reader import Reader

LIST_EXAMPLE = "body_part: [calf, shin, (ankle|ankles)]"


def read_templates(r: Reader, top: dict[str, Any], cap: int = DEFAULT_CAP) -> tuple[Template, ...]:
    """The intent's templates, checked, with their lists bound (expanded later, when needed)."""
    lists = _lists(r, top.get("lists"))
    templates: list[Template] = []
    used: set[str] = set()
    for i, raw in enumerate(r.sequence(("templates",), top.get("templates"), what="templates")):
        path = ("templates", i)
        text = r.text(path, raw, what="a template")
        if text is None:
            continue
        node = _parse(r, path, raw, allow_lists=True)
        if node is None:
            continue
        refs = list_refs(node)
        used.update(ref.name for ref in refs)
        unknown = [ref for ref in refs if ref.name not in lists]
        for ref in unknown:
            close = difflib.get_close_matches(ref.name, list(lists), n=1, cutoff=0.6)
            hint = (
                f"did you mean {{{close[0]}}}?" if close else f"define it under lists:, e.g. {LIST_EXAMPLE}"
            )
            r.report_at(
                r.condition_location(path, ref.column), f"the list {{{ref.name}}} is not defined; {hint}"
            )
        if unknown:
            continue
        bound = bind_lists(node, lists)
        short = count(core(bound))
        if short > SANE_SHORT_FORMS:
            r.report(
                path,
                f"even without its optional words this template says {short:,} sentences; only "
                f"{cap:,} are used, so many ways of saying it are left out. Split it into a few "
                "templates, or move rarely said words into plain phrases",
                severity="warning",
            )
        templates.append(Template(text, bound, seed=zlib.crc32(text.encode()), cap=cap))
    for name in lists:
        if name not in used:
            r.report(
                ("lists", name),
                f"the list {{{name}}} is used by no template; use it or remove it",
                key=True,
                severity="warning",
            )
    return tuple(templates)


def _lists(r: Reader, value: Any) -> dict[str, Node]:
    out: dict[str, Node] = {}
    if value is None:
        return out
    if not isinstance(value, dict):
        r.report(("lists",), f"lists should map a list name to its values, e.g. {LIST_EXAMPLE}")
        return out
    for name, values in value.items():
        path = ("lists", name)
        ident = r.ident(path, name, what="the list name")
        items = r.sequence(path, values, what=f"the values of list {name!r}", min_items=1)
        options: list[Node] = []
        for j, raw in enumerate(items):
            if r.text((*path, j), raw, what=f"a value of list {name!r}") is None:
                continue
            node = _parse(r, (*path, j), raw, allow_lists=False)
            if node is not None:
                options.append(node)
        if ident is not None and options:
            out[ident] = options[0] if len(options) == 1 else Alternatives(tuple(options))
    return out


def _parse(r: Reader, path: tuple[Any, ...], raw: Any, *, allow_lists: bool) -> Node | None:
    try:
        return parse_template(str(raw), allow_lists=allow_lists)
    except TemplateError as exc:
        r.report_at(r.condition_location(path, exc.column), f"in template {str(raw).strip()!r}: {exc}")
        return None
