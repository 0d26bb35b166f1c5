"""``assistant evaluate``: play clinical vignettes through the real dialog and score the outcome.

The parts live in :mod:`assistant.evaluation`: ``vignettes`` reads and checks the file,
``simulate`` plays each vignette as a simulated patient, and ``report`` scores the outcomes the
way published audits of symptom checkers do (Wilson 95% intervals, per triage level).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from assistant.base.errors import AssistantError
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge, default_intent_dirs, load_knowledge
from assistant.evaluation.report import Report
from assistant.evaluation.simulate import play
from assistant.evaluation.vignettes import load_vignettes

log = logging.getLogger(__name__)


def evaluate(vignettes_path: Path, knowledge: Knowledge, settings: Settings) -> Report:
    """Load the vignettes, play each one through the dialog, and return the report."""
    report = Report()
    for vignette in load_vignettes(vignettes_path, knowledge):
        outcome = play(vignette, knowledge, settings)
        log.debug("%s: %s -> %s", vignette.id, vignette.expected, outcome.triage)
        report.outcomes.append(outcome)
    return report


# -- command line -----------------------------------------------------------------------------
def evaluate_command(argv: Sequence[str], out: TextIO) -> int:
    """``assistant evaluate VIGNETTES.yaml [--json] [--intents PATH ...]``.

    Exit status: 0 when every emergency was caught, 1 when one was missed, 2 for unusable files.
    """
    parser = argparse.ArgumentParser(
        prog="assistant evaluate", description="Play clinical vignettes through the dialog and report."
    )
    parser.add_argument("vignettes", type=Path, help="the vignette file (YAML)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--intents", type=Path, action="append", default=None,
        help="an intent file or folder to load instead of the shipped ones (repeatable)",
    )  # fmt: skip
    parser.add_argument("--emergency-number", default=None, help="the number said in emergency advice")
    args = parser.parse_args(list(argv))
    try:
        knowledge = load_knowledge(args.intents if args.intents else default_intent_dirs())
        report = evaluate(args.vignettes, knowledge, Settings(emergency_number=args.emergency_number))
    except AssistantError as exc:
        print(str(exc), file=out)
        return exc.exit_code
    if args.json:
        print(json.dumps(report.to_dict(), indent=2), file=out)
    else:
        print(report.to_text(), file=out)
    return 1 if report.missed_emergencies else 0
