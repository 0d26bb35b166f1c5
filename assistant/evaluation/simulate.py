"""Play one vignette through the real dialog as a simulated patient.

The patient says its opening complaint, then answers every question from its ``facts`` (keyed by
question id), saying "I don't know" to anything else and "no" to the offer of a summary.
"""

from __future__ import annotations

from assistant.base.events import Ask, Event, Result, Say
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.dialog import Dialog
from assistant.evaluation.report import Outcome
from assistant.evaluation.vignettes import Vignette

#: What the simulated patient says to a question its facts do not answer.
UNKNOWN_ANSWER = "I don't know"
#: Questions that are part of the conversation, not of the clinical assessment.
NOT_CLINICAL = frozenset({"complaint", "confirm_intent", "save_summary"})
#: A conversation longer than this many turns is reported as stuck.
MAX_TURNS = 80


def play(vignette: Vignette, knowledge: Knowledge, settings: Settings) -> Outcome:
    """Play one vignette as a simulated patient through the real dialog."""
    dialog = Dialog(knowledge, settings)
    transcript: list[str] = []
    result: Result | None = None
    questions = 0
    confirmed = False

    not_understood = False

    def take(events: list[Event]) -> Ask | None:
        nonlocal result, not_understood
        pending: Ask | None = None
        for event in events:
            if isinstance(event, Result):
                result = event
            if isinstance(event, Ask):
                pending = event
            if isinstance(event, Say) and event.role == "not_understood":
                not_understood = True
            text = getattr(event, "text", None)
            if text:
                transcript.append(f"assistant: {text}")
        return pending

    ask = take(dialog.start())
    for _ in range(MAX_TURNS):
        if dialog.finished or ask is None:
            break
        if ask.question == "complaint":
            if transcript.count(f"patient: {vignette.says}"):
                return _failed(vignette, questions, transcript, "the opening complaint was not understood")
            reply = vignette.says
        elif ask.question == "confirm_intent":
            if confirmed:
                return _failed(vignette, questions, transcript, "the intent was not confirmed")
            confirmed, reply = True, "yes"
        elif ask.question == "save_summary":
            reply = "no"
        else:
            questions += 1
            reply = vignette.facts.get(ask.question, UNKNOWN_ANSWER)
        transcript.append(f"patient: {reply}")
        not_understood = False
        ask = take(dialog.handle(reply))
        if not_understood and ask is not None and ask.question not in NOT_CLINICAL:
            # A real person would rephrase; a vignette cannot, so report the answer.
            return _failed(
                vignette, questions, transcript, f"answer to {ask.question!r} not understood: {reply!r}"
            )
    else:
        return _failed(vignette, questions, transcript, f"no result after {MAX_TURNS} turns")
    if result is None:
        return _failed(vignette, questions, transcript, "the conversation ended without a result")
    return Outcome(
        id=vignette.id,
        expected=vignette.expected,
        acceptable=vignette.acceptable,
        triage=result.triage,
        causes=tuple(c.id for c in result.causes),
        expected_causes=vignette.causes,
        questions=questions,
        transcript=tuple(transcript),
    )


def _failed(vignette: Vignette, questions: int, transcript: list[str], error: str) -> Outcome:
    return Outcome(
        vignette.id, vignette.expected, vignette.acceptable, None, (), vignette.causes, questions,
        tuple(transcript), error,
    )  # fmt: skip
