"""Words that would not be understood as meant: each is run through the real parsers.

A choice word is said to the dialog as the answer to its question (emergency phrases and commands
are heard first, as in :class:`assistant.conversation.dialog.Dialog`), and must come back as its
own choice. The same goes for a yes/no question's own answer words, and for an intent's phrases,
which must not be taken for a command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields

from assistant.authoring.workspace import LoadedIntent
from assistant.base.intents import Question
from assistant.base.problems import Problem
from assistant.content.knowledge import Knowledge
from assistant.content.located_yaml import YamlPath, load_yaml
from assistant.understanding.answers import ChoiceParser, YesNoParser, parse_choice
from assistant.understanding.commands import CommandRecognizer
from assistant.understanding.emergencies import EmergencyDetector
from assistant.understanding.hearing import Hearing
from assistant.understanding.normalize import Normalizer

_Add = Callable[[YamlPath, str], None]


@dataclass(frozen=True)
class _MemoNormalizer(Normalizer):
    """The same normalizer, remembering its answers: every word is checked against many phrases."""

    memo: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def tokens(self, text: str) -> list[str]:
        hit = self.memo.get(text)
        if hit is None:
            hit = tuple(super().tokens(text))
            self.memo[text] = hit
        return list(hit)


class WordChecker:
    """The dialog's own parsers, built once per set of intents, with a remembering normalizer."""

    def __init__(self, knowledge: Knowledge) -> None:
        base = knowledge.normalizer
        self.knowledge = knowledge
        self.normalizer = _MemoNormalizer(**{f.name: getattr(base, f.name) for f in fields(base)})
        system = knowledge.system
        self.commands = CommandRecognizer(system, self.normalizer)
        self.emergencies = EmergencyDetector(
            system.emergencies, system.words, self.normalizer, system.commands.get("emergency", ())
        )
        self.hearing = Hearing(self.normalizer, system.words)
        self.yes_no = YesNoParser(system, self.normalizer)
        self.choices = ChoiceParser(system, self.normalizer)

    def taken_by_command(self, text: str) -> str | None:
        """What the dialog does with ``text`` before anything else, if it takes it."""
        found = self.emergencies.detect(self.hearing.hear(text).clauses)
        if found is not None and found.certain:
            return f"an emergency ({found.concept.name}; the assistant would give the emergency message)"
        command = self.commands.command(text)
        if command is not None:
            return f"the command {command!r} (see commands: in the system file)"
        return None

    def lint(self, item: LoadedIntent) -> list[Problem]:
        intent, src = item.intent, item.source
        problems: list[Problem] = []

        def add(path: YamlPath, message: str) -> None:
            problems.append(Problem(src.at(path), message))

        for j, phrase in enumerate(intent.phrases):
            taken = self.taken_by_command(phrase)
            if taken:
                add(
                    ("phrases", j),
                    f"the phrase {phrase!r} is {taken}, so it can never start this intent; reword it",
                )
        for i, q in enumerate(intent.questions):
            if q.kind == "choice":
                _choice_words(self, q, ("questions", i, "choices"), add)
            elif q.kind == "yes_no" and q.answer_words:
                _answer_words(self, q, ("questions", i, "answers"), add)
        return problems


def lint_words(knowledge: Knowledge, item: LoadedIntent) -> list[Problem]:
    """Phrases taken by a command, and choice or answer words not understood as meant."""
    return WordChecker(knowledge).lint(item)


def _single_owner_words(
    checker: WordChecker,
    groups: Mapping[str, tuple[str, ...]],
    path: YamlPath,
    add: _Add,
    in_two: Callable[[str, str], str],
) -> Iterator[tuple[str, str, YamlPath]]:
    """Each word of the groups (choices, or yes/no/unsure) with its owner and place, except
    words listed under two owners: those are reported once, as ``in_two(word, owners)``."""
    owners: dict[str, set[str]] = {}
    for owner, words in groups.items():
        for word in words:
            owners.setdefault(checker.normalizer(word), set()).add(owner)
    reported: set[str] = set()
    for owner, words in groups.items():
        for k, word in enumerate(words):
            where = (*path, owner, k)
            norm = checker.normalizer(word)
            if len(owners[norm]) == 1:
                yield owner, word, where
            elif norm not in reported:
                reported.add(norm)
                add(where, in_two(word, " and ".join(repr(o) for o in sorted(owners[norm]))))


def _choice_words(checker: WordChecker, q: Question, path: YamlPath, add: _Add) -> None:
    groups = {choice.id: choice.words for choice in q.choices}

    def in_two(word: str, both: str) -> str:
        return f"{word!r} is a word of choices {both} of question {q.id!r}; keep it in one"

    for choice_id, word, where in _single_owner_words(checker, groups, path, add, in_two):
        taken = checker.taken_by_command(word)
        if taken:
            add(
                where,
                f"saying {word!r} is {taken}, so it can never choose {choice_id!r}; remove it "
                "or say it differently",
            )
            continue
        got = parse_choice(word, q, checker.choices)
        if got != choice_id:
            meant = f"is understood as the choice {got!r}" if got else "fits two choices equally"
            add(
                where,
                f"saying {word!r} to question {q.id!r} {meant}, not only {choice_id!r}; make the "
                "words of the choices more distinct",
            )


def _answer_words(checker: WordChecker, q: Question, path: YamlPath, add: _Add) -> None:
    def in_two(word: str, both: str) -> str:
        return f"{word!r} is listed under {both}; keep it under one"

    for value, word, where in _single_owner_words(checker, q.answer_words, path, add, in_two):
        taken = checker.taken_by_command(word)
        if taken:
            add(where, f"saying {word!r} is {taken}, so it can never mean {value!r}; remove it")
            continue
        got = checker.yes_no.parse(word, q.answer_words)
        if got != value:
            meant = repr(got) if got else "not understood"
            add(
                where,
                f"saying {word!r} to question {q.id!r} is understood as {meant}, not {value!r} "
                "(the system answers or another word here take it); remove it or reword it",
            )


def lint_system(knowledge: Knowledge, checker: WordChecker | None = None) -> list[Problem]:
    """Yes / no / not sure phrases of the system file that a command or another answer takes."""
    system = knowledge.system
    checker = checker or WordChecker(knowledge)
    problems: list[tuple[YamlPath, str]] = []
    for value, words in system.answers.items():
        for k, word in enumerate(words):
            taken = checker.taken_by_command(word)
            got = checker.yes_no.parse(word)
            if taken:
                problems.append((("answers", value, k), f"the answer {word!r} is {taken}; remove it"))
            elif got != value:
                problems.append(
                    (
                        ("answers", value, k),
                        f"the answer {word!r} is understood as {got!r}, not {value!r}; remove it or move it",
                    )
                )
    if not problems:
        return []
    src = load_yaml(system.path)
    return [Problem(src.at(path), message) for path, message in problems]
