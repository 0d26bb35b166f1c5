"""Core benchmark (a script, not a test): prints figures for the closing notes.

- intent-match latency per utterance (median, p99) with the shipped intents (the leg intent is
  written mostly as templates) and with 1,000 generated intents of 20 phrases each, and of 1,000
  generated intents written as templates (two lists, four templates each);
- each match latency also as CPU time (the matcher's own work: on shared cores other processes
  stretch the wall clock by whole time slices, which is most of a loaded machine's p99);
- whole-utterance understanding latency (emergency concepts, commands, then the intent or the
  answer: what the dialog runs on every turn), at the opening and at a yes/no question;
- time from process start to the first prompt (text mode, a fresh interpreter);
- peak memory (RSS) of a whole text conversation.

Run: .venv/bin/python bench/core_bench.py [--5000] [--kinds-only]
(--5000: per kind of query at 5,000 templated intents too; --kinds-only: only the per-kind figures)
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant.base.intents import Intent
from assistant.base.templates import Template, bind_lists, parse_template
from assistant.content.knowledge import SHIPPED_INTENTS, Knowledge, load_knowledge
from assistant.understanding.matcher import IntentMatcher
from assistant.understanding.understand import OPENING, Expecting, Understander

ROOT = Path(__file__).resolve().parent.parent
WORDS = (  # noqa: SIM905 - easier to read as one string
    "ache arm back belly bite bleed blister bone brain breath burn calf chest chin cold cough cramp "
    "dizzy dry ear elbow eye face faint fever finger flu foot gum hand head heart heel hip hot itch "
    "jaw joint knee leg lip lump lung mole mouth muscle nail neck nose numb pain palm rash red rib "
    "scalp shin shoulder sinus skin sore spine stiff stomach sweat swollen tail teeth thigh throat "
    "thumb tingle toe tongue tooth twitch vein vomit weak wrist wound"
).split()
FRAMES = [
    "my {a} {b}",
    "my {a} is {b}",
    "i have a {a} {b}",
    "{a} {b} since yesterday",
    "a {b} {a}",
    "my {a} feels {b}",
    "there is {b} in my {a}",
    "pain in my {a} and {b}",
]
UTTERANCES = [
    "my lower leg feels warm",
    "my cath feels hot",
    "I have a burning feeling in my shin",
    "um so yesterday I noticed my calf feels hot and it kind of hurts",
    "the weather is nice",
    "my big toe hurts",
    "there is a rash on my arm",
    "my knee is swollen and stiff",
]


def generated_intents(n: int, phrases_each: int, seed: int = 7) -> list[Intent]:
    rng = random.Random(seed)
    intents = []
    for i in range(n):
        a, b = rng.sample(WORDS, 2)
        phrases = tuple(
            rng.choice(FRAMES).format(
                a=rng.choice([a, rng.choice(WORDS)]), b=rng.choice([b, rng.choice(WORDS)])
            )
            + f" {rng.choice(WORDS)}" * rng.randint(0, 2)
            for _ in range(phrases_each)
        )
        intents.append(
            Intent(id=f"gen_{i}", title=f"{a} {b}", description="", phrases=phrases, path=Path("gen"))
        )
    return intents


TEMPLATE_FRAMES = [
    "[my] [left|right] {a} [really|so] (is|feels|has gone) {b}",
    "(i have|i've got|there is) [a] {b} (in|on) my {a}",
    "[a] {b} {a} [since yesterday|for days]",
    "(pain|trouble) in my {a} and {b}",
]


def templated_intents(n: int, seed: int = 11) -> list[Intent]:
    """Intents written as templates: two lists of three words each, four templates, three phrases."""
    rng = random.Random(seed)
    intents = []
    for i in range(n):
        a_words, b_words = rng.sample(WORDS, 3), rng.sample(WORDS, 3)
        lists = {
            "a": parse_template("(" + "|".join(a_words) + ")", allow_lists=False),
            "b": parse_template("(" + "|".join(b_words) + ")", allow_lists=False),
        }
        templates = tuple(
            Template(t, bind_lists(parse_template(t), lists), seed=k) for k, t in enumerate(TEMPLATE_FRAMES)
        )
        phrases = tuple(f"my {a} is {b}" for a, b in zip(a_words, b_words, strict=True))
        title = f"{a_words[0]} {b_words[0]}"
        intents.append(
            Intent(
                id=f"tpl_{i}",
                title=title,
                description="",
                phrases=phrases,
                path=Path("gen"),
                templates=templates,
            )
        )
    return intents


def timings(matcher: IntentMatcher, utterances: list[str], rounds: int) -> Samples:
    """Wall-clock and CPU milliseconds of each match: other processes sharing the cores stretch
    the wall clock (a time slice is several milliseconds), the CPU time is the matcher's own work."""
    samples = Samples()
    for _ in range(rounds):
        for text in utterances:
            start, cpu = time.perf_counter(), time.thread_time()
            matcher.match(text)
            samples.cpu.append((time.thread_time() - cpu) * 1000)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


