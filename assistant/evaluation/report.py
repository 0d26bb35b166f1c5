"""Score played vignettes the way published audits of symptom checkers do, as text or JSON.

Semigran 2015, Hill 2020, Gilbert 2020: triage accuracy overall and per level, over- and
under-triage, missed emergencies, the expected cause in the top 1 and top 3, and questions asked,
with Wilson 95% confidence intervals.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.base.events import TRIAGE_LEVELS, TriageLevel

#: Published figures the report is compared with (see docs/clinical-content.md).
REFERENCE = (
    "Semigran 2015, 23 symptom checkers: about 80% of emergencies given emergency advice, "
    "57% of all vignettes triaged right, correct cause in the top 3 in 51%.",
    "Gilbert 2020, 8 apps against GPs: best app (Ada) correct cause in the top 3 in about 70%, GPs 82%.",
)


@dataclass(frozen=True)
class Outcome:
    """What happened when one vignette was played."""

    id: str
    expected: TriageLevel
    acceptable: tuple[TriageLevel, ...]
    triage: TriageLevel | None
    causes: tuple[str, ...]
    expected_causes: tuple[str, ...]
    questions: int
    transcript: tuple[str, ...] = ()
    error: str = ""

    @property
    def exact(self) -> bool:
        return self.triage == self.expected

    @property
    def within(self) -> bool:
        return self.triage is not None and self.triage in self.acceptable

    @property
    def under(self) -> bool:
        """Less urgent than expected (no result at all counts as under-triage)."""
        return self.triage is None or _rank(self.triage) > _rank(self.expected)

    @property
    def over(self) -> bool:
        return self.triage is not None and _rank(self.triage) < _rank(self.expected)

    @property
    def missed_emergency(self) -> bool:
        return self.expected == "emergency" and self.triage != "emergency"

    @property
    def top1(self) -> bool:
        return bool(self.expected_causes) and self.causes[:1] == self.expected_causes[:1]

    @property
    def top3(self) -> bool:
        return bool(self.expected_causes) and set(self.expected_causes) <= set(self.causes[:3])


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.total)

    def text(self) -> str:
        if not self.total:
            return "n/a"
        low, high = self.interval
        return f"{self.hits}/{self.total} = {self.value:.0%} (95% CI {low:.0%} to {high:.0%})"

    def to_dict(self) -> dict[str, Any]:
        low, high = self.interval
        return {"hits": self.hits, "total": self.total, "rate": self.value, "ci95": [low, high]}


@dataclass(frozen=True)
class LevelStats:
    level: TriageLevel
    exact: Rate
    within: Rate
    over: int
    under: int


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, hits: Sequence[bool]) -> Rate:
        return Rate(sum(hits), len(hits))

    @property
    def exact(self) -> Rate:
        return self._rate([o.exact for o in self.outcomes])

    @property
    def within(self) -> Rate:
        return self._rate([o.within for o in self.outcomes])

    @property
    def top1(self) -> Rate:
        return self._rate([o.top1 for o in self.outcomes if o.expected_causes])

    @property
    def top3(self) -> Rate:
        return self._rate([o.top3 for o in self.outcomes if o.expected_causes])

    @property
    def missed_emergencies(self) -> list[str]:
        return [o.id for o in self.outcomes if o.missed_emergency]

    @property
    def emergencies_caught(self) -> Rate:
        return self._rate([not o.missed_emergency for o in self.outcomes if o.expected == "emergency"])

    @property
    def questions(self) -> list[int]:
        return [o.questions for o in self.outcomes if not o.error]

    @property
    def median_questions(self) -> float:
        return float(statistics.median(self.questions)) if self.questions else 0.0

    @property
    def max_questions(self) -> int:
        return max(self.questions, default=0)

    def levels(self) -> list[LevelStats]:
        out = []
        for level in TRIAGE_LEVELS:
            group = [o for o in self.outcomes if o.expected == level]
            out.append(
                LevelStats(
                    level,
                    self._rate([o.exact for o in group]),
                    self._rate([o.within for o in group]),
                    sum(o.over for o in group),
                    sum(o.under for o in group),
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "vignettes": len(self.outcomes),
            "triage_exact": self.exact.to_dict(),
            "triage_within_acceptable": self.within.to_dict(),
            "emergencies_caught": self.emergencies_caught.to_dict(),
            "missed_emergencies": self.missed_emergencies,
            "levels": {
                s.level: {
                    "exact": s.exact.to_dict(),
                    "within_acceptable": s.within.to_dict(),
                    "over_triage": s.over,
                    "under_triage": s.under,
                }
                for s in self.levels()
            },
            "cause_top1": self.top1.to_dict(),
            "cause_top3": self.top3.to_dict(),
            "questions": {"median": self.median_questions, "max": self.max_questions},
            "reference": list(REFERENCE),
            "outcomes": [
                {k: v for k, v in asdict(o).items() if k != "transcript"}
                | {"exact": o.exact, "within": o.within, "top3": o.top3}
                for o in self.outcomes
            ],
        }

    def to_text(self) -> str:
        lines = [f"Vignettes: {len(self.outcomes)}", ""]
        lines.append(f"Triage exactly right:        {self.exact.text()}")
        lines.append(f"Triage within acceptable:    {self.within.text()}")
        lines.append(f"Emergencies caught:          {self.emergencies_caught.text()}")
        missed = self.missed_emergencies
        lines.append("Emergencies missed:          " + (", ".join(missed) if missed else "none"))
        lines.append("")
        lines.append(
            f"{'expected level':<15}{'n':>4}  {'exact':>6}  {'acceptable':>10}  {'over':>5}  {'under':>5}"
        )
        for s in self.levels():
            if not s.exact.total:
                continue
            lines.append(
                f"{s.level:<15}{s.exact.total:>4}  {s.exact.value:>6.0%}  {s.within.value:>10.0%}"
                f"  {s.over:>5}  {s.under:>5}"
            )
        lines.append("")
        lines.append(f"Expected cause named first:  {self.top1.text()}")
        lines.append(f"Expected causes in top 3:    {self.top3.text()}")
        lines.append(
            f"Questions asked:             median {self.median_questions:g}, max {self.max_questions}"
        )
        wrong = [o for o in self.outcomes if not o.within or not o.top3 or o.error]
        if wrong:
            lines.append("")
            lines.append("Needs a look:")
            for o in wrong:
                detail = o.error or (
                    f"expected {o.expected}, got {o.triage}; causes {', '.join(o.causes) or 'none'}"
                    f" (wanted {', '.join(o.expected_causes)})"
                )
                lines.append(f"  {o.id}: {detail}")
        lines.append("")
        lines.append("For comparison:")
        lines.extend(f"  {ref}" for ref in REFERENCE)
        return "\n".join(lines)


def wilson(hits: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default)."""
    if total <= 0:
        return (0.0, 0.0)
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _rank(level: TriageLevel) -> int:
    return TRIAGE_LEVELS.index(level)
