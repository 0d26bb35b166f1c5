"""Every budgeted sentence the shipped content can say, rendered with espeak-ng at the default rate
(175 words a minute), as the person hears it (the emergency number digit by digit): measured
seconds, the syllable estimate ``assistant check`` uses, and the budget.

    .venv/bin/python bench/prompt_budget.py
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import wave
from pathlib import Path

from assistant.authoring.prompt_budget import estimate_seconds, prompts
from assistant.content.knowledge import load_knowledge
from assistant.conversation.speech_text import SpeechText

RATE = 175


def measured(text: str, folder: Path) -> float:
    out = folder / "s.wav"
    subprocess.run(["espeak-ng", "-s", str(RATE), "-w", str(out), text], check=True)
    with wave.open(str(out)) as wav:
        return float(wav.getnframes() / wav.getframerate())


def main() -> None:
    knowledge = load_knowledge()
    spoken = SpeechText.for_system(knowledge.system, "911")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for prompt in prompts(knowledge.system, knowledge.intents):
            rows.append((prompt, measured(spoken(prompt.text), Path(tmp)), estimate_seconds(prompt.text)))
    print(f"{'seconds':>7} {'estimate':>8} {'budget':>6}  {'kind':<17} {'where':<26} text")
    for prompt, seconds, estimate in rows:
        budget = f"{prompt.budget:.0f}" if prompt.budget else "-"
        flag = " OVER" if prompt.budget and seconds > prompt.budget else ""
        head = f"{seconds:7.1f} {estimate:8.1f} {budget:>6}  {prompt.kind:<17} {prompt.where:<26}"
        print(f"{head} {prompt.text[:60]}{flag}")
    greeting = next(s for p, s, _ in rows if p.where == "messages.greeting")
    opening = next(s for p, s, _ in rows if p.where == "messages.ask_complaint")
    print(f"start to the first question the person can answer: {greeting + opening:.1f} s (budget 10)")
    over = [p.where for p, s, _ in rows if p.budget and s > p.budget]
    print(f"over budget: {len(over)} of {sum(1 for p, _, _ in rows if p.budget)} {over}")
    errors = [e / s for _, s, e in rows if s > 0]
    median = statistics.median(errors)
    print(f"estimate / measured: median {median:.2f}, range {min(errors):.2f}-{max(errors):.2f}")


if __name__ == "__main__":
    main()
