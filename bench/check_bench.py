"""How fast is ``assistant check`` with 1,000 intents? Generates them in a temp dir and times each stage.

Run: .venv/bin/python bench/check_bench.py [--intents 1000] [--phrases 20]
Target: loading + validation + lint (without the all-pairs phrase pass) under 2 s for 1,000 intents.

``--sizes 1000 10000 [--runs 3] [--tree DIR ...]`` times the whole command instead, as a fresh
process, both ways it is used: ``assistant check DIR`` (new intents, checked beside the shipped
ones, near phrases included) and ``assistant check intents DIR`` (all of them together). It prints
the median wall time, the CPU time (user + system, every worker process included) and the peak
resident memory of the command, with the load average. Several source trees (an export of an
older commit) are timed in turns, so that the machine's load falls on all of them alike.
Target: 10,000 intents in under 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.authoring.ambiguity import phrase_collisions
from assistant.authoring.check import run_check
from assistant.authoring.lint import lint_intent
from assistant.authoring.words import WordChecker, lint_system
from assistant.authoring.workspace import SHIPPED_SYSTEM, load_workspace

BODY = [
    "arm",
    "wrist",
    "elbow",
    "neck",
    "jaw",
    "ear",
    "eye",
    "knee",
    "hip",
    "back",
    "chest",
    "belly",
    "toe",
    "finger",
    "thumb",
    "scalp",
    "lip",
    "tongue",
    "heel",
    "shoulder",
]
FEEL = [
    "hurts",
    "aches",
    "itches",
    "tingles",
    "throbs",
    "burns",
    "stings",
    "feels stiff",
    "feels numb",
    "is sore",
]
FRAMES = [
    "my {b} {f}",
    "my {b} {f} a lot",
    "i think my {b} {f}",
    "the {w} in my {b} {f}",
    "my left {b} {f}",
    "my right {b} {f}",
    "{w} {b}",
    "my {b} has been {w} all day",
    "i have {w} in my {b}",
    "there is {w} near my {b}",
]


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))


def intent_yaml(i: int, rng: random.Random, phrases: int) -> str:
    word = made_up_word(rng) + str(i)
    lines = [f"intent: bench_{i}", f"title: a {word} problem", "phrases:"]
    seen: set[str] = set()
    while len(seen) < phrases:
        frame = rng.choice(FRAMES)
        seen.add(frame.format(b=rng.choice(BODY), f=rng.choice(FEEL), w=word) + f" {word}")
    lines += [f"  - {p}" for p in sorted(seen)]
    lines += f"""sources:
  src:
    title: "Guideline {i}"
    url: https://example.org/{i}
questions:
  - id: danger
    kind: yes_no
    red_flag: true
    ask: Is it the worst pain of your life?
    explain: Sudden severe pain needs help now.
    sources: [src]
  - id: when
    kind: choice
    ask: Did it start today, this week, or longer ago?
    explain: How long it has lasted changes the advice.
    choices:
      today: [today, this morning]
      week: [this week, a few days ago]
      longer: [longer ago, months ago]
  - id: swollen
    kind: yes_no
    ask_if: "when in [today, week]"
    ask: Is it swollen?
    explain: Swelling points to inflammation.
  - id: age
    kind: number
    ask: How old are you?
    explain: Some causes are commoner with age.
    range: [0, 120]
scores:
  risk:
    points:
      - when: "swollen is yes"
        add: 1
      - when: "age >= 60"
        add: 1
causes:
  - id: strain
    name: a strain
    says: A strain follows a twist.
    base: 1
    sources: [src]
  - id: inflammation
    name: inflammation
    says: Inflammation makes it hot and swollen.
    evidence:
      - when: "risk >= 1"
        add: 2
    sources: [src]
  - id: wear
    name: wear and tear
    says: Wear and tear comes with age.
    evidence:
      - when: "when is longer"
        add: 1
    sources: [src]
triage:
  - level: emergency
    when: "danger is yes"
    say: Call {{emergency_number}} now.
    sources: [src]
  - level: urgent
    when: "risk >= 2"
    say: See a doctor today.
    safety_net: If it gets worse, call {{emergency_number}}.
  - level: soon
    when: "swollen is yes"
    say: See a doctor this week.
    safety_net: If it gets worse, see a doctor today.
  - level: self_care
    when: always
    say: Rest it.
    safety_net: See a doctor if it is not better in a week.
