"""Sentence templates in the syntax Home Assistant users know from hassil.

``(hot|warm|burning)`` is one of the alternatives, ``[really]`` an optional part and ``{body_part}``
any value of a named list, defined once in the intent file. A template is parsed into a small tree
(:func:`parse_template`), its lists are bound (:func:`bind_lists`), and it is expanded into plain
sentences (:func:`expand`), at most ``cap`` of them: when a template says more than that, its short
forms (optional parts left out) come first and a sample drawn with a fixed seed fills the rest, so
the same file always gives the same sentences.

Nothing here is evaluated as code: a template is text with four kinds of bracket.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The most sentences one template gives the matcher and the recognizer.
DEFAULT_CAP = 1000
#: A template whose short forms alone say more than this is worth splitting: ``assistant check`` warns.
SANE_SHORT_FORMS = 5000

_LIST_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class TemplateError(ValueError):
    """A template that cannot be read; ``column`` is 1-based within the template text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Words:
    text: str


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alternatives:
    options: tuple[Node, ...]


@dataclass(frozen=True)
class ListRef:
    name: str
    column: int


Node = Words | Sequence | Alternatives | ListRef

_EMPTY = Words("")
_CLOSERS = {"(": ")", "[": "]"}


class _Parser:
    def __init__(self, text: str, *, allow_lists: bool) -> None:
        self.text = text
        self.pos = 0
        self.allow_lists = allow_lists

    def parse(self) -> Node:
        node = self._alternatives(closer=None, opened_at=0)
        if self.pos < len(self.text):  # pragma: no cover - _alternatives consumes or raises
            raise TemplateError(f"unexpected {self.text[self.pos]!r}", self.pos + 1)
        return node

    def _alternatives(self, closer: str | None, opened_at: int) -> Node:
        options = [self._sequence(closer)]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            options.append(self._sequence(closer))
        if closer is not None:
            if self.pos >= len(self.text):
                raise TemplateError(
                    f"{self.text[opened_at]!r} is never closed; add {closer!r} after the last word",
                    opened_at + 1,
                )
            self.pos += 1  # the closer
        for option in options:
            if closer == ")" and _is_empty(option):
                raise TemplateError(
                    "an alternative is empty; write [words] for optional words instead of (words|)",
                    opened_at + 1,
                )
        return options[0] if len(options) == 1 else Alternatives(tuple(options))

    def _sequence(self, closer: str | None) -> Node:
        items: list[Node] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in ("|", closer):
                break
            if ch in ")]}":
                raise TemplateError(
                    f"{ch!r} closes nothing; remove it or open a group before it", self.pos + 1
                )
            if ch in "([":
                opened_at = self.pos
                self.pos += 1
                inner = self._alternatives(_CLOSERS[ch], opened_at)
                if ch == "[":
                    if _is_empty(inner):
                        raise TemplateError(
                            "[] holds no words; write the optional words inside", opened_at + 1
                        )
                    inner = Alternatives((inner, _EMPTY))
                items.append(inner)
            elif ch == "{":
                items.append(self._list_ref())
            elif ch == "<":
                raise TemplateError(
                    "<rules> are not supported here; define a list and write {list_name} instead",
                    self.pos + 1,
                )
            else:
                end = self.pos
                while end < len(self.text) and self.text[end] not in "()[]{}<|":
                    end += 1
                items.append(Words(self.text[self.pos : end]))
                self.pos = end
        return items[0] if len(items) == 1 else Sequence(tuple(items))

    def _list_ref(self) -> ListRef:
        opened_at = self.pos
        end = self.text.find("}", opened_at)
        if end < 0:
            raise TemplateError("'{' is never closed; write {list_name}", opened_at + 1)
        name = self.text[opened_at + 1 : end].strip()
        if not self.allow_lists:
            raise TemplateError(
                "a list value cannot name another list; write the words themselves", opened_at + 1
            )
        if not _LIST_NAME.match(name):
            raise TemplateError(
                f"{{{name}}} is not a list name; use lowercase letters, digits and underscores, "
                "e.g. {body_part}",
                opened_at + 1,
            )
        self.pos = end + 1
        return ListRef(name, opened_at + 1)


def _is_empty(node: Node) -> bool:
    if isinstance(node, Words):
        return not node.text.strip()
    if isinstance(node, Sequence):
        return all(_is_empty(item) for item in node.items)
    return False


def parse_template(text: str, *, allow_lists: bool = True) -> Node:
    """The tree of one template; raises :class:`TemplateError` with the column of the mistake."""
    return _Parser(text, allow_lists=allow_lists).parse()


def list_refs(node: Node) -> list[ListRef]:
    if isinstance(node, ListRef):
        return [node]
    if isinstance(node, Sequence):
        return [ref for item in node.items for ref in list_refs(item)]
    if isinstance(node, Alternatives):
        return [ref for option in node.options for ref in list_refs(option)]
    return []


