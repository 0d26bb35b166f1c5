"""Peers benchmark (a script, not a test): this project's intent matcher next to three other ways of
matching an utterance to an intent, on one shared, seeded workload.

- ours: ``IntentMatcher`` built as the app builds it (the app's normaliser, body and emergency words
  never taken as slips); accepted when the top score reaches the app's ``accept_score``. A second
  row builds it with the normaliser of the system file alone, without the heard-word synonyms the
  shipped intent brings ("cath" for "calf", "lag" for "leg", "nee" for "knee", ...);
- rapidfuzz: ``process.extractOne(query, all_phrases, scorer=fuzz.token_set_ratio, score_cutoff=80)``,
  the phrase mapped back to its intent;
- hassil: each intent's phrases as the sentences of a hassil intent, ``recognize``;
- padacioso: ``IntentContainer``, ``add_intent`` per intent, ``calc_intent``. ``calc_intent`` starts a
  process pool for every query and pickles the whole container once per intent, so it is timed on a
  few queries only; the row "padacioso (loop)" calls the same per-intent ``_match`` in a loop and
  keeps the best as ``calc_intent`` does (same answers, without the pool). A fuzzy container
  (``fuzz=True``) is measured the same way.

Workload: intents are unique (body part, symptom) pairs, each with 20 phrases from 28 frames; the
sizes are nested (the first 22 intents are in the 1,000). Queries: 150 exact phrases, 300 slips
(one or two of the part and symptom words changed by one edit, or by a sound-alike from a small
table) and 150 out-of-domain utterances (45 near the domain, "my phone feels warm"). Every timing
is the median of three runs of the whole query set (the build too); answers come from the first.

The peers run in their own virtualenv (made on first use, never a dependency of this project):
the script runs itself there as a child, and gets the workload as a JSON file. A peer whose three
runs would take longer than the budget at a size is skipped, and the table says why.

Run: PYTHONPATH=. .venv/bin/python bench/peers_bench.py [--sizes 22,1000,5000] [--budget 150] [--ours-only]
     [--peers-venv /tmp/assistant-peers-venv]
(PYTHONPATH=. so that a worktree measures its own ``assistant``, not the one installed in the venv.)
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEERS_VENV = Path("/tmp/assistant-peers-venv")
PEER_PACKAGES = ("hassil", "padacioso", "rapidfuzz")
SEED = 2024
RUNS = 3
#: Seconds one peer may take at one size (three builds and three runs of the query set): about two
#: minutes, enough for rapidfuzz at 5,000 intents (about 135 s on two cores).
BUDGET_S = 150.0
PHRASES_EACH = 20
N_EXACT, N_SLIP, N_SOUND_ALIKE, N_OOD, N_NEAR = 150, 300, 100, 150, 45
RAPIDFUZZ_CUTOFF = 80
KINDS = ("exact", "slip", "ood")
#: Queries of each kind a skipped peer still answers once, when that fits in the budget.
SAMPLE = 20

PARTS = (  # noqa: SIM905 - easier to read as one string
    "abdomen ankle arm armpit artery back belly bicep bladder bone bottom bowel brain breast brow "
    "buttock calf cheek cheekbone chest chin collarbone colon ear eardrum earlobe elbow eye eyebrow "
    "eyelid face finger fingernail fingertip foot forearm forefinger forehead gland groin gum gut "
    "hamstring hand head heel hip instep jaw joint kidney knee kneecap knuckle larynx leg lip liver "
    "lung molar mouth muscle nail navel neck nipple nose nostril palm pelvis pupil rib scalp shin "
    "shinbone shoulder sinus skin skull sole spine spleen sternum stomach tailbone temple tendon "
    "thigh throat thumb toe toenail tongue tonsil tooth torso tricep vein waist windpipe wrist"
).split()
SYMPTOMS = (  # noqa: SIM905 - easier to read as one string
    "ache aching bleeding blistered bruised bumpy burning clammy clicking cold cracked cramping crusty "
    "dry dull flaky freezing grinding heavy hot inflamed itchy lumpy numb oozing painful pale peeling "
    "popping pounding puffy purple red scaly shaking sharp sore spotty stiff stinging swollen tender "
    "throbbing tight tingling twitching warm weak weeping yellow"
).split()
#: What a recognizer may hear instead: in the shipped intent's synonyms (lag, cath, nee, heal, tow)
#: or not (tie, nick, soar, num, ake).
SOUND_ALIKE = {
    "leg": "lag",
    "thigh": "tie",
    "calf": "cath",
    "knee": "nee",
    "heel": "heal",
    "toe": "tow",
    "neck": "nick",
    "sore": "soar",
    "numb": "num",
    "ache": "ake",
}
FRAMES = (
    "my {p} is {s}",
    "my {p} feels {s}",
    "{s} {p}",
    "my {p} {s}",
    "i have a {s} {p}",
    "{p} {s} since yesterday",
    "there is {s} in my {p}",
    "my {p} has been {s} all week",
    "my {p} went {s}",
    "my {p} is really {s}",
    "{s} in my {p}",
    "my left {p} is {s}",
    "my right {p} feels {s}",
    "i think my {p} is {s}",
    "my {p} got {s} this morning",
    "a {s} {p} that will not go away",
    "why is my {p} so {s}",
    "my {p} keeps getting {s}",
    "{p} is {s} after walking",
    "my {p} started to feel {s}",
    "i woke up with a {s} {p}",
    "my {p} is {s} and it hurts",
    "{s} feeling in my {p}",
    "my {p} has gone {s}",
    "my {p} is a bit {s}",
    "my {p} is {s} at night",
    "my {p} is {s} when i move",
    "help my {p} is {s}",
)
NEAR_OBJECTS = (  # noqa: SIM905 - easier to read as one string
    "phone car laptop coffee oven kettle engine radiator soup tea battery fridge room shower tyre "
    "printer screen window charger pan"
).split()
NEAR_STATES = "warm hot cold red dry stiff heavy cracked sticky noisy wet slow".split()  # noqa: SIM905
NEAR_FRAMES = (
    "my {o} is {a}",
    "the {o} is {a}",
    "my {o} feels {a}",
    "the {o} feels {a}",
    "the {o} is really {a} today",
    "my {o} has been {a} since yesterday",
)
FAR_FRAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("what is the capital of {x}", ("france", "spain", "peru", "kenya", "canada", "japan", "chile")),
    ("what is the weather like in {x}", ("paris", "london", "oslo", "lima", "rome", "dublin", "cairo")),
    ("play some {x} music", ("jazz", "rock", "classical", "folk", "reggae", "piano", "country")),
    ("set a timer for {x} minutes", ("five", "ten", "twelve", "twenty", "thirty", "forty", "three")),
    ("remind me to {x} tomorrow", ("call the bank", "buy bread", "water the plants", "pay the rent")),
    ("book a table for {x} people", ("two", "four", "six", "eight")),
    ("tell me a joke about {x}", ("cats", "pirates", "lawyers", "penguins", "computers")),
    ("how do i get to {x}", ("the station", "the airport", "the museum", "the library", "the park")),
    ("what time does the {x} open", ("bakery", "bank", "post office", "pharmacy", "pool")),
    ("turn off the {x}", ("lights", "radio", "television", "heating", "alarm")),
    ("add {x} to my shopping list", ("milk", "eggs", "rice", "apples", "butter", "cheese")),
    ("who won the {x} game last night", ("football", "hockey", "basketball", "baseball")),
    ("how do you spell {x}", ("necessary", "rhythm", "giraffe", "beautiful", "quarter")),
    ("what is {x} in french", ("good morning", "thank you", "the bill please", "see you soon")),
    ("how long does it take to {x}", ("boil an egg", "bake bread", "drive to york", "learn guitar")),
    ("can you recommend a good {x}", ("book", "film", "podcast", "restaurant", "board game")),
    ("what is the score in the {x}", ("cricket", "tennis", "rugby", "snooker")),
    ("open the {x} app", ("calendar", "camera", "music", "maps", "notes")),
    ("how much does a {x} cost", ("train ticket", "new bike", "pint of milk", "stamp", "haircut")),
    ("when is the next {x}", ("bus", "train", "full moon", "holiday", "bin day")),
    ("i would like to order {x}", ("a pizza", "a taxi", "some flowers", "new glasses")),
)

#: One query: text, kind (exact, slip, ood), the intent it means (None out of domain), and detail
#: (exact, edit, sound-alike, near, far).
Query = tuple[str, str, str | None, str]
#: One answer: the accepted intent (None when rejected), the top intent, its score.
Answer = tuple[str | None, str | None, float | None]


# ---------------------------------------------------------------------------- the shared workload


def intent_pairs(n: int, seed: int = SEED) -> list[tuple[str, str]]:
    """The first ``n`` (part, symptom) pairs: one per sound-alike part first, then all shuffled."""
    pairs = [(p, s) for p in PARTS for s in SYMPTOMS]
    if n > len(pairs):
        raise SystemExit(f"at most {len(pairs):,} unique (part, symptom) intents")
    rng = random.Random(seed)
    rng.shuffle(pairs)
    first = [next(pair for pair in pairs if pair[0] == part) for part in SOUND_ALIKE if part in PARTS]
    chosen = set(first)
    return [*first, *(pair for pair in pairs if pair not in chosen)][:n]


def make_intents(n: int) -> list[tuple[str, list[str]]]:
    intents = []
    for p, s in intent_pairs(n):
        rng = random.Random(f"{SEED}-{p}-{s}")
        intents.append((f"{p}_{s}", [frame.format(p=p, s=s) for frame in rng.sample(FRAMES, PHRASES_EACH)]))
    return intents


def one_edit(word: str, rng: random.Random, taken: set[str]) -> str:
    """``word`` with one letter changed, added or dropped; never another known word."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    while True:
        i = rng.randrange(len(word))
        op = rng.choice(("replace", "insert", "delete"))
        if op == "replace":
            new = word[:i] + rng.choice(letters.replace(word[i], "")) + word[i + 1 :]
        elif op == "insert":
            new = word[:i] + rng.choice(letters) + word[i:]
        else:
            new = word[:i] + word[i + 1 :]
        if len(new) >= 3 and new not in taken:
            return new


