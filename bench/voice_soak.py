"""Voice soak (a script, not a test): many spoken conversations from WAV files in one process.

    .venv/bin/python bench/voice_soak.py            # 1,000 conversations (a few minutes)
    .venv/bin/python bench/voice_soak.py -n 200

One recognizer (the embedded PocketSphinx, with its free-form second opinion) and one Knowledge
serve every conversation, as in a long-running assistant; each conversation is a fresh Dialog and
Session fed through the real WAV path (``run_turns``). Three spoken conversations, synthesized once
with espeak-ng, take turns: an emergency red flag, an unsure red flag asked twice, and a strain.
Prints memory (VmRSS) and time per conversation over the first and the last tenth.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.app.output import EventLog  # noqa: E402
from assistant.app.session import Session  # noqa: E402
from assistant.base.events import End, Result  # noqa: E402
from assistant.base.settings import Settings  # noqa: E402
from assistant.content.knowledge import load_knowledge  # noqa: E402
from assistant.conversation.dialog import Dialog  # noqa: E402
from assistant.voice.endpoint import EndpointConfig  # noqa: E402
from assistant.voice.run import Heard, embedded_recognizer, run_turns, wav_turns  # noqa: E402

CONVERSATIONS = (
    ("my calf feels hot", "yes"),
    ("my calf feels hot", "not sure", "not sure"),
    ("my calf feels hot", "no", "no", "no", "yes", "no", "no", "no", "no", "no", "no", "no"),
)


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1])


def synthesize(folder: Path) -> list[list[Path]]:
    out = []
    for c, lines in enumerate(CONVERSATIONS):
        wavs = []
        for t, line in enumerate(lines):
            wav = folder / f"c{c}-t{t}.wav"
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), line], check=True)
            wavs.append(wav)
        out.append(wavs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="conversations (default 1,000)")
    n = parser.parse_args().n
    knowledge = load_knowledge()
    recognizer = embedded_recognizer(knowledge)
    with tempfile.TemporaryDirectory() as tmp:
        scripts = synthesize(Path(tmp))
        times: list[float] = []
        memory: list[int] = []
        outcomes: dict[str, int] = {}
        for i in range(n):
            recorded = EventLog()
            session = Session(Dialog(knowledge, Settings(offer_summary=False)), [recorded])
            start = time.perf_counter()
            heard = Heard(io.StringIO(), show=True, partials=False)
            run_turns(session, recognizer, wav_turns(scripts[i % len(scripts)]), EndpointConfig(), heard)
            times.append(time.perf_counter() - start)
            result = next((e for e in recorded.events if isinstance(e, Result)), None)
            end = recorded.events[-1]
            key = (
                f"{result.triage if result else 'no result'} / {end.reason if isinstance(end, End) else '?'}"
            )
            outcomes[key] = outcomes.get(key, 0) + 1
            if i % 10 == 0:
                gc.collect()
                memory.append(rss_kib())
    tenth = max(1, n // 10)
    first, last = times[:tenth], times[-tenth:]
    print(f"{n} spoken conversations through the WAV path (PocketSphinx, one recognizer)")
    print(f"outcomes: {outcomes}")
    print(
        f"memory (VmRSS): {memory[0] / 1024:.1f} MiB after the first, {memory[-1] / 1024:.1f} MiB at the end "
        f"(+{(memory[-1] - memory[0]) / 1024:.1f} MiB)"
    )
    print(
        f"time per conversation, first tenth: median {statistics.median(first) * 1000:.0f} ms, "
        f"max {max(first) * 1000:.0f} ms"
    )
    print(
        f"time per conversation, last tenth:  median {statistics.median(last) * 1000:.0f} ms, "
        f"max {max(last) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
