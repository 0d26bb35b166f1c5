"""Safe YAML loading that remembers where every value came from.

Only PyYAML's safe machinery is used: the file is composed into nodes, and each scalar is built by
``SafeConstructor``, so a tag such as ``!!python/object`` is refused, never run. Every key and value
keeps its line and column, so problems can be reported as ``path:line:column``.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.base.problems import Location, Problem, display_path
from assistant.content.limits import (
    MAX_DEPTH,
    MAX_EXPANDED_CHARS,
    MAX_FILE_BYTES,
    too_big,
    too_deep,
    too_expanded,
)

YamlPath = tuple[str | int, ...]

#: Plain words that YAML 1.1 (and so PyYAML) silently turns into true or false.
BOOLEAN_WORDS = frozenset(
    {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}
)


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class LoadedYaml:
    """A parsed YAML file with a location for every key and value it holds."""

    path: Path
    data: Any
    #: Where each value and key starts, as 0-based (line, column): a Location only when reported.
    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    #: Paths whose value was an unquoted word like ``yes`` that YAML read as a boolean.
    boolean_words: dict[YamlPath, str] = field(default_factory=dict)
    #: Paths of scalars written in quotes (condition columns shift by one).
    quoted: set[YamlPath] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    @functools.cached_property
    def shown_path(self) -> str:
        return display_path(self.path)

    def at(self, path: YamlPath, *, key: bool = False) -> Location:
        """The location of the value (or key) at ``path``, or of its nearest known parent."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                return _at(self.shown_path, table[probe])
            if probe in self.values:
                return _at(self.shown_path, self.values[probe])
            probe = probe[:-1]
        if () in self.values:
            return _at(self.shown_path, self.values[()])
        return Location(self.shown_path, 1, 1)


def _at(shown: str, place: tuple[int, int]) -> Location:
    return Location(shown, place[0] + 1, place[1] + 1)


