"""Words that would not be understood as meant: each is run through the real parsers.

A choice word is said to the dialog as the answer to its question (emergency phrases and commands
are heard first, as in :class:`assistant.dialog.Dialog`), and must come back as its own choice. The
same goes for a yes/no question's own answer words, and for an intent's phrases, which must not be
taken for a command.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answers import parse_choice
from assistant.authoring.workspace import LoadedIntent
from assistant.knowledge import Knowledge
from assistant.model import Question
from assistant.problems import Problem
from assistant.yamlsource import YamlPath, load_yaml

_Add = Callable[[YamlPath, str], None]


def _taken_by_command(knowledge: Knowledge, text: str) -> str | None:
    """What the dialog does with ``text`` before anything else, if it takes it."""
    if knowledge.commands.emergency(text) is not None:
        return "an emergency phrase (the assistant would give the emergency message)"
    command = knowledge.commands.command(text)
    if command is not None:
        return f"the command {command!r} (see commands: in the system file)"
    return None


def lint_words(knowledge: Knowledge, item: LoadedIntent) -> list[Problem]:
    intent, src = item.intent, item.source
    problems: list[Problem] = []

    def add(path: YamlPath, message: str) -> None:
        problems.append(Problem(src.at(path), message))

    for j, phrase in enumerate(intent.phrases):
        taken = _taken_by_command(knowledge, phrase)
        if taken:
            add(("phrases", j), f"the phrase {phrase!r} is {taken}, so it can never start this intent; "
                "reword it")  # fmt: skip
    for i, q in enumerate(intent.questions):
        if q.kind == "choice":
            _choice_words(knowledge, q, ("questions", i, "choices"), add)
        elif q.kind == "yes_no" and q.answer_words:
            _answer_words(knowledge, q, ("questions", i, "answers"), add)
    return problems


def _choice_words(knowledge: Knowledge, q: Question, path: YamlPath, add: _Add) -> None:
    owners: dict[str, set[str]] = {}
    for choice in q.choices:
        for word in choice.words:
            owners.setdefault(knowledge.normalizer(word), set()).add(choice.id)
    reported: set[str] = set()
    for choice in q.choices:
        for k, word in enumerate(choice.words):
            where = (*path, choice.id, k)
            norm = knowledge.normalizer(word)
            if len(owners[norm]) > 1:
                if norm not in reported:
                    reported.add(norm)
                    both = " and ".join(repr(c) for c in sorted(owners[norm]))
                    add(where, f"{word!r} is a word of choices {both} of question {q.id!r}; keep it in one")
                continue
            taken = _taken_by_command(knowledge, word)
            if taken:
                add(where, f"saying {word!r} is {taken}, so it can never choose {choice.id!r}; remove it "
                    "or say it differently")  # fmt: skip
                continue
            got = parse_choice(word, q, knowledge.normalizer)
            if got != choice.id:
                meant = f"is understood as the choice {got!r}" if got else "fits two choices equally"
                add(where, f"saying {word!r} to question {q.id!r} {meant}, not only {choice.id!r}; make the "
                    "words of the choices more distinct")  # fmt: skip


def _answer_words(knowledge: Knowledge, q: Question, path: YamlPath, add: _Add) -> None:
    owners: dict[str, set[str]] = {}
    for value, words in q.answer_words.items():
        for word in words:
            owners.setdefault(knowledge.normalizer(word), set()).add(value)
    reported: set[str] = set()
    for value, words in q.answer_words.items():
        for k, word in enumerate(words):
            where = (*path, value, k)
            norm = knowledge.normalizer(word)
            if len(owners[norm]) > 1:
                if norm not in reported:
                    reported.add(norm)
                    both = " and ".join(repr(v) for v in sorted(owners[norm]))
                    add(where, f"{word!r} is listed under {both}; keep it under one")
                continue
            taken = _taken_by_command(knowledge, word)
            if taken:
                add(where, f"saying {word!r} is {taken}, so it can never mean {value!r}; remove it")
                continue
            got = knowledge.yes_no_parser.parse(word, q.answer_words)
            if got != value:
                meant = repr(got) if got else "not understood"
                add(where, f"saying {word!r} to question {q.id!r} is understood as {meant}, not {value!r} "
                    "(the system answers or another word here take it); remove it or reword it")  # fmt: skip


def lint_system(knowledge: Knowledge) -> list[Problem]:
    """Yes / no / not sure phrases of the system file that a command or another answer takes."""
    system = knowledge.system
    problems: list[tuple[YamlPath, str]] = []
    for value, words in system.answers.items():
        for k, word in enumerate(words):
            taken = _taken_by_command(knowledge, word)
            got = knowledge.yes_no_parser.parse(word)
            if taken:
                problems.append((("answers", value, k), f"the answer {word!r} is {taken}; remove it"))
            elif got != value:
                problems.append((("answers", value, k), f"the answer {word!r} is understood as "
                                 f"{got!r}, not {value!r}; remove it or move it"))  # fmt: skip
    if not problems:
        return []
    src = load_yaml(system.path)
    return [Problem(src.at(path), message) for path, message in problems]
