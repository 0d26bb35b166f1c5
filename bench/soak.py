"""Soak test: many text conversations in one process; memory growth and latency, start vs end.

    .venv/bin/python bench/soak.py                      # 1,000 conversations, toy intent
    .venv/bin/python bench/soak.py -n 5000 --shipped    # the shipped intents
    .venv/bin/python bench/soak.py --json               # the report as one JSON object

Each conversation is a fresh Dialog and Session over one shared Knowledge (as a long-running
assistant would keep it), with a text and a JSON-lines output writing to io.StringIO. The scripts
cycle through complete, emergency, noisy, stopped and silent conversations; some save their
summary to /dev/null so the summary path runs without touching the disk.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.app.output import EventLog, JsonLinesOutput, TextOutput  # noqa: E402
from assistant.app.session import Session  # noqa: E402
from assistant.app.textio import run_text  # noqa: E402
from assistant.base.events import End, Summary  # noqa: E402
from assistant.base.settings import Settings  # noqa: E402
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge  # noqa: E402
from assistant.conversation.dialog import Dialog  # noqa: E402

TOY_INTENTS = ROOT / "tests" / "data" / "intents"

#: (settings, input lines) for the toy toe-pain intent; "~" is a listening timeout (JSON silence).
TOY_SCRIPTS: tuple[tuple[Settings, tuple[str, ...]], ...] = (
    (Settings(), ("my big toe hurts", "no", "today", "yes", "45", "no")),
    (Settings(), ("my big toe hurts", "yes")),
    (Settings(summary_path="/dev/null"), ("my toe is sore", "no", "longer ago", "30")),
    (Settings(), ("toe", "yes", "unsure", "unsure")),
    (Settings(), ("hello", "help", "my big toe hurts", "what do you mean", "no", "go back", "no", "today")),
    (Settings(), ("my big toe hurts", "no", "sometime", "this week", "maybe", "no", "twelve", "no")),
    (Settings(offer_summary=False), ("my big toe hurts", "stop")),
    (
        Settings(),
        ("blah", "🦶🔥", "\x00\x1b[31m", "my big toe hurts", "no", "today", "no", "200", "44", "no"),
    ),
    (Settings(), ("~", "~")),
    (Settings(), ("i have chest pain",)),
)
SHIPPED_SCRIPTS: tuple[tuple[Settings, tuple[str, ...]], ...] = (
    (Settings(), ("my lower leg feels warm",) + ("no",) * 30),
    (Settings(), ("my calf is hot", "yes")),
    (Settings(), ("my calf is hot", "unsure", "unsure")),
    (Settings(), ("blah", "my lower leg feels warm", "stop")),
)


def rss_kib() -> int:
    """Resident memory now (VmRSS), in KiB; the peak from getrusage where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one_conversation(knowledge: Knowledge, settings: Settings, lines: Sequence[str]) -> str:
    """Run one conversation through run_text; return how it ended."""
    text_out, json_out = io.StringIO(), io.StringIO()
    recorded = EventLog()
    session = Session(
        Dialog(knowledge, settings), [TextOutput(text_out), JsonLinesOutput(json_out), recorded]
    )
    payload = "".join(
        '{"silence": true}\n' if line == "~" else json.dumps({"text": line}) + "\n" for line in lines
    )
    run_text(session, io.BytesIO(payload.encode()), text_out, prompt=False, json_input=True)
    if any(isinstance(e, Summary) and e.path is None for e in recorded.events):
        raise RuntimeError(f"a soak script saved a summary to the data folder: {lines!r}")
    end = recorded.events[-1]
    return end.reason if isinstance(end, End) else "unfinished"


@dataclass(frozen=True)
class SoakReport:
    conversations: int
    warmup: int
    rss_start_kib: int
    rss_end_kib: int
    rss_growth_kib: int
    #: Median and 95th percentile latency per conversation, over the first and last 10 %.
    first_median_ms: float
    first_p95_ms: float
    last_median_ms: float
    last_p95_ms: float
    total_s: float
    endings: dict[str, int]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def soak(
    knowledge: Knowledge,
    scripts: Sequence[tuple[Settings, tuple[str, ...]]],
    conversations: int = 1000,
    warmup: int = 20,
) -> SoakReport:
    """Warm up (caches, first allocations), then run ``conversations`` and measure."""
    for i in range(warmup):
        settings, lines = scripts[i % len(scripts)]
        one_conversation(knowledge, settings, lines)
    gc.collect()
    start_rss = rss_kib()
    times: list[float] = []
    endings: Counter[str] = Counter()
    began = time.perf_counter()
    for i in range(conversations):
        settings, lines = scripts[i % len(scripts)]
        t0 = time.perf_counter()
        endings[one_conversation(knowledge, settings, lines)] += 1
        times.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - began
    gc.collect()
    end_rss = rss_kib()
    tenth = max(1, conversations // 10)
    first, last = times[:tenth], times[-tenth:]
    return SoakReport(
        conversations=conversations,
        warmup=warmup,
        rss_start_kib=start_rss,
        rss_end_kib=end_rss,
        rss_growth_kib=end_rss - start_rss,
        first_median_ms=round(statistics.median(first), 3),
        first_p95_ms=round(_p95(first), 3),
        last_median_ms=round(statistics.median(last), 3),
        last_p95_ms=round(_p95(last), 3),
        total_s=round(total, 3),
        endings=dict(endings),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--conversations", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--shipped", action="store_true", help="use the shipped intents, not the toy one")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.shipped:
        knowledge, scripts = load_knowledge([SHIPPED_INTENTS]), SHIPPED_SCRIPTS
    else:
        knowledge, scripts = load_knowledge([SHIPPED_INTENTS / "system.yaml", TOY_INTENTS]), TOY_SCRIPTS
    report = soak(knowledge, scripts, args.conversations, args.warmup)
    if args.json:
        print(json.dumps(asdict(report)))
        return 0
    print(f"{report.conversations} conversations in {report.total_s:.1f} s (after {report.warmup} warm-up)")
    print(
        f"RSS: {report.rss_start_kib / 1024:.1f} MiB -> {report.rss_end_kib / 1024:.1f} MiB "
        f"(growth {report.rss_growth_kib} KiB)"
    )
    print(
        f"latency per conversation, first 10 %: median {report.first_median_ms:.2f} ms, "
        f"p95 {report.first_p95_ms:.2f} ms"
    )
    print(
        f"latency per conversation, last 10 %:  median {report.last_median_ms:.2f} ms, "
        f"p95 {report.last_p95_ms:.2f} ms"
    )
    print("endings: " + ", ".join(f"{k} {v}" for k, v in sorted(report.endings.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
