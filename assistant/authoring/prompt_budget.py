"""How long each sentence takes to say, against a budget a listener can hold.

A person on the phone cannot hold a long prompt: the greeting with its disclaimer should take at
most 5 s, any question at most 8 s, and the first sentence of an emergency result (the action) at
most 4 s. ``assistant check`` estimates the time from the syllables (no audio, so it is fast and
needs no synthesizer); ``bench/prompt_budget.py`` renders every sentence with espeak-ng and prints
the measured table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.intents import Intent, SystemPack

#: Seconds, by kind of sentence.
BUDGET = {"greeting": 5.0, "question": 8.0, "emergency action": 4.0}
#: Syllables a second at the default speaking rate (175 words a minute), measured on espeak-ng
#: with bench/prompt_budget.py; a comma or full stop adds a short pause.
SYLLABLES_PER_SECOND = 4.9
PAUSE_SECONDS = 0.25
#: The estimate is within about 13% of the measured time (bench/prompt_budget.py), so check warns
#: only beyond this share over the budget; the bench measures exactly.
ESTIMATE_MARGIN = 1.1

_VOWELS = re.compile(r"[aeiouy]+")
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(\s|$)")


def syllables(word: str) -> int:
    word = word.lower().strip("'")
    if not word:
        return 0
    if word.isdigit():
        return len(word)  # a code said digit by digit ("nine one one")
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def estimate_seconds(text: str) -> float:
    words = re.findall(r"[A-Za-z0-9']+", text)
    pauses = len(re.findall(r"[,.;:?!]", text))
    return sum(syllables(w) for w in words) / SYLLABLES_PER_SECOND + pauses * PAUSE_SECONDS


@dataclass(frozen=True)
class Prompt:
    kind: str
    where: str
    text: str
    #: The intent it belongs to ("" for the system file) and the YAML path of its text.
    intent: str = ""
    path: tuple[str | int, ...] = ()

    @property
    def budget(self) -> float | None:
        return BUDGET.get(self.kind)


def first_sentence(text: str) -> str:
    found = _FIRST_SENTENCE.match(text.strip())
    return found.group(1) if found else text.strip()


def prompts(system: SystemPack, intents: tuple[Intent, ...], number: str = "911") -> list[Prompt]:
    """Every sentence the content can say that has a budget, and the others for the table."""

    def filled(text: str) -> str:
        return text.replace("{emergency_number}", number)

    def message(kind: str, key: str, first: bool = False) -> Prompt:
        text = filled(system.messages.get(key, ""))
        return Prompt(kind, f"messages.{key}", first_sentence(text) if first else text, "", ("messages", key))

    out = [
        message("greeting", "greeting"),
        message("question", "ask_complaint"),
        message("emergency action", "emergency", first=True),
    ]
    for intent in intents:
        if intent.intro:
            out.append(Prompt("intro", f"{intent.id}.intro", filled(intent.intro), intent.id, ("intro",)))
        for i, q in enumerate(intent.questions):
            where = f"{intent.id}.{q.id}"
            out.append(Prompt("question", where, filled(q.ask), intent.id, ("questions", i, "ask")))
        for i, rule in enumerate(intent.triage):
            if rule.level == "emergency":
                text = first_sentence(filled(rule.say))
                where = f"{intent.id}.triage[{i}]"
                out.append(Prompt("emergency action", where, text, intent.id, ("triage", i, "say")))
    return out


def budget_message(prompt: Prompt, seconds: float) -> str:
    return (
        f"this {prompt.kind} takes about {seconds:.1f} s to say, over its {prompt.budget:.0f} s budget: "
        "a listener cannot hold it; shorten it, or split it into two questions"
    )


def over_budget(system: SystemPack, intents: tuple[Intent, ...]) -> list[tuple[Prompt, float]]:
    """Sentences whose estimated time is over their budget, with the estimate."""
    found = []
    for prompt in prompts(system, intents):
        budget = prompt.budget
        seconds = estimate_seconds(prompt.text)
        if budget is not None and seconds > budget * ESTIMATE_MARGIN:
            found.append((prompt, seconds))
    return found