def bind_lists(node: Node, lists: dict[str, Node]) -> Node:
    """The same tree with every ``{name}`` replaced by the list's values (names must be known)."""
    if isinstance(node, ListRef):
        return lists[node.name]
    if isinstance(node, Sequence):
        return Sequence(tuple(bind_lists(item, lists) for item in node.items))
    if isinstance(node, Alternatives):
        return Alternatives(tuple(bind_lists(option, lists) for option in node.options))
    return node


def count(node: Node, memo: dict[int, int] | None = None) -> int:
    """How many sentences the tree says (lists must be bound)."""
    memo = {} if memo is None else memo
    known = memo.get(id(node))
    if known is not None:
        return known
    if isinstance(node, Words):
        total = 1
    elif isinstance(node, Sequence):
        total = 1
        for item in node.items:
            total *= count(item, memo)
    elif isinstance(node, Alternatives):
        total = sum(count(option, memo) for option in node.options)
    else:
        raise TypeError(f"unbound list {{{node.name}}}")
    memo[id(node)] = total
    return total


def _nth(node: Node, index: int, out: list[str], memo: dict[int, int]) -> None:
    if isinstance(node, Words):
        out.append(node.text)
    elif isinstance(node, Sequence):
        digits: list[int] = []
        for item in reversed(node.items):
            index, digit = divmod(index, count(item, memo))
            digits.append(digit)
        for item, digit in zip(node.items, reversed(digits), strict=True):
            _nth(item, digit, out, memo)
    elif isinstance(node, Alternatives):
        for option in node.options:
            size = count(option, memo)
            if index < size:
                _nth(option, index, out, memo)
                return
            index -= size
    else:
        raise TypeError(f"unbound list {{{node.name}}}")


def sentence(node: Node, index: int, memo: dict[int, int] | None = None) -> str:
    """The ``index``-th sentence of a bound tree, with single spaces."""
    parts: list[str] = []
    _nth(node, index, parts, {} if memo is None else memo)
    return " ".join(" ".join(parts).split())


def core(node: Node) -> Node:
    """The tree with every optional part left out: the shortest way of saying each alternative."""
    if isinstance(node, Alternatives):
        if _EMPTY in node.options:
            return _EMPTY
        return Alternatives(tuple(core(option) for option in node.options))
    if isinstance(node, Sequence):
        return Sequence(tuple(core(item) for item in node.items))
    return node


def expand(node: Node, cap: int = DEFAULT_CAP, seed: int = 0) -> list[str]:
    """Every sentence of a bound tree, or at most ``cap`` of them, chosen the same way every time.

    When the tree says more than ``cap`` sentences, the short forms (every optional part left out)
    are all kept when they fit, since they carry every combination of the words that matter; a
    sample drawn with a fixed seed adds a fifth of the cap more, so that each optional word still
    appears in some sentences. A short form that does not fit is sampled too.
    """
    memo: dict[int, int] = {}
    total = count(node, memo)
    if total <= cap:
        return _unique(_all(node))
    out: dict[str, None] = {}
    short = core(node)
    short_total = count(short, memo)
    picker = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    if short_total <= cap:
        out.update(dict.fromkeys(_all(short)))
        room = min(cap - len(out), max(cap // 5, 1))
    elif short_total <= 20 * cap:
        # Too many short forms to keep them all: a sample of them (cheap to list), nothing longer.
        out.update(dict.fromkeys(picker.sample(_all(short), cap)))
        room = 0
    else:
        room = cap
    for index in sorted(picker.sample(range(total), room)):
        out.setdefault(sentence(node, index, memo), None)
    return [text for text in out if text]


@dataclass(frozen=True)
class Template:
    """A checked template with its lists bound, expanded only when its sentences are first needed."""

    text: str
    tree: Node
    seed: int
    cap: int = DEFAULT_CAP

    def sentences(self) -> list[str]:
        return expand(self.tree, self.cap, self.seed)


def _all(node: Node) -> list[str]:
    """Every sentence of a small bound tree, in order, spaces tidied."""
    return [" ".join(text.split()) for text in _every(node)]


def _every(node: Node) -> list[str]:
    if isinstance(node, Words):
        return [node.text]
    if isinstance(node, Alternatives):
        return [text for option in node.options for text in _every(option)]
    if isinstance(node, Sequence):
        out = [""]
        for item in node.items:
            tails = _every(item)
            out = [f"{head} {tail}" for head in out for tail in tails]
        return out
    raise TypeError(f"unbound list {{{node.name}}}")


def _unique(texts: Iterable[str]) -> list[str]:
    return [text for text in dict.fromkeys(texts) if text]
