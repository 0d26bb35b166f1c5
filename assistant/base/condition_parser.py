"""Parsing the condition language of intent files (the grammar is in :mod:`assistant.base.conditions`).

A hand-written tokenizer and recursive-descent parser: nothing in a condition is ever evaluated as
Python. A mistake raises :class:`ConditionError` with the 1-based column where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.conditions import (
    AllOf,
    Always,
    Answered,
    AnyOf,
    Compare,
    Condition,
    In,
    Is,
    Not,
)
from assistant.base.errors import ConditionError

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|==|!=|<|>|=)|(?P<punct>[()\[\],])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_KEYWORDS = frozenset({"and", "or", "not", "is", "in", "always", "answered"})


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
