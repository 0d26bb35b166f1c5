"""``assistant evaluate-utterances``: how well the labelled corpus is understood, and the targets.

Prints accuracy per label, the confusions (what each label was taken as instead), and the share
of intents reached only after a "Did you mean ...?" confirmation. Exit status 0 when every
target holds, 1 when one is missed, 2 for unusable files.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from assistant.base.errors import AssistantError
from assistant.content.knowledge import Knowledge, default_intent_dirs, load_knowledge
from assistant.evaluation.utterances import Judge, Verdict, load_corpus

#: The targets of the corpus (issue 9): emergencies all caught, overall and yes/no/unsure floors.
EMERGENCY_RECALL = 1.0
OVERALL_FLOOR = 0.97
YES_NO_FLOOR = 0.98
#: At most this share of intents may need a "did you mean" confirmation.
CONFIRM_CEILING = 0.10


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass
class UtteranceReport:
    verdicts: list[Verdict] = field(default_factory=list)

    def of(self, *, prefix: str = "", exact: str = "") -> list[Verdict]:
        return [
            v
            for v in self.verdicts
            if (exact and v.utterance.expect == exact) or (prefix and v.utterance.expect.startswith(prefix))
        ]

    @property
    def overall(self) -> float:
        return _share(sum(v.correct for v in self.verdicts), len(self.verdicts))

    @property
    def emergency_recall(self) -> float:
        said = self.of(exact="emergency")
        return _share(sum(v.got == "emergency" for v in said), len(said))

    @property
    def yes_no(self) -> float:
        said = self.of(prefix="answer:")
        return _share(sum(v.correct for v in said), len(said))

    @property
    def out_of_scope_taken(self) -> list[Verdict]:
        """Sentences that must not be taken as an intent but were (without a confirmation)."""
        return [v for v in self.of(exact="out_of_scope") if v.got.startswith("intent:") and not v.confirmed]

    @property
    def confirm_share(self) -> float:
        reached = [v for v in self.of(prefix="intent:") if v.correct]
        return sum(v.confirmed for v in reached) / len(reached) if reached else 0.0

    def targets(self) -> dict[str, bool]:
        return {
            f"emergency recall = {EMERGENCY_RECALL:.0%}": self.emergency_recall >= EMERGENCY_RECALL,
            f"overall >= {OVERALL_FLOOR:.0%}": self.overall >= OVERALL_FLOOR,
            f"yes/no/unsure >= {YES_NO_FLOOR:.0%}": self.yes_no >= YES_NO_FLOOR,
            "no out-of-scope sentence taken as an intent": not self.out_of_scope_taken,
            f"confirmations < {CONFIRM_CEILING:.0%} of intents": self.confirm_share < CONFIRM_CEILING,
        }

    def by_label(self) -> dict[str, tuple[int, int]]:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for v in self.verdicts:
            counts[v.utterance.expect][0] += v.correct
            counts[v.utterance.expect][1] += 1
        return {label: (c[0], c[1]) for label, c in sorted(counts.items())}

    def confusions(self) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for v in self.verdicts:
            if not v.correct:
                out[v.utterance.expect][v.got].append(v.utterance.text)
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

    def by_style(self) -> dict[str, tuple[int, int]]:
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for v in self.verdicts:
            total[v.utterance.style] += 1
            right[v.utterance.style] += v.correct
        return {style: (right[style], total[style]) for style in sorted(total)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "utterances": len(self.verdicts),
            "overall": round(self.overall, 4),
            "emergency_recall": round(self.emergency_recall, 4),
            "yes_no_unsure": round(self.yes_no, 4),
            "confirmation_share": round(self.confirm_share, 4),
            "out_of_scope_taken": [v.utterance.text for v in self.out_of_scope_taken],
            "labels": {k: {"correct": c, "total": n} for k, (c, n) in self.by_label().items()},
            "styles": {k: {"correct": c, "total": n} for k, (c, n) in self.by_style().items()},
            "confusions": self.confusions(),
            "targets": self.targets(),
        }

    def to_text(self) -> str:
        lines = [
            f"{len(self.verdicts)} utterances, {self.overall:.1%} understood as labelled",
            f"emergency recall {self.emergency_recall:.1%}; yes/no/unsure {self.yes_no:.1%}; "
            f"intents reached only after 'did you mean' {self.confirm_share:.1%}",
            "",
            "per label (correct/total):",
        ]
        lines += [
            f"  {label:28} {c:4}/{n:<4} {_share(c, n):6.1%}" for label, (c, n) in self.by_label().items()
        ]
        lines += ["", "per style (correct/total):"]
        lines += [
            f"  {style:28} {c:4}/{n:<4} {_share(c, n):6.1%}" for style, (c, n) in self.by_style().items()
        ]
        confusions = self.confusions()
        if confusions:
            lines += ["", "confusions (expected -> taken as):"]
            for expected, gots in confusions.items():
                for got, texts in gots.items():
                    shown = "; ".join(repr(t) for t in texts[:4]) + (" ..." if len(texts) > 4 else "")
                    lines.append(f"  {expected} -> {got} ({len(texts)}): {shown}")
        lines += ["", "targets:"]
        lines += [f"  [{'ok' if held else 'MISSED'}] {name}" for name, held in self.targets().items()]
        return "\n".join(lines)


def evaluate_utterances(paths: Sequence[Path], knowledge: Knowledge) -> UtteranceReport:
    judge = Judge(knowledge)
    return UtteranceReport([judge.judge(u) for u in load_corpus(paths)])


def corpus_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders as their *.yaml files."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return out


def evaluate_utterances_command(argv: Sequence[str], out: TextIO) -> int:
    """``assistant evaluate-utterances FILE_OR_FOLDER... [--json] [--intents PATH ...]``."""
    parser = argparse.ArgumentParser(
        prog="assistant evaluate-utterances",
        description="Understand a labelled utterance corpus and report accuracy per label.",
    )
    parser.add_argument("files", type=Path, nargs="+", help="corpus files or folders (YAML)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--intents", type=Path, action="append", default=None,
        help="an intent file or folder to load instead of the shipped ones (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(list(argv))
    try:
        knowledge = load_knowledge(args.intents if args.intents else default_intent_dirs())
        report = evaluate_utterances(corpus_files(args.files), knowledge)
    except AssistantError as exc:
        print(str(exc), file=out)
        return exc.exit_code
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.to_text(), file=out)
    return 0 if all(report.targets().values()) else 1
