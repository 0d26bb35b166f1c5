"""A tiny condition language for intent files, parsed by hand and never evaluated as code.

Grammar (``and`` binds tighter than ``or``)::

    expr    := and_ ("or" and_)*
    and_    := unary ("and" unary)*
    unary   := "not" unary | atom
    atom    := "(" expr ")" | "always" | NAME "answered"
             | NAME "is" ["not"] WORD | NAME "in" "[" WORD ("," WORD)* "]"
             | NAME OP NUMBER            OP: < <= > >= = == !=

Examples: ``swelling is yes and one_leg is not no``, ``wells >= 2``, ``started in [today, days]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.base.errors import ConditionError

AnswerValue = str | int


# Each node answers ``holds(facts)`` itself: one call per node instead of a chain of type tests
# (conditions are evaluated tens of thousands of times when `assistant check` explores an intent).


@dataclass(frozen=True)
class Always:
    column: int = 1

    def holds(self, facts: Facts) -> bool:
        return True


@dataclass(frozen=True)
class Is:
    name: str
    value: str
    negated: bool
    column: int
    value_column: int

    def holds(self, facts: Facts) -> bool:
        return (facts.value(self.name) == self.value) != self.negated


@dataclass(frozen=True)
class In:
    name: str
    values: tuple[str, ...]
    column: int
    value_columns: tuple[int, ...]

    def holds(self, facts: Facts) -> bool:
        return facts.value(self.name) in self.values


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    number: float
    column: int

    def holds(self, facts: Facts) -> bool:
        value = facts.value(self.name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return _OPS[self.op](float(value), self.number)


@dataclass(frozen=True)
class Answered:
    name: str
    column: int

    def holds(self, facts: Facts) -> bool:
        return facts.value(self.name) is not None


@dataclass(frozen=True)
class Not:
    inner: Condition
    column: int

    def holds(self, facts: Facts) -> bool:
        return not self.inner.holds(facts)


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]
    column: int

    def holds(self, facts: Facts) -> bool:
        return all(item.holds(facts) for item in self.items)


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]
    column: int

    def holds(self, facts: Facts) -> bool:
        return any(item.holds(facts) for item in self.items)


Condition = Always | Is | In | Compare | Answered | Not | AllOf | AnyOf

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|==|!=|<|>|=)|(?P<punct>[()\[\],])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_KEYWORDS = frozenset({"and", "or", "not", "is", "in", "always", "answered"})
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, op, punct, word, end
    text: str
    column: int


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            col = pos + 1 + (len(source[pos:]) - len(source[pos:].lstrip()))
            bad = source[col - 1]
            raise ConditionError(
                f"unexpected character {bad!r}; conditions use words, numbers, "
                "brackets and the comparisons < <= > >= = !=",
                col,
            )
        kind = m.lastgroup or "word"
        text = m.group(kind)
        tokens.append(_Tok(kind, text, m.start(kind) + 1))
        pos = m.end()
    tokens.append(_Tok("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect_word(self, what: str) -> _Tok:
        tok = self.take()
        if tok.kind != "word" or tok.text in _KEYWORDS:
            found = tok.text or "the end"
            raise ConditionError(f"expected {what} but found {found!r}", tok.column)
        return tok

    def parse(self) -> Condition:
        if self.peek().kind == "end":
            raise ConditionError("the condition is empty; write e.g. 'swelling is yes' or 'always'", 1)
        cond = self.expr()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError(f"unexpected {tok.text!r}; join conditions with 'and' or 'or'", tok.column)
        return cond

    def expr(self) -> Condition:
        first = self.and_()
        items = [first]
        while self.peek().text == "or":
            self.take()
            items.append(self.and_())
        return first if len(items) == 1 else AnyOf(tuple(items), _column(first))

    def and_(self) -> Condition:
        first = self.unary()
        items = [first]
        while self.peek().text == "and":
            self.take()
            items.append(self.unary())
        return first if len(items) == 1 else AllOf(tuple(items), _column(first))

    def unary(self) -> Condition:
        tok = self.peek()
        if tok.text == "not":
            self.take()
            return Not(self.unary(), tok.column)
        return self.atom()

    def atom(self) -> Condition:
        tok = self.take()
        if tok.text == "(":
            inner = self.expr()
            close = self.take()
            if close.text != ")":
                raise ConditionError("a '(' is not closed; add ')'", close.column)
            return inner
        if tok.text == "always":
            return Always(tok.column)
        if tok.kind != "word" or tok.text in _KEYWORDS:
            found = tok.text or "the end"
            raise ConditionError(f"expected a question or score name but found {found!r}", tok.column)
        name = tok.text
        nxt = self.take()
        if nxt.text == "answered":
            return Answered(name, tok.column)
        if nxt.text == "is":
            negated = False
            if self.peek().text == "not":
                self.take()
                negated = True
            value = self.expect_word("an answer such as yes, no, unsure or a choice id")
            return Is(name, value.text, negated, tok.column, value.column)
        if nxt.text == "in":
            return self._in(name, tok.column)
        if nxt.kind == "op":
            num = self.take()
            if num.kind != "num":
                raise ConditionError(
                    f"expected a number after {nxt.text!r} but found {num.text or 'the end'!r}",
                    num.column,
                )
            return Compare(name, nxt.text, float(num.text), tok.column)
        found = nxt.text or "the end"
        raise ConditionError(
            f"after {name!r} write 'is <answer>', 'in [a, b]', 'answered' or a comparison "
            f"such as '>= 2' (found {found!r})",
            nxt.column,
        )

    def _in(self, name: str, column: int) -> Condition:
        open_ = self.take()
        if open_.text != "[":
            raise ConditionError("write the choices in brackets, e.g. 'in [today, days]'", open_.column)
        values: list[str] = []
        cols: list[int] = []
        while True:
            word = self.expect_word("a choice id")
            values.append(word.text)
            cols.append(word.column)
            sep = self.take()
            if sep.text == "]":
                break
            if sep.text != ",":
                raise ConditionError("separate choices with ',' and close with ']'", sep.column)
        return In(name, tuple(values), column, tuple(cols))


def _column(cond: Condition) -> int:
    return cond.column


def parse_condition(source: str) -> Condition:
    """Parse a condition; raise ConditionError with a 1-based column on a mistake."""
    return _Parser(source).parse()


class Facts:
    """What a condition can look at: answers given so far and score totals."""

    def __init__(self, answers: dict[str, AnswerValue], scores: dict[str, int] | None = None) -> None:
        self.answers = answers
        self.scores = scores or {}

    def value(self, name: str) -> AnswerValue | None:
        if name in self.scores:
            return self.scores[name]
        return self.answers.get(name)


def evaluate(cond: Condition, facts: Facts) -> bool:
    """Evaluate a parsed condition. Unanswered questions make comparisons false."""
    return cond.holds(facts)


def walk(cond: Condition) -> Iterator[Condition]:
    """Every node of a condition, outermost first."""
    yield cond
    if isinstance(cond, Not):
        yield from walk(cond.inner)
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from walk(item)


def names(cond: Condition) -> set[str]:
    """The question and score names a condition refers to."""
    return {n.name for n in walk(cond) if isinstance(n, Is | In | Compare | Answered)}
