"""Start-up benchmark (a script, not a test): process start to the first prompt in text mode.

``printf '' | assistant --text --intents DIR`` with the shipped intents only and with 1,000 and
5,000 generated intents (the generator of ``check_bench.py``), each with no content cache (cold:
the cache folder emptied before every run) and with one (warm). Also the time to the reply to
a complaint typed the moment the first question appears. Every run is a fresh interpreter
with a home of its own (no config file, no drop-ins). Prints the median, min and max of each, and
the load average (other work on the machine slows every figure).

Several source trees (``--tree DIR``, e.g. an export of an older commit) are timed in turns, run
by run, so that a change in the machine's load falls on all of them alike.

Run: .venv/bin/python bench/startup_bench.py [--sizes 0 1000 5000] [--runs 7] [--tree DIR ...]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the generator is a sibling's

from bench.check_bench import intent_yaml  # noqa: E402 - needs the path above


def make_intents(folder: Path, count: int) -> None:
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"bench_{i}.yaml").write_text(intent_yaml(i, rng, 20))


def first_prompt(tree: Path, home: Path, intents: Path | None) -> tuple[float, float]:
    """Seconds from starting the process to reading the first question (the second line), and to
    the reply to a complaint typed the moment that question appears (what is left of the start-up
    work, such as building the matcher, is then waited for)."""
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env.pop("ASSISTANT_EMERGENCY_NUMBER", None)
    command = [sys.executable, "-m", "assistant", "--text", "--no-summary"]
    if intents is not None:
        command += ["--intents", str(intents)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tree, env=env)
    assert proc.stdout is not None
    proc.stdout.readline()  # the greeting
    proc.stdout.readline()  # the first question
    elapsed = time.perf_counter() - start
    assert proc.stdin is not None
    proc.stdin.write(b"my calf feels hot\n")
    proc.stdin.flush()
    proc.stdout.readline()  # the reply
    replied = time.perf_counter() - start
    proc.communicate(b"", timeout=300)  # end of input; a cache being written is finished first
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: exit status {proc.returncode}")
    return elapsed, replied


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--tree", type=Path, action="append", help="a source tree to time (default: this one)")
    ap.add_argument("--warm-only", action="store_true")
    args = ap.parse_args()
    trees = [t.resolve() for t in args.tree] if args.tree else [ROOT]
    for tree in trees:  # as installed: the modules' bytecode is written once, not compiled each run
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", "assistant"], cwd=tree, env=env, check=True)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        base = Path(tmp)
        for size in args.sizes:
            intents = None
            if size:
                intents = base / f"intents-{size}"
                make_intents(intents, size)
            homes = {tree: base / f"home-{n}-{size}" for n, tree in enumerate(trees)}
            modes = ["warm"] if args.warm_only else ["cold", "warm"]
            for mode in modes:
                samples: dict[Path, list[float]] = {tree: [] for tree in trees}
                replies: dict[Path, list[float]] = {tree: [] for tree in trees}
                before = load()
                for run in range(args.runs + (1 if mode == "warm" else 0)):
                    for tree in trees:
                        cache = homes[tree] / "cache"
                        if mode == "cold":
                            shutil.rmtree(cache, ignore_errors=True)
                        elapsed, replied = first_prompt(tree, homes[tree], intents)
                        if mode == "cold" or run > 0:  # the first warm run may fill the cache
                            samples[tree].append(elapsed)
                            replies[tree].append(replied)
                label = f"{'shipped only' if not size else f'+{size:,} intents'}, {mode}"
                for tree in trees:
                    s = samples[tree]
                    name = f"  [{tree.name}]" if len(trees) > 1 else ""
                    print(
                        f"{label:<24} first prompt median {statistics.median(s):6.3f} s  min {min(s):6.3f}  "
                        f"max {max(s):6.3f}  first reply median {statistics.median(replies[tree]):6.3f} s  "
                        f"(n={len(s)}, load {before} -> {load()}){name}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