def slip(intent: tuple[str, list[str]], rng: random.Random, taken: set[str], sound_alike: bool) -> Query:
    """One phrase of ``intent`` with its part, its symptom or both misheard."""
    iid, phrases = intent
    part, symptom = iid.split("_")
    words = rng.choice(phrases).split()
    heard = [w for w in (part, symptom) if w in SOUND_ALIKE] if sound_alike else [part, symptom]
    targets = [part, symptom] if rng.random() < 0.4 else [rng.choice(heard)]
    for target in targets:
        new = SOUND_ALIKE[target] if sound_alike and target in SOUND_ALIKE else one_edit(target, rng, taken)
        words = [new if w == target else w for w in words]
    return (" ".join(words), "slip", iid, "sound-alike" if sound_alike else "edit")


def out_of_domain(seed: int = SEED) -> list[Query]:
    rng = random.Random(seed)
    near = sorted({f.format(o=o, a=a) for f in NEAR_FRAMES for o in NEAR_OBJECTS for a in NEAR_STATES})
    far = sorted({f.format(x=x) for f, xs in FAR_FRAMES for x in xs})
    queries: list[Query] = [(t, "ood", None, "near") for t in rng.sample(near, N_NEAR)]
    queries += [(t, "ood", None, "far") for t in rng.sample(far, N_OOD - N_NEAR)]
    return queries