def _location(shown: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(shown)
    return Location(shown, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, loaded: LoadedYaml) -> None:
        self.loaded = loaded
        self.shown = loaded.shown_path
        self.constructor = yaml.SafeLoader("")
        #: Lists and mappings already built, by node: an alias (``*name``) reuses the value built for
        #: its anchor instead of building it again, so a "billion laughs" file loads in linear time.
        self.built: dict[int, Any] = {}
        #: The text each built list or mapping holds, counted again each time an alias reuses it.
        self.sizes: dict[int, int] = {}
        self.building: set[int] = set()
        self.expanded = 0
        self.stopped = False

    def _stop(self, node: yaml.Node, message: str) -> None:
        if not self.stopped:
            self.loaded.problems.append(Problem(_location(self.shown, node.start_mark), message))
        self.stopped = True

    def _count(self, node: yaml.Node, chars: int) -> None:
        self.expanded += chars
        if self.expanded > MAX_EXPANDED_CHARS:
            self._stop(node, too_expanded())

    def build(self, node: yaml.Node, path: YamlPath) -> Any:
        if self.stopped:
            return None
        if len(path) > MAX_DEPTH:
            self._stop(node, too_deep())
            return None
        mark = node.start_mark
        self.loaded.values[path] = (mark.line, mark.column)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            self._refuse_tag(node)
            return None
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            self._count(node, len(str(node.value)))
            return self._scalar(node, path)
        if id(node) in self.built:
            self._count(node, self.sizes.get(id(node), 0))
            return self.built[id(node)]
        if id(node) in self.building:
            self.loaded.problems.append(
                Problem(
                    _location(self.shown, node.start_mark),
                    "this value contains an alias to itself (*name inside &name); write the value out",
                )
            )
            return None
        self.building.add(id(node))
        before = self.expanded
        if isinstance(node, yaml.MappingNode):
            value: Any = self._mapping(node, path)
        else:
            value = [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        self.building.discard(id(node))
        self.built[id(node)] = value
        self.sizes[id(node)] = self.expanded - before
        return value

    def _scalar(self, node: yaml.Node, path: YamlPath) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"'):
            self.loaded.quoted.add(path)
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what SafeConstructor gives for text, without its bookkeeping
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            self._refuse_tag(node)
            return None
        if (
            isinstance(value, bool)
            and isinstance(node, yaml.ScalarNode)
            and not node.style  # plain: None from PyYAML, '' from libyaml
            and node.value in BOOLEAN_WORDS
        ):
            self.loaded.boolean_words[path] = node.value
        return value

    def _refuse_tag(self, node: yaml.Node) -> None:
        self.loaded.problems.append(
            Problem(
                _location(self.shown, node.start_mark),
                f"the tag {node.tag!r} is not allowed; intent files hold plain text, numbers, "
                "lists and mappings only, and nothing in them is ever run (remove the tag)",
            )
        )

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.loaded.problems.append(
                    Problem(
                        _location(self.shown, key_node.start_mark),
                        "merge keys (<<) are not supported in intent files; write the keys out",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.loaded.problems.append(
                    Problem(
                        _location(self.shown, key_node.start_mark),
                        "a key must be a plain word, not a list or a mapping",
                    )
                )
                continue
            key = self._scalar(key_node, (*path, "<key>"))
            if isinstance(key, bool) and key_node.value in BOOLEAN_WORDS:
                key = key_node.value  # a choice id such as `yes:`; reported by the validator
                self.loaded.boolean_words[(*path, key)] = key_node.value
            if not isinstance(key, str | int):
                key = str(key)
            if key in result:
                self.loaded.problems.append(
                    Problem(
                        _location(self.shown, key_node.start_mark),
                        f"the key {key!r} appears twice in the same mapping; keep one "
                        f"(YAML would silently drop the first)",
                    )
                )
            sub = (*path, key)
            self.loaded.keys[sub] = (key_node.start_mark.line, key_node.start_mark.column)
            result[key] = self.build(value_node, sub)
        return result


def load_yaml(path: Path, text: str | None = None) -> LoadedYaml:
    """Load one YAML document safely. Problems are collected, never raised."""
    loaded = LoadedYaml(path=path, data=None)
    shown = loaded.shown_path
    if text is None:
        try:
            raw = _read_bounded(path)
        except OSError as exc:
            loaded.problems.append(Problem(Location(shown), f"cannot read the file: {exc.strerror}"))
            return loaded
        except ValueError as exc:
            loaded.problems.append(Problem(Location(shown), str(exc)))
            return loaded
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            loaded.problems.append(
                Problem(Location(shown, line), "the file is not UTF-8 text; save it as UTF-8")
            )
            return loaded
    if len(text) > MAX_FILE_BYTES:
        loaded.problems.append(Problem(Location(shown), too_big(len(text))))
        return loaded
    try:
        nodes = _compose(text)
    except RecursionError:
        loaded.problems.append(Problem(Location(shown, 1), too_deep()))
        return loaded
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "this is not valid YAML"
        hint = _syntax_hint(what)
        loaded.problems.append(Problem(_location(shown, mark), f"YAML syntax error: {what}{hint}"))
        return loaded
    except yaml.YAMLError as exc:
        loaded.problems.append(Problem(Location(shown, 1), f"YAML syntax error: {exc}"))
        return loaded
    if not nodes:
        loaded.problems.append(Problem(Location(shown, 1), "the file is empty"))
        return loaded
    if len(nodes) > 1:
        loaded.problems.append(
            Problem(
                _location(shown, nodes[1].start_mark),
                "the file holds more than one YAML document (a second '---'); "
                "put each intent in its own file",
            )
        )
    try:
        loaded.data = _Builder(loaded).build(nodes[0], ())
    except RecursionError:
        loaded.problems.append(Problem(Location(shown, 1), too_deep()))
        loaded.data = None
    return loaded


def _read_bounded(path: Path) -> bytes:
    """The file's bytes; a folder, a device, a FIFO or a file over the size limit is refused."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("this is not a regular file (a folder, a device or a pipe); give an intent file")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(too_big(info.st_size))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(too_big(len(data)))
    return data


#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else PyYAML's own.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> list[yaml.Node]:
    """Compose every document; a syntax error is always reported in PyYAML's own words."""
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass  # composed again below, so the message is the same with or without libyaml
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return (
            " (a value contains ': ' — put the whole value in double quotes, "
            'e.g. say: "Note: rest the leg")'
        )
    if "found character '\\t'" in problem or "tab" in problem:
        return " (indent with spaces, not tabs)"
    if "could not find expected ':'" in problem:
        return " (a key is missing its ':' or a quoted text is not closed)"
    if "did not find expected '-' indicator" in problem or "expected <block end>" in problem:
        return " (check the indentation of this line against the lines above)"
    return ""
