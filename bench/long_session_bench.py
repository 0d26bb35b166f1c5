"""Peak memory of one text conversation fed a very long stream, as ``yes | assistant --text`` does.

Each stream is piped into a fresh ``assistant --text`` (``--json`` where the stream is JSON lines)
at a small and a large size; the conversation's peak resident memory (VmHWM, read by the child as
it exits) should be the same at both. Streams that end the conversation early (it gives up on
"repeat" said for ever) show the start-up cost; the others run to the end of the stream.

Run: .venv/bin/python bench/long_session_bench.py [--lines 2000000] [--small 20000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent

CHILD = (
    "import sys\n"
    "from assistant.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec (see core_bench.py).
    "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
    "    sys.stderr.write('\\nVmHWM ' + hwm.split()[1] + '\\n')\n"
    "sys.exit(code)\n"
)


def repeat(n: int) -> Iterator[str]:
    return islice(cycle(["repeat"]), n)


def yes(n: int) -> Iterator[str]:
    return islice(cycle(["y"]), n)


def answer_go_back(n: int) -> Iterator[str]:
    yield "my calf feels hot"
    yield from islice(cycle(["no", "go back"]), n - 1)


def bad_json(n: int) -> Iterator[str]:
    return islice(cycle(["{", '{"text": 1}']), n)


@dataclass(frozen=True)
class Stream:
    name: str
    lines: Callable[[int], Iterator[str]]
    args: tuple[str, ...] = ()


STREAMS = (
    Stream("yes repeat | head -N", repeat),
    Stream("yes | head -N", yes),
    Stream("a complaint, then no / go back", answer_go_back),
    Stream("bad JSON lines (--json)", bad_json, ("--json",)),
)


@dataclass(frozen=True)
class Run:
    written: int
    output_lines: int
    seconds: float
    peak_kib: int


def feed(pipe: IO[bytes], lines: Iterator[str], written: list[int]) -> None:
    """Write the lines in blocks, as ``head`` does; stop quietly when the assistant has finished."""
    try:
        block: list[str] = []
        for line in lines:
            block.append(line)
            if len(block) == 4096:
                pipe.write(("\n".join(block) + "\n").encode())
                written[0] += len(block)
                block = []
        if block:
            pipe.write(("\n".join(block) + "\n").encode())
            written[0] += len(block)
        pipe.close()
    except BrokenPipeError:
        pass  # the conversation ended before the stream did, like `yes` after the reader goes


def run(stream: Stream, n: int, home: Path) -> Run:
    # A private HOME: no one's drop-in intents or settings, nothing written where it counts.
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, "--text", "--no-summary", *stream.args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    written = [0]
    writer = threading.Thread(target=feed, args=(proc.stdin, stream.lines(n), written), daemon=True)
    writer.start()
    output_lines = sum(1 for _ in proc.stdout)
    errors = proc.stderr.read().decode()
    proc.wait()
    writer.join()
    seconds = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in errors.splitlines() if line.startswith("VmHWM"))
    return Run(written[0], output_lines, seconds, peak)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=2_000_000, help="the long stream (default 2,000,000)")
    ap.add_argument("--small", type=int, default=20_000, help="the short stream to compare with")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'stream':<34} {'lines':>10} {'written':>10} {'output':>10} {'seconds':>8} {'peak RSS':>10}")
    with tempfile.TemporaryDirectory() as home:
        for stream in STREAMS:
            for n in (args.small, args.lines):
                report(stream, n, run(stream, n, Path(home)))


def report(stream: Stream, n: int, r: Run) -> None:
    print(
        f"{stream.name:<34} {n:>10,} {r.written:>10,} {r.output_lines:>10,} {r.seconds:>8.1f} "
        f"{r.peak_kib / 1024:>7.1f} MB"
    )


if __name__ == "__main__":
    main()