def make_queries(intents: list[tuple[str, list[str]]], size: int) -> list[Query]:
    rng = random.Random(SEED + size)
    taken = set(PARTS) | set(SYMPTOMS) | {w for f in FRAMES for w in f.split()} | set(SOUND_ALIKE.values())
    every = [(iid, phrase) for iid, phrases in intents for phrase in phrases]
    queries: list[Query] = [(phrase, "exact", iid, "exact") for iid, phrase in rng.sample(every, N_EXACT)]
    alike = [i for i in intents if any(w in SOUND_ALIKE for w in i[0].split("_"))]
    queries += [slip(rng.choice(alike), rng, taken, sound_alike=True) for _ in range(N_SOUND_ALIKE)]
    queries += [
        slip(rng.choice(intents), rng, taken, sound_alike=False) for _ in range(N_SLIP - N_SOUND_ALIKE)
    ]
    return queries + out_of_domain()


def workload(sizes: Sequence[int]) -> list[dict[str, Any]]:
    biggest = make_intents(max(sizes))
    return [
        {"size": n, "intents": biggest[:n], "queries": make_queries(biggest[:n], n)} for n in sorted(sizes)
    ]


# ------------------------------------------------------------------------------------- measuring


def as_queries(w: dict[str, Any]) -> list[Query]:
    """The queries of one size of the workload (lists after a JSON round trip)."""
    return [(q[0], q[1], q[2], q[3]) for q in w["queries"]]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def probe_queries(queries: list[Query], per_kind: int) -> list[int]:
    """Indices of the first ``per_kind`` queries of each kind."""
    return [i for kind in KINDS for i in [j for j, q in enumerate(queries) if q[1] == kind][:per_kind]]


