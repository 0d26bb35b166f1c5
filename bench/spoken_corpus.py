"""The labelled utterance corpus, spoken, through the default (built-in) recognizer.

    .venv/bin/python bench/spoken_corpus.py                      # every file, 4 voices, 2 rates, clean
    .venv/bin/python bench/spoken_corpus.py --noise clean,20,10  # and white noise at 20 and 10 dB SNR
    .venv/bin/python bench/spoken_corpus.py evaluation/utterances/emergencies.yaml --voices en-us
    .venv/bin/python bench/spoken_corpus.py --no-alarm            # without the alarm hearing (see run.py)
    .venv/bin/python bench/spoken_corpus.py --dump /tmp/v.jsonl   # and every verdict, a JSON line each

Every utterance of evaluation/utterances/*.yaml is spoken by espeak-ng in each voice and rate (and
noise level), heard in its context the way ``assistant --wav`` hears it, and compared with what the
text path understands (see assistant/evaluation/spoken.py). Prints accuracy per label, per voice,
per noise level, the emergencies acted on, every polarity flip (a no taken as yes), and the most
common confusions. WAVs are generated into a cache folder, never kept in git.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.spoken import Rendering, SpokenVerdict  # noqa: E402
from assistant.evaluation.utterances import Utterance, load_corpus  # noqa: E402

VOICES = ("en-us", "en-gb", "en-us+f3", "en-gb-x-rp+m3")
RATES = (140, 175)
_worker: dict[str, object] = {}


def _start(folder: str, alarm: bool) -> None:
    from assistant.content.knowledge import load_knowledge
    from assistant.evaluation.spoken import SpokenJudge
    from assistant.voice.run import embedded_recognizer

    knowledge = load_knowledge([ROOT / "intents"])
    recognizer = embedded_recognizer(knowledge, alarm=alarm)
    _worker["judge"] = SpokenJudge(knowledge, recognizer, knowledge.system.turn_windows)
    _worker["folder"] = Path(folder)


def _hear(job: tuple[Utterance, Rendering]) -> SpokenVerdict:
    from assistant.evaluation.spoken import SpokenJudge, synthesize

    utterance, rendering = job
    judge = _worker["judge"]
    assert isinstance(judge, SpokenJudge)
    folder = _worker["folder"]
    assert isinstance(folder, Path)
    return judge.hear(utterance, synthesize(utterance.text, rendering, folder), rendering)


def _share(verdicts: list[SpokenVerdict], key: str) -> str:
    good = sum(1 for v in verdicts if getattr(v, key))
    return f"{good}/{len(verdicts)} ({100 * good / max(1, len(verdicts)):.1f}%)"


def report(verdicts: list[SpokenVerdict]) -> None:
    print(f"\nUnderstood as the text path understands it: {_share(verdicts, 'agrees')}")
    emergencies = [v for v in verdicts if v.text_label == "emergency"]
    print(f"Spoken emergencies acted on (at once or after one check): {_share(emergencies, 'acted_on')}")
    at_once = sum(1 for v in emergencies if v.spoken_label == "emergency")
    print(f"  of which at once: {at_once}")
    flips = [v for v in verdicts if v.polarity_flip]
    print(f"Polarity flips (no taken as yes, or yes as no): {len(flips)}")
    for v in flips:
        print(
            f"  {v.utterance.text!r} [{v.rendering.voice} {v.rendering.rate} {v.rendering.noise}] "
            f"heard {v.heard!r}: {v.text_label} -> {v.spoken_label}"
        )
    false_alarms = [
        v for v in verdicts if v.acted_on and v.text_label not in ("emergency", "possible_emergency")
    ]
    print(f"Emergency acted on or checked where the text path sees none: {len(false_alarms)}")
    for title, key in (
        ("label (text path)", "label"),
        ("voice", "voice"),
        ("noise", "noise"),
        ("context", "context"),
    ):
        groups: dict[str, list[SpokenVerdict]] = collections.defaultdict(list)
        for v in verdicts:
            name = {
                "label": v.text_label.split(":")[0] if ":" in v.text_label else v.text_label,
                "voice": f"{v.rendering.voice} {v.rendering.rate}",
                "noise": v.rendering.noise,
                "context": v.utterance.context.split(":")[0],
            }[key]
            groups[name].append(v)
        print(f"\nBy {title}:")
        for name, group in sorted(groups.items()):
            print(f"  {name:<22} {_share(group, 'agrees')}")
    noises = sorted({v.rendering.noise for v in verdicts})
    if len(noises) > 1:
        print("\nBy noise, emergencies acted on and polarity flips:")
        for noise in noises:
            heard = [v for v in verdicts if v.rendering.noise == noise]
            said = [v for v in heard if v.text_label == "emergency"]
            flipped = sum(1 for v in heard if v.polarity_flip)
            agree, acted = _share(heard, "agrees"), _share(said, "acted_on")
            print(f"  {noise:<8} agree {agree}, emergencies {acted}, flips {flipped}")
    confusions = collections.Counter((v.text_label, v.spoken_label) for v in verdicts if not v.agrees)
    print("\nMost common confusions (text path -> spoken):")
    for (want, got), n in confusions.most_common(15):
        print(f"  {n:4d}  {want} -> {got}")
    for noise in sorted({v.rendering.noise for v in verdicts}):
        misses = [v for v in verdicts if v.rendering.noise == noise and not v.agrees]
        print(f"\nSome misses ({noise}):")
        for v in misses[:12]:
            print(
                f"  {v.utterance.text!r} [{v.rendering.voice} {v.rendering.rate}] heard {v.heard!r} "
                f"alts {list(v.alternatives)[:2]}: {v.text_label} -> {v.spoken_label}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--rates", default=",".join(map(str, RATES)))
    parser.add_argument("--noise", default="clean", help="clean and/or SNRs in dB, comma-separated")
    parser.add_argument("--every", type=int, default=1, help="take every n-th utterance (a quick run)")
    parser.add_argument("--wavs", type=Path, default=Path(tempfile.gettempdir()) / "assistant-spoken-corpus")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--no-alarm",
        dest="alarm",
        action="store_false",
        help="without the alarm hearing (to measure what it adds)",
    )
    parser.add_argument("--dump", type=Path, help="write every verdict to this file, one JSON object a line")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "evaluation" / "utterances").glob("*.yaml"))
    utterances = load_corpus(files)[:: args.every]
    noises = [None if n == "clean" else float(n) for n in args.noise.split(",")]
    renderings = [
        Rendering(voice, int(rate), snr)
        for voice in args.voices.split(",")
        for rate in args.rates.split(",")
        for snr in noises
    ]
    jobs = [(u, r) for r in renderings for u in utterances]
    args.wavs.mkdir(parents=True, exist_ok=True)
    print(f"{len(utterances)} utterances x {len(renderings)} renderings = {len(jobs)} spoken turns")
    start = (str(args.wavs), args.alarm)
    with multiprocessing.Pool(args.workers, initializer=_start, initargs=start) as pool:
        verdicts = list(pool.imap(_hear, jobs, chunksize=8))
    report(verdicts)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for v in verdicts:
                row = {
                    "text": v.utterance.text,
                    "context": v.utterance.context,
                    "voice": v.rendering.voice,
                    "rate": v.rendering.rate,
                    "noise": v.rendering.noise,
                    "text_label": v.text_label,
                    "spoken_label": v.spoken_label,
                    "heard": v.heard,
                    "alternatives": list(v.alternatives),
                }
                out.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
