"""``assistant check [PATH...]``: every problem in the intent files at once, with what to write instead.

The loader's own checks (syntax, keys, types, conditions, sources, triage cover) come first; on the
intents that load, :mod:`~assistant.authoring.lint` looks for logic that can never be reached,
:mod:`~assistant.authoring.words` for answer words and phrases that would be misheard, and
:mod:`~assistant.authoring.ambiguity` for phrases another intent would take. Conversation test files
are checked too, and an intent with no conversation test is a warning.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from assistant.authoring.ambiguity import phrase_collisions
from assistant.authoring.casefile import load_case_file
from assistant.authoring.cli_args import add_paths, parse, parser
from assistant.authoring.conversation_tests import find_case_files, reference_problems
from assistant.authoring.lint import lint_intent
from assistant.authoring.prompt_budget import budget_message, over_budget
from assistant.authoring.words import WordChecker, lint_system
from assistant.authoring.workspace import SHIPPED_SYSTEM, LoadedIntent, Workspace, load_workspace
from assistant.base.problems import Location, Problem, display_path
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, check_files, default_intent_dirs
from assistant.content.limits import MAX_INTENTS
from assistant.content.parallel import parallel_map

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    intents: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def to_json(self) -> dict[str, object]:
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "files": self.files,
            "intents": self.intents,
            "problems": [
                {
                    "path": p.location.path,
                    "line": p.location.line,
                    "column": p.location.column,
                    "severity": p.severity,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }


def check_paths(paths: Sequence[Path] | None = None) -> list[Path]:
    """What ``check`` reads: the default folders, or the paths given plus the shipped system file."""
    if not paths:
        return default_intent_dirs()
    return [SHIPPED_SYSTEM, *paths]


def run_check(paths: Sequence[Path] | None = None, *, ambiguity: bool = True) -> CheckReport:
    """Load, validate and lint; every problem found, errors and warnings, sorted by place."""
    read = check_paths(paths)
    # Each intent's own logic is linted as it loads (on every core); what needs all the intents
    # (the words the assistant understands, ambiguity between intents) comes after.
    ws = load_workspace(read, check=lint_intent)
    problems = [*ws.problems, *ws.checked]
    knowledge = ws.knowledge()
    if knowledge is not None:
        words = WordChecker(knowledge)
        problems += lint_system(knowledge, words)
        # Workers get an index, not the intent: they share the loaded files with this process.
        for found in parallel_map(_lint_words, range(len(ws.intents)), (words, ws.intents)):
            problems += found
        if ambiguity:
            # Checking a folder of new intents: its phrases are checked against the shipped
            # intents too, which it will be loaded beside (the walkthrough's `check my-intents`).
            beside = _with_shipped(read, ws) if paths else None
            problems += phrase_collisions(beside or knowledge, ws.intents, near=beside is not None)
        problems += _budget_problems(knowledge, ws.intents)
        problems += source_problems(knowledge.system.trusted_publishers, ws.intents)
    problems += _check_conversation_tests(ws, read, knowledge)
    unique = sorted(set(problems), key=lambda p: (p.location, p.severity, p.message))
    return CheckReport(unique, len(ws.files), len(ws.intents))


def _with_shipped(read: Sequence[Path], ws: Workspace) -> Knowledge | None:
    """The given files loaded beside the shipped intents (None if already among them, or if the
    two cannot load together: the errors are then reported for the files themselves).

    The given files are read already: the shipped intents are added to them as
    :func:`~assistant.content.knowledge.check_files` would add them, shipped first, and refused
    for what it would refuse (an error in a file, an intent id used twice, too many intents).
    """
    shipped = SHIPPED_INTENTS.resolve()
    if any(p.resolve() == shipped or shipped in p.resolve().parents for p in read if p != SHIPPED_SYSTEM):
        return None
    if ws.has_errors or ws.system is None:
        return None
    base, problems = check_files([SHIPPED_INTENTS])
    if base is None or any(p.severity == "error" for p in problems):
        return None
    ids = {intent.id for intent in base.intents}
    if any(item.intent.id in ids for item in ws.intents) or len(ids) + len(ws.intents) > MAX_INTENTS:
        return None
    return Knowledge(ws.system, (*base.intents, *(item.intent for item in ws.intents)))


def source_problems(publishers: Sequence[str], items: Sequence[LoadedIntent]) -> list[Problem]:
    """A warning for each source that is not https or not from a trusted publisher."""
    found = []
    for item in items:
        for sid, source in item.intent.sources.items():
            if not source.url:
                continue
            url = urlsplit(source.url)
            host = (url.hostname or "").lower()
            where = item.source.at(("sources", sid, "url"))
            if url.scheme != "https":
                found.append(
                    Problem(where, f"the source {sid!r} is not https; link the https page", "warning")
                )
            elif publishers and not any(host == p or host.endswith("." + p) for p in publishers):
                found.append(
                    Problem(
                        where,
                        f"the source {sid!r} is on {host}, not a trusted publisher (see trusted_publishers "
                        "in the system file); link the canonical page, e.g. on nhs.uk or nice.org.uk",
                        "warning",
                    )
                )
    return found


def _budget_problems(knowledge: Knowledge, items: Sequence[LoadedIntent]) -> list[Problem]:
    """A warning for each sentence estimated to take longer to say than its budget."""
    sources = {item.intent.id: item.source for item in items}
    found = []
    for prompt, seconds in over_budget(knowledge.system, knowledge.intents):
        source = sources.get(prompt.intent)
        where = (
            source.at(prompt.path) if source is not None else Location(display_path(knowledge.system.path))
        )
        found.append(Problem(where, budget_message(prompt, seconds), "warning"))
    return found


def _lint_words(context: tuple[WordChecker, list[LoadedIntent]], index: int) -> list[Problem]:
    words, intents = context
    return words.lint(intents[index])


def _check_conversation_tests(
    ws: Workspace, paths: Sequence[Path], knowledge: Knowledge | None
) -> list[Problem]:
    files = {p.resolve(): p for p in ws.test_files}
    for folder in paths:
        if folder.is_dir():
            files.update(
                {p.resolve(): p for p in find_case_files([folder / "tests"]) if (folder / "tests").is_dir()}
            )
    problems: list[Problem] = []
    covered: set[str] = set()
    for path in files.values():
        cf = load_case_file(path)
        problems += cf.problems
        if cf.problems:
            continue
        covered |= cf.intents_expected()
        if knowledge is not None and not cf.intents:
            problems += reference_problems(cf, knowledge)
    for item in ws.intents:
        intent = item.intent
        if intent.id not in covered:
            where = display_path(intent.path.parent / "tests" / f"{intent.id}.yaml")
            problems.append(
                Problem(
                    item.source.at(("intent",)),
                    f"intent {intent.id!r} has no conversation "
                    f"test; write one in {where} (see docs/authoring.md)",
                    "warning",
                )
            )
    return problems


def format_text(report: CheckReport) -> str:
    lines = [str(p) for p in report.problems]
    e, w = len(report.errors), len(report.warnings)
    files = f"{report.files} file{'s' if report.files != 1 else ''}, {report.intents} intent" + (
        "s" if report.intents != 1 else ""
    )
    if not e and not w:
        lines.append(f"no problems ({files})")
    else:
        lines.append(f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} ({files})")
    return "\n".join(lines) + "\n"


def check_command(argv: Sequence[str], out: TextIO) -> int:
    """0: no errors (warnings allowed unless --strict); 1: problems found; 2: usage error."""
    p = parser("assistant check", "Check intent files and report every problem with its file and line.")
    add_paths(p, "intent files or folders (default: intents/ and the user's drop-in folder)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.add_argument(
        "--no-ambiguity",
        action="store_true",
        help="skip matching every phrase against every intent (slow with thousands of intents)",
    )
    args = parse(p, argv, out)
    if isinstance(args, int):
        return args
    try:
        report = run_check(args.paths or None, ambiguity=not args.no_ambiguity)
    except Exception as exc:
        log.debug("check failed", exc_info=True)
        report = CheckReport(
            [
                Problem(
                    Location("assistant check"),
                    f"internal error ({type(exc).__name__}: "
                    f"{exc}); please report it with the file that caused it",
                )
            ]
        )
    out.write(json.dumps(report.to_json(), indent=2) + "\n" if args.json else format_text(report))
    return 1 if report.failed(args.strict) else 0