def spread(queries: list[Query], per_kind: int) -> list[int]:
    """Indices of ``per_kind`` queries of each kind, evenly spread over the kind (all its details)."""
    picks = []
    for kind in KINDS:
        ids = [j for j, q in enumerate(queries) if q[1] == kind]
        picks += [ids[k * len(ids) // per_kind] for k in range(min(per_kind, len(ids)))]
    return picks


def measure(
    build: Callable[[], Any],
    match: Callable[[Any, str], Answer],
    queries: list[Query],
    budget: float | None,
    probe_per_kind: int = 4,
    sample_per_kind: int = 0,
) -> dict[str, Any]:
    """Build and time ``match`` over every query, ``RUNS`` times (median of the runs).

    First a probe (a build and a few queries of each kind): when the whole would take longer than
    ``budget`` seconds, only the probe is reported, and one run over a sample of ``sample_per_kind``
    queries of each kind when that fits in the budget.
    """
    start = time.perf_counter()
    index = build()
    builds = [time.perf_counter() - start]
    probe = probe_queries(queries, probe_per_kind)
    match(index, "warm up")  # some peers fill caches on the first query (hassil: every template's)
    start = time.perf_counter()
    probe_answers = [match(index, queries[i][0]) for i in probe]
    per_query = (time.perf_counter() - start) / len(probe)
    estimate = RUNS * (builds[0] + per_query * len(queries))
    result: dict[str, Any] = {"estimate_s": estimate, "ms_per_query": 1000 * per_query}
    result["probe"] = [[i, list(a)] for i, a in zip(probe, probe_answers, strict=True)]
    if budget is not None and estimate > budget:
        result["status"] = "skipped"
        if sample_per_kind and per_query * sample_per_kind * len(KINDS) <= budget:
            picks = spread(queries, sample_per_kind)
            times: dict[str, list[float]] = {kind: [] for kind in KINDS}
            sampled = []
            for i in picks:
                start = time.perf_counter()
                sampled.append(list(match(index, queries[i][0])))
                times[queries[i][1]].append(1000 * (time.perf_counter() - start))
            result["sample"] = {
                "indices": picks,
                "answers": sampled,
                "p50": {k: statistics.median(v) for k, v in times.items()},
            }
        return result
    answers: list[Answer] = []
    runs: list[dict[str, dict[str, float]]] = []
    for run in range(RUNS):
        if run:
            del index
            start = time.perf_counter()
            index = build()
            builds.append(time.perf_counter() - start)
        match(index, "warm up")
        times = {kind: [] for kind in KINDS}
        for text, kind, _, _ in queries:
            start = time.perf_counter()
            answer = match(index, text)
            times[kind].append(1000 * (time.perf_counter() - start))
            if not run:
                answers.append(answer)
        runs.append({k: {"p50": statistics.median(v), "p99": percentile(v, 0.99)} for k, v in times.items()})
    result["status"] = "ok"
    result["build_ms"] = 1000 * statistics.median(builds)
    result["latency"] = {
        k: {q: statistics.median(r[k][q] for r in runs) for q in ("p50", "p99")} for k in KINDS
    }
    result["answers"] = [list(a) for a in answers]
    return result


def measure_sizes(
    name: str,
    work: list[dict[str, Any]],
    make: Callable[[list[tuple[str, list[str]]]], tuple[Callable[[], Any], Callable[[Any, str], Answer]]],
    budget: float | None,
    probe_per_kind: int = 4,
    sample_per_kind: int = 0,
) -> list[dict[str, Any]]:
    """``measure`` at each size, smallest first; a size that a linear growth from the last one puts
    at more than twice the budget is not even built (the time only grows faster than that)."""
    results: list[dict[str, Any]] = []
    last: tuple[int, float] | None = None
    for w in work:
        size = w["size"]
        if budget is not None and last is not None and last[1] * size / last[0] > 2 * budget:
            guess = last[1] * size / last[0]
            print(f"[peers] {name}, {size:,} intents: skipped (at least {guess:,.0f} s)", file=sys.stderr)
            results.append(
                {
                    "matcher": name,
                    "size": size,
                    "status": "skipped",
                    "estimate_s": guess,
                    "from_size": last[0],
                }
            )
            continue
        queries = as_queries(w)
        intents = [(i, list(p)) for i, p in w["intents"]]
        build, match = make(intents)
        print(f"[peers] {name}, {size:,} intents ...", file=sys.stderr, flush=True)
        result = measure(build, match, queries, budget, probe_per_kind, sample_per_kind)
        result.update(matcher=name, size=size)
        print(
            f"[peers] {name}, {size:,} intents: {result['status']} "
            f"({result['ms_per_query']:.2f} ms/query, estimated {result['estimate_s']:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
        last = (size, result["estimate_s"])
    return results


# ---------------------------------------------------------------------------------- the peers (child)


Peer = Callable[[list[tuple[str, list[str]]]], tuple[Callable[[], Any], Callable[[Any, str], Answer]]]


def rapidfuzz_peer(
    intents: list[tuple[str, list[str]]],
) -> tuple[Callable[[], Any], Callable[[Any, str], Answer]]:
    fuzz = importlib.import_module("rapidfuzz.fuzz")
    process = importlib.import_module("rapidfuzz.process")

    def build() -> tuple[list[str], list[str]]:
        return [p for _, ps in intents for p in ps], [i for i, ps in intents for _ in ps]

    def match(index: tuple[list[str], list[str]], query: str) -> Answer:
        phrases, owners = index
        hit = process.extractOne(query, phrases, scorer=fuzz.token_set_ratio, score_cutoff=RAPIDFUZZ_CUTOFF)
        if hit is None:
            return (None, None, None)
        return (owners[hit[2]], owners[hit[2]], float(hit[1]))

    return build, match


def hassil_peer(
    intents: list[tuple[str, list[str]]],
) -> tuple[Callable[[], Any], Callable[[Any, str], Answer]]:
    hassil = importlib.import_module("hassil")

    def build() -> Any:
        compiled = hassil.Intents.from_dict(
            {"language": "en", "intents": {i: {"data": [{"sentences": ps}]} for i, ps in intents}}
        )
        for intent in compiled.intents.values():
            for data in intent.data:
                _ = data.sentences  # parsed on first use otherwise: the first query would pay for it
        return compiled

    def match(compiled: Any, query: str) -> Answer:
        result = hassil.recognize(query, compiled)
        return (None, None, None) if result is None else (result.intent.name, result.intent.name, None)

    return build, match


def padacioso_peer(fuzz: bool, loop: bool) -> Peer:
    padacioso = importlib.import_module("padacioso")

    def make(intents: list[tuple[str, list[str]]]) -> tuple[Callable[[], Any], Callable[[Any, str], Answer]]:
        def build() -> Any:
            container = padacioso.IntentContainer(fuzz=fuzz)
            for iid, phrases in intents:
                container.add_intent(iid, phrases)
            return container

        def match(container: Any, query: str) -> Answer:
            if loop:
                # calc_intent without its process pool: the same _match per intent, the first of
                # the most confident kept.
                excluded = container._filter(query)
                found = [
                    r
                    for name, regexes in container.intent_samples.items()
                    if name not in excluded and (r := container._match(query, name, regexes))
                ]
                best = max((r["conf"] for r in found), default=None)
                result = next((r for r in found if r["conf"] == best), {"name": None})
            else:
                result = container.calc_intent(query)
            name = result.get("name")
            return (name, name, result.get("conf"))

        return build, match

    return make


def child(workload_path: Path, result_path: Path, budget: float) -> None:
    """Runs in the peers' virtualenv: every peer at every size, into ``result_path``."""
    work: list[dict[str, Any]] = json.loads(workload_path.read_text())
    results: list[dict[str, Any]] = []
    results += measure_sizes("rapidfuzz token_set", work, rapidfuzz_peer, budget, sample_per_kind=SAMPLE)
    results += measure_sizes("hassil", work, hassil_peer, budget, sample_per_kind=SAMPLE)
    loop = padacioso_peer(fuzz=False, loop=True)
    results += measure_sizes("padacioso (loop)", work, loop, budget, sample_per_kind=SAMPLE)
    published = measure_sizes(
        "padacioso calc_intent", work[:1], padacioso_peer(fuzz=False, loop=False), budget, probe_per_kind=3
    )
    results += published
    fuzzy = padacioso_peer(fuzz=True, loop=True)
    results += measure_sizes("padacioso fuzz (loop)", work, fuzzy, budget, sample_per_kind=SAMPLE)
    versions = {p: metadata.version(p) for p in PEER_PACKAGES}
    result_path.write_text(json.dumps({"versions": versions, "results": results}))


# ---------------------------------------------------------------------------------- ours (parent)


def ours(work: list[dict[str, Any]], synonyms: bool) -> tuple[list[dict[str, Any]], int, int]:
    """Our matcher at every size; with the app's normaliser, or the system file's alone."""
    from assistant.base.intents import Intent
    from assistant.content.knowledge import SHIPPED_INTENTS, load_knowledge
    from assistant.understanding.matcher import IntentMatcher
    from assistant.understanding.normalize import Normalizer

    shipped = load_knowledge([SHIPPED_INTENTS])
    system = shipped.system
    normalizer = shipped.normalizer if synonyms else Normalizer.from_system(system)
    accept = system.accept_score
    # As Knowledge.matcher: body and emergency words are never taken as slips of an intent's word.
    elsewhere = [w for ws in system.words.body_regions.values() for w in ws]
    elsewhere += [w for ws in system.emergencies.words.values() for w in ws]
    known = frozenset(t for w in elsewhere for t in normalizer.tokens(w))

    def make(intents: list[tuple[str, list[str]]]) -> tuple[Callable[[], Any], Callable[[Any, str], Answer]]:
        objects = [
            Intent(id=i, title=i.replace("_", " "), description="", phrases=tuple(ps), path=Path("gen"))
            for i, ps in intents
        ]

        def build() -> IntentMatcher:
            return IntentMatcher.build(objects, normalizer, known)

        def match(matcher: IntentMatcher, query: str) -> Answer:
            found = matcher.match(query)
            if not found:
                return (None, None, None)
            top = found[0]
            return (top.intent.id if top.score >= accept else None, top.intent.id, float(top.score))

        return build, match

    name = "ours" if synonyms else "ours, no shipped synonyms"
    return measure_sizes(name, work, make, None), accept, system.confirm_score


# ------------------------------------------------------------------------------------ peers' venv


def peers_python(venv: Path) -> Path:
    """The peers' interpreter, the virtualenv made and filled first if need be."""
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import " + ", ".join(PEER_PACKAGES)]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python
    print(f"[peers] making {venv} with {', '.join(PEER_PACKAGES)} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True)
    return python


# --------------------------------------------------------------------------------------- the table


def ratio(n: int, of: int) -> str:
    return f"{n}/{of} {100 * n / of:5.1f}%" if of else "-"


def answered(row: dict[str, Any], queries: list[Query]) -> tuple[list[Query], list[Answer], bool]:
    """The queries a row answered and its answers: all (first run), or the sample of a skipped row."""
    if row["status"] == "ok":
        return queries, [(a[0], a[1], a[2]) for a in row["answers"]], False
    sample = row.get("sample")
    if sample is None:
        return [], [], False
    return [queries[i] for i in sample["indices"]], [(a[0], a[1], a[2]) for a in sample["answers"]], True


def score(queries: list[Query], answers: list[Answer]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per kind: right, wrong intent accepted, total; per detail: right, total."""
    counts = {k: [0, 0, 0] for k in KINDS}
    detail: dict[str, list[int]] = {}
    for (_, kind, expected, sub), (accepted, _, _) in zip(queries, answers, strict=True):
        right = accepted is None if kind == "ood" else accepted == expected
        c = counts[kind]
        c[0] += right
        c[1] += accepted is not None and accepted != expected
        c[2] += 1
        d = detail.setdefault(sub, [0, 0])
        d[0] += right
        d[1] += 1
    return counts, detail


def accuracy_cells(queries: list[Query], answers: list[Answer]) -> str:
    counts, _ = score(queries, answers)
    wrong = "/".join(str(counts[k][1]) for k in KINDS)
    return "  ".join(f"{ratio(counts[k][0], counts[k][2]):>15}" for k in KINDS) + f"  {wrong:>20}"


def print_table(rows: list[dict[str, Any]], work: list[dict[str, Any]]) -> None:
    queries = {w["size"]: as_queries(w) for w in work}
    head = (
        f"{'intents':>7}  {'matcher':<26} {'build ms':>9}  {'exact p50/p99':>15}  {'slip p50/p99':>15}  "
        f"{'ood p50/p99':>15}  {'exact right':>15}  {'slip right':>15}  {'ood rejected':>15}  "
        f"{'wrong accepted e/s/o':>20}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        size, name = row["size"], row["matcher"]
        lead = f"{size:>7,}  {name:<26}"
        if row["status"] == "ok":
            lat = row["latency"]
            cells = "  ".join(f"{lat[k]['p50']:.3f}/{lat[k]['p99']:.3f}".rjust(15) for k in KINDS)
            print(
                f"{lead} {row['build_ms']:9.1f}  {cells}  {accuracy_cells(*answered(row, queries[size])[:2])}"
            )
            continue
        if "from_size" in row:
            why = f"at least {row['estimate_s']:,.0f} s (linear from {row['from_size']:,} intents)"
        else:
            why = f"{row['ms_per_query']:,.1f} ms/query on a probe, about {row['estimate_s']:,.0f} s"
        print(f"{lead} skipped: {RUNS} runs would take {why}, over the budget")
        if "sample" in row:
            p50 = row["sample"]["p50"]
            cells = "  ".join(f"{f'{p50[k]:.3f}/-':>15}" for k in KINDS)
            n = len(row["sample"]["indices"]) // len(KINDS)
            label = f"  sample: {n} per kind, 1 run"
            print(
                f"{'':>7}  {label:<26} {'-':>9}  {cells}  {accuracy_cells(*answered(row, queries[size])[:2])}"
            )


def print_details(rows: list[dict[str, Any]], work: list[dict[str, Any]], accept: int, confirm: int) -> None:
    queries = {w["size"]: as_queries(w) for w in work}
    print("\nright answers by detail (slips: one edit / sound-alike; out of domain: near / far)")
    for row in rows:
        qs, answers, sampled = answered(row, queries[row["size"]])
        if not qs:
            continue
        _, detail = score(qs, answers)
        cells = "   ".join(f"{k} {ratio(*detail[k]):<15}" for k in ("edit", "sound-alike", "near", "far"))
        name = row["matcher"] + (" (sample)" if sampled else "")
        print(f"{row['size']:>7,}  {name:<34} {cells}")
    print(f"\nours: slips not accepted, right intent first in the confirm band ({confirm}-{accept - 1})")
    for row in rows:
        if row["status"] != "ok" or not row["matcher"].startswith("ours"):
            continue
        n = sum(
            1
            for (_, kind, expected, _), (accepted, top, sc) in zip(
                queries[row["size"]], answered(row, queries[row["size"]])[1], strict=True
            )
            if kind == "slip" and accepted is None and top == expected and sc is not None and sc >= confirm
        )
        print(f"{row['size']:>7,}  {row['matcher']:<34} {n} of {N_SLIP}")


def print_examples(rows: list[dict[str, Any]], work: list[dict[str, Any]], size: int, shown: int = 4) -> None:
    """A few answers per matcher at one size: slips taken (right, wrong) or not, out of domain taken."""
    queries = next(as_queries(w) for w in work if w["size"] == size)
    print(f"\nexamples at {size:,} intents (query -> intent accepted (score); * sound-alike slip)")
    for row in rows:
        if row["size"] != size:
            continue
        qs, answers, sampled = answered(row, queries)
        if not qs:
            continue
        picks: dict[str, list[str]] = {
            "slip right": [],
            "slip wrong": [],
            "slip missed": [],
            "ood accepted": [],
        }
        for (text, kind, expected, sub), (accepted, _, sc) in zip(qs, answers, strict=True):
            if kind == "exact":
                continue
            if kind == "ood":
                key = "ood accepted" if accepted is not None else ""
            else:
                key = (
                    "slip missed"
                    if accepted is None
                    else "slip right"
                    if accepted == expected
                    else "slip wrong"
                )
            if not key:
                continue
            star = "*" if sub == "sound-alike" else ""
            picks[key].append(
                f"{star}{text!r}"
                + (f" -> {accepted}" if accepted else f" ({expected})")
                + (f" ({sc:.2f})" if isinstance(sc, float) and sc < 1.5 else f" ({sc:.0f})" if sc else "")
            )
        print(f"  {row['matcher']}" + (" (sample)" if sampled else ""))
        for key, texts in picks.items():
            more = f"  (+{len(texts) - shown} more)" if len(texts) > shown else ""
            print(f"    {key:<13}{len(texts):>4}  " + "; ".join(texts[:shown]) + more)


def print_published_check(peer_rows: list[dict[str, Any]]) -> None:
    published = next((r for r in peer_rows if r["matcher"] == "padacioso calc_intent"), None)
    loop = next((r for r in peer_rows if r["matcher"] == "padacioso (loop)" and r["status"] == "ok"), None)
    if published is None or loop is None or loop["size"] != published["size"]:
        return
    same = sum(1 for i, answer in published["probe"] if answer[0] == loop["answers"][i][0])
    print(
        f"\npadacioso calc_intent as published, {published['size']:,} intents: "
        f"{published['ms_per_query']:,.0f} ms/query over {len(published['probe'])} queries "
        f"(a process pool per query); same intent as the loop on {same} of {len(published['probe'])}"
    )


def run_peers(work: list[dict[str, Any]], venv: Path, budget: float) -> dict[str, Any]:
    """Every peer at every size, measured by this script run as a child in the peers' virtualenv."""
    python = peers_python(venv)
    with tempfile.TemporaryDirectory(prefix="peers-bench-") as tmp:
        workload_path, result_path = Path(tmp) / "workload.json", Path(tmp) / "results.json"
        workload_path.write_text(json.dumps(work))
        subprocess.run(
            [
                str(python),
                str(Path(__file__).resolve()),
                "--budget",
                str(budget),
                "--child",
                str(workload_path),
                str(result_path),
            ],
            check=True,
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )
        result: dict[str, Any] = json.loads(result_path.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="22,1000,5000", help="intent counts, comma-separated")
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per peer and size")
    parser.add_argument("--peers-venv", type=Path, default=PEERS_VENV)
    parser.add_argument("--ours-only", action="store_true", help="measure this project's matcher only")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.budget)
        return
    started = time.perf_counter()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    work = workload(sizes)
    rows, accept, confirm = ours(work, synonyms=True)
    rows += ours(work, synonyms=False)[0]
    peers: dict[str, Any] = {"versions": {}, "results": []}
    if not args.ours_only:
        peers = run_peers(work, args.peers_venv, args.budget)
    rows += peers["results"]
    rows.sort(key=lambda r: r["size"])
    versions = ", ".join(f"{p} {v}" for p, v in peers["versions"].items()) or "no peers"
    print(
        f"\nIntent matching, ours next to peers ({versions}; python {sys.version.split()[0]})\n"
        f"{N_EXACT} exact phrases, {N_SLIP} slips ({N_SOUND_ALIKE} sound-alike), {N_OOD} out of domain "
        f"({N_NEAR} near); {PHRASES_EACH} phrases per intent; ms per query, median of {RUNS} runs; "
        f"ours accepts at score >= {accept} (intents/system.yaml accept_score); "
        f"rapidfuzz at score_cutoff={RAPIDFUZZ_CUTOFF}; hassil and padacioso accept any match they return\n"
    )
    print_table(rows, work)
    print_details(rows, work, accept, confirm)
    print_published_check(peers["results"])
    print_examples(rows, work, sizes[0])
    if len(sizes) > 1:
        print_examples(rows, work, sizes[1])
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
