"""Typed reading of located YAML values, collecting a problem for every mistake.

Each reader method returns the value when it is usable and ``None`` otherwise, having recorded a
problem that names the file, line and column and says what to write instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from typing import Any, TypeVar

from assistant.base.condition_parser import parse_condition
from assistant.base.conditions import Condition
from assistant.base.errors import ConditionError
from assistant.base.problems import Location, Problem, Severity
from assistant.content.located_yaml import LoadedYaml, YamlPath

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")

W = TypeVar("W", bound=str)


def did_you_mean(word: str, options: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Reader:
    def __init__(self, loaded: LoadedYaml) -> None:
        self.y = loaded
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------
    def report(
        self, path: YamlPath, message: str, *, key: bool = False, severity: Severity = "error"
    ) -> None:
        self.problems.append(Problem(self.y.at(path, key=key), message, severity))

    def report_at(self, location: Location, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(location, message, severity))

    # -- structure -------------------------------------------------------------------------
    def mapping(
        self,
        path: YamlPath,
        value: Any,
        *,
        what: str,
        allowed: Collection[str],
        required: Collection[str] = (),
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.report(path, f"{what} should be a mapping of 'key: value' lines, not {describe(value)}")
            return None
        for key in value:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                if not hint:
                    hint = "; allowed keys are " + ", ".join(sorted(allowed))
                self.report((*path, key), f"unknown key {key!r} in {what}{hint}", key=True)
        for key in required:
            if key not in value:
                self.report(path, f"{what} is missing the required key '{key}:'")
        return value

    def keyed(
        self, path: YamlPath, value: Any, *, what: str, example: str
    ) -> list[tuple[Any, YamlPath, Any]]:
        """The entries of an optional mapping of ids to bodies, each with its path."""
        if value is None:
            return []
        if not isinstance(value, dict):
            self.report(path, f"{what} should be a mapping: {example}")
            return []
        return [(key, (*path, key), body) for key, body in value.items()]

    def records(
        self,
        path: YamlPath,
        value: Any,
        *,
        what: str,
        each: str,
        allowed: Collection[str],
        required: Collection[str],
        min_items: int = 1,
    ) -> list[tuple[YamlPath, dict[str, Any]]]:
        """The usable mappings of a list of mappings (questions, causes, rules), each with its path."""
        out: list[tuple[YamlPath, dict[str, Any]]] = []
        for i, item in enumerate(self.sequence(path, value, what=what, min_items=min_items)):
            m = self.mapping((*path, i), item, what=each, allowed=allowed, required=required)
            if m is not None:
                out.append(((*path, i), m))
        return out

    def sequence(self, path: YamlPath, value: Any, *, what: str, min_items: int = 0) -> list[Any]:
        if value is None and min_items == 0:
            return []
        if not isinstance(value, list):
            self.report(path, f"{what} should be a list (lines starting with '- '), not {describe(value)}")
            return []
        if len(value) < min_items:
            self.report(path, f"{what} needs at least {min_items} item{'s' if min_items > 1 else ''}")
        return value

    # -- scalars ---------------------------------------------------------------------------
    def text(self, path: YamlPath, value: Any, *, what: str, required: bool = True) -> str | None:
        if value is None:
            # A missing key was reported by mapping(); only a key written with nothing after it is "empty".
            if required and (path in self.y.keys or not path or isinstance(path[-1], int)):
                self.report(path, f"{what} is empty; write the text after the colon")
            return None
        if isinstance(value, bool) and path in self.y.boolean_words:
            word = self.y.boolean_words[path]
            self.report(
                path,
                f'YAML reads the unquoted word {word} as true/false; write "{word}" in quotes',
            )
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.report(path, f"{what} should be text, not {describe(value)}")
            return None
        if not value.strip():
            if required:
                self.report(path, f"{what} is empty; write the text after the colon")
            return None
        return value.strip()

    def texts(self, path: YamlPath, value: Any, *, what: str, min_items: int = 0) -> tuple[str, ...]:
        out: list[str] = []
        if isinstance(value, str):
            value = [value]
        for i, item in enumerate(self.sequence(path, value, what=what, min_items=min_items)):
            text = self.text((*path, i), item, what=f"an item of {what}")
            if text is not None:
                out.append(text)
        return tuple(out)

    def one_of(self, path: YamlPath, value: Any, options: tuple[W, ...], *, what: str) -> W | None:
        """A word from a closed set (a question kind, a triage level)."""
        text = self.text(path, value, what=what)
        for option in options:
            if text == option:
                return option
        if text is not None:
            self.report(
                path, f"{what} {text!r} is not one of {', '.join(options)}{did_you_mean(text, options)}"
            )
        return None

    def ident(self, path: YamlPath, value: Any, *, what: str) -> str | None:
        text = self.text(path, value, what=what)
        if text is None:
            return None
        if not IDENT.match(text):
            fixed = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or "my_id"
            if not fixed[0].isalpha():
                fixed = "x_" + fixed
            self.report(
                path,
                f"{what} {text!r} should use lowercase letters, digits and underscores, "
                f"starting with a letter, e.g. {fixed!r}",
            )
            return None
        return text

    def number(self, path: YamlPath, value: Any, *, what: str, default: float | None = None) -> float | None:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(path, f"{what} should be a number such as 2 or -1.5, not {describe(value)}")
            return default
        return float(value)

    def flag(self, path: YamlPath, value: Any, *, what: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.report(path, f"{what} should be true or false, not {describe(value)}")
            return False
        return value

    def condition(self, path: YamlPath, value: Any, *, what: str) -> Condition | None:
        if isinstance(value, bool):
            self.report(
                path,
                f'{what} should be a condition such as "swelling is yes" in quotes, or always; '
                "YAML read this as true/false",
            )
            return None
        text = self.text(path, value, what=what)
        if text is None:
            return None
        try:
            return parse_condition(text)
        except ConditionError as exc:
            self.report_at(self._column(path, exc.column), f"in {what} {text!r}: {exc}")
            return None

    def condition_location(self, path: YamlPath, column: int) -> Location:
        return self._column(path, column)

    def _column(self, path: YamlPath, column: int) -> Location:
        base = self.y.at(path)
        if not base.line:
            return base
        return Location(base.path, base.line, base.column + column - 1 + (1 if path in self.y.quoted else 0))