class Samples(list[float]):
    """Wall-clock milliseconds, with the CPU milliseconds of the same runs beside them."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def percentile99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * len(ordered)))]


def report(label: str, samples: list[float]) -> None:
    line = f"{label:<44} median {statistics.median(samples):6.3f} ms   p99 {percentile99(samples):6.3f} ms"
    cpu = getattr(samples, "cpu", None)
    if cpu:
        line += f"   cpu median {statistics.median(cpu):6.3f} p99 {percentile99(cpu):6.3f}"
    print(f"{line}   (n={len(samples)})")


def match_latency(shipped: Knowledge) -> None:
    report("match, shipped intents", timings(shipped.matcher, UTTERANCES, 200))
    intents = generated_intents(1000, 20)
    start = time.perf_counter()
    big = IntentMatcher.build([*shipped.intents, *intents], shipped.normalizer)
    print(f"{'index build, 1,000 generated intents':<44} {1000 * (time.perf_counter() - start):8.1f} ms")
    rng = random.Random(3)
    probes = UTTERANCES + [rng.choice(i.phrases) for i in rng.sample(intents, 40)]
    probes += [p.replace("a", "e", 1) for p in probes[8:28]]  # slips
    report("match, shipped + 1,000 generated intents", timings(big, probes, 20))

    templated = templated_intents(1000)
    start = time.perf_counter()
    big = IntentMatcher.build([*shipped.intents, *templated], shipped.normalizer)
    print(
        f"{'expand + index, 1,000 templated intents':<44} {1000 * (time.perf_counter() - start):8.1f} ms"
        f"   ({len(big.entries):,} entries)"
    )
    probes = UTTERANCES + [rng.choice(i.sentences()) for i in rng.sample(templated, 40)]
    probes += [p.replace("a", "e", 1) for p in probes[8:28]]  # slips
    probes += ["my phone feels warm", "the kettle is hot", "i have a meeting on monday", "tell me a joke"]
    report("match, shipped + 1,000 templated intents", timings(big, probes, 20))
    sizes = (1000, 5000) if "--5000" in sys.argv else (1000,)
    for size in sizes:
        by_kind(shipped, templated_intents(size), size)


#: Out-of-domain queries: chit-chat, and near-domain things that are not a body ("the car is hot").
OUT_OF_DOMAIN = [
    "what is the capital of france",
    "the weather is nice today",
    "i would like to book a table for two",
    "can you play some music",
    "how are you doing this morning",
    "tell me a joke",
    "is it going to rain tomorrow",
    "where did i put the keys",
    "my phone feels warm",
    "the car is hot",
    "my coffee is cold",
    "the oven is burning",
]


def by_kind(shipped: Knowledge, intents: list[Intent], size: int) -> None:
    """Match latency per kind of query (exact, one-word slip, out of domain) at ``size`` intents."""
    start = time.perf_counter()
    matcher = IntentMatcher.build([*shipped.intents, *intents], shipped.normalizer)
    matcher.match("warm up")
    print(f"{f'expand + index, {size:,} templated intents':<44} {time.perf_counter() - start:8.1f} s")
    rng = random.Random(5)
    exact = [rng.choice(i.sentences()) for i in rng.sample(intents, 40)]
    slips = [p.replace("a", "e", 1) for p in exact]
    for kind, queries in (("exact", exact), ("slip", slips), ("out of domain", OUT_OF_DOMAIN)):
        report(f"match {kind}, {size:,} templated", timings(matcher, queries, 20))


ANSWERS = [
    "yes",
    "absolutely not",
    "yeah no, not really",
    "I reckon so",
    "one more time please",
    "no chest pain but I'm gasping for air",
    "my foot is white and freezing and I can't feel it",
    "well I'm not really sure to be honest, maybe a little",
]


def understand_latency(shipped: Knowledge) -> None:
    def run(understander: Understander, texts: list[str], expecting: Expecting, rounds: int) -> list[float]:
        understander.understand("warm up", expecting)
        samples = []
        for _ in range(rounds):
            for text in texts:
                start = time.perf_counter()
                understander.understand(text, expecting)
                samples.append((time.perf_counter() - start) * 1000)
        return samples

    u = shipped.understander
    report("understand, opening, shipped intents", run(u, UTTERANCES + ANSWERS, OPENING, 100))
    report("understand, yes/no question", run(u, ANSWERS, Expecting("yes_no"), 200))
    intents = [*shipped.intents, *generated_intents(1000, 20)]
    big = Understander(
        shipped.system, tuple(intents), shipped.normalizer, IntentMatcher.build(intents, shipped.normalizer)
    )
    report("understand, opening, + 1,000 generated", run(big, UTTERANCES + ANSWERS, OPENING, 20))


def start_to_first_prompt() -> None:
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "--text"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        proc.stdout.readline()  # greeting
        proc.stdout.readline()  # the first prompt
        samples.append(time.perf_counter() - start)
        proc.communicate(b"")
    print(
        f"{'process start to first prompt (text mode)':<44} median {statistics.median(samples):6.3f} s    "
        f"max {max(samples):6.3f} s"
    )


def conversation_rss() -> None:
    script = (
        "import sys, io\n"
        "from assistant.cli import main\n"
        "lines = b'my calf feels hot\\n' + b'no\\n' * 12\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(lines))\n"
        "sys.stdout = io.StringIO()\n"
        "main(['--text', '--no-summary'])\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would report this
        # (large) benchmark process instead of the conversation.
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "sys.stderr.write(hwm.split()[1])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    print(
        f"{'peak RSS of a text conversation':<44} {int(proc.stderr.strip().splitlines()[-1]) / 1024:8.1f} MB"
    )


def main() -> None:
    start = time.perf_counter()
    shipped = load_knowledge([SHIPPED_INTENTS])
    print(f"{'load and check the shipped intents':<44} {1000 * (time.perf_counter() - start):8.1f} ms")
    if "--kinds-only" in sys.argv:
        for size in (1000, 5000) if "--5000" in sys.argv else (1000,):
            by_kind(shipped, templated_intents(size), size)
        return
    match_latency(shipped)
    understand_latency(shipped)
    start_to_first_prompt()
    conversation_rss()


if __name__ == "__main__":
    main()
