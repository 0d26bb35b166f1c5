"""The words of a result: guidance first, then the causes, then the safety net."""

from __future__ import annotations

from collections.abc import Callable

from assistant.base.events import CauseRef, Result
from assistant.base.intents import Intent
from assistant.conversation.triage import Assessment, fill, join_names

Messages = Callable[..., str]


def compose_result(
    intent: Intent, a: Assessment, msg: Messages, number: str, preface: str = "", and_word: str = "and"
) -> Result:
    """Build the result event. ``msg(key, **values)`` gives a system message with its placeholders filled.

    Order, as the best services word urgent advice: the action and its time frame first; then (if
    an unsure red flag was counted as yes) why; then the causes; last, what would make it more
    urgent. An emergency ends with the action and the causes: never with self-care advice.
    """
    guidance = fill(a.rule.say, emergency_number=number) if a.rule else msg("emergency")
    if a.forced:
        guidance = f"{guidance} {msg('emergency_fallback')}"
    names = [cause.name for cause, _ in a.causes]
    parts = [guidance, preface]
    if names and a.common:
        parts.append(msg("result_common_causes", causes=join_names(names, and_word)))
    elif names:
        parts.append(msg("result_causes", causes=join_names(names, and_word)))
        if a.level != "emergency":
            parts.append(fill(a.causes[0][0].says, emergency_number=number))
    elif a.level != "emergency":
        parts.append(msg("result_no_causes"))
    if a.rule is not None and a.rule.safety_net and a.level != "emergency":
        parts.append(fill(a.rule.safety_net, emergency_number=number))
    return Result(
        intent=intent.id,
        triage=a.level,
        causes=tuple(CauseRef(c.id, c.name) for c, _ in a.causes),
        text=" ".join(p.strip() for p in parts if p.strip()),
        guidance=guidance,
        sources=tuple(s.cite() for s in a.sources),
    )