""".splitlines()
    return "\n".join(lines) + "\n"


def write_intents(folder: Path, count: int, phrases: int = 20) -> None:
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"bench_{i}.yaml").write_text(intent_yaml(i, rng, phrases))


def timed_check(tree: Path, home: Path, paths: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the command and its workers) and peak RSS (KiB) of one run."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}
    env["XDG_CACHE_HOME"] = str(home / "cache")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "check", *paths],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tree,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{tree}: assistant check exited with {proc.returncode}")
    # wait4 gives the command's own usage with that of the workers it waited for; its peak RSS is
    # the largest of them (this script is far smaller, so what it carries over exec does not show).
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def whole_command(sizes: list[int], runs: int, trees: list[Path]) -> None:
    with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
        base = Path(tmp)
        for size in sizes:
            folder = base / f"intents-{size}"
            write_intents(folder, size)
            ways = {"check DIR": [str(folder)], "check intents DIR": ["intents", str(folder)]}
            for way, paths in ways.items():
                figures: dict[Path, list[tuple[float, float, int]]] = {tree: [] for tree in trees}
                before = " ".join(f"{x:.2f}" for x in os.getloadavg())
                for _ in range(runs):
                    for tree in trees:
                        figures[tree].append(timed_check(tree, base / "home", paths))
                after = " ".join(f"{x:.2f}" for x in os.getloadavg())
                for tree in trees:
                    wall = statistics.median(f[0] for f in figures[tree])
                    cpu = statistics.median(f[1] for f in figures[tree])
                    peak = max(f[2] for f in figures[tree]) / 1024
                    name = f"  [{tree}]" if len(trees) > 1 else ""
                    print(
                        f"{size:>6,} intents, {way:<18} median {wall:7.1f} s wall, {cpu:7.1f} s CPU, "
                        f"peak RSS {peak:6.0f} MB (n={runs}, load {before} -> {after}){name}",
                        flush=True,
                    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--intents", type=int, default=1000)
    ap.add_argument("--phrases", type=int, default=20)
    ap.add_argument("--sizes", type=int, nargs="+", help="time the whole command at these sizes instead")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tree", type=Path, action="append", help="a source tree to time (default: this one)")
    args = ap.parse_args()
    if args.sizes:
        root = Path(__file__).resolve().parent.parent
        whole_command(args.sizes, args.runs, [t.resolve() for t in args.tree] if args.tree else [root])
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.intents):
            (folder / f"bench_{i}.yaml").write_text(intent_yaml(i, rng, args.phrases))
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{args.intents} intents, {args.phrases} phrases each, {size:.1f} MB of YAML")

        t0 = time.perf_counter()
        ws = load_workspace([SHIPPED_SYSTEM, folder])
        t1 = time.perf_counter()
        knowledge = ws.knowledge()
        assert knowledge is not None and not ws.problems, ws.problems[:3]
        words = WordChecker(knowledge)
        problems = lint_system(knowledge, words)
        for item in ws.intents:
            problems += lint_intent(item)
            problems += words.lint(item)
        t2 = time.perf_counter()
        collisions = phrase_collisions(knowledge, ws.intents)
        t3 = time.perf_counter()
        print("stages, one after the other in this process (for reference):")
        print(f"load + validate          {t1 - t0:6.2f} s")
        print(f"lint (logic, words)      {t2 - t1:6.2f} s   ({len(problems)} problems)")
        print(
            f"phrase ambiguity pass    {t3 - t2:6.2f} s   ({len(collisions)} collisions, "
            f"{sum(len(i.intent.phrases) for i in ws.intents)} phrases checked)"
        )
        t4 = time.perf_counter()
        report = run_check([folder], ambiguity=False)
        t5 = time.perf_counter()
        print(
            f"run_check --no-ambiguity {t5 - t4:6.2f} s   "
            f"(whole command path, {len(report.problems)} problems)"
        )
        report = run_check([folder])
        print(f"run_check, everything    {time.perf_counter() - t5:6.2f} s   (what `assistant check` does)")
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "assistant", "check", str(SHIPPED_SYSTEM), str(folder)],
                stdout=subprocess.DEVNULL,
                check=False,
            )
            runs.append(time.perf_counter() - start)
        print(
            f"`assistant check`, a fresh process: median {statistics.median(runs):.2f} s "
            "(target < 2 s; Python start-up included)"
        )
    t6 = time.perf_counter()
    run_check()
    print(f"shipped intents, full    {(time.perf_counter() - t6) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
