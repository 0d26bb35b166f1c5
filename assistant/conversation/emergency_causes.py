"""The causes an emergency result names: those that fit everything said."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.base.conditions import AnswerValue
from assistant.base.intents import Cause, Intent
from assistant.content.knowledge import Knowledge
from assistant.conversation.triage import assess
from assistant.understanding.mentions import Mention
from assistant.understanding.understand import OPENING


def emergency_causes(
    knowledge: Knowledge,
    intent: Intent | None,
    text: str,
    answers: Mapping[str, AnswerValue],
    said: Sequence[Mention] = (),
) -> tuple[list[Cause], tuple[str, ...]]:
    """The causes an emergency names, and their sources.

    For the intent being asked about, or the one named in the same breath ("my calf is hot and
    I'm gasping"), or one whose red flag is about the emergency and whose part of the body was
    named ("my foot is cold and blue"). The emergency counts as a yes to the red-flag questions
    about it; facts said in passing (``said``, and those in ``text``) come after the red flag's
    own causes. None when no intent fits, or no red flag of it is about the emergency (its
    everyday causes would not fit).
    """
    understander = knowledge.understander
    heard = understander.hearing.hear(text)
    concepts = understander.emergencies.concepts_in(heard.clauses)
    if intent is None:
        top = understander.understand(text, OPENING, check_emergency=False).top
        if top is not None and top.score >= knowledge.system.confirm_score:
            intent = top.intent
        else:
            intent = next(
                (
                    i
                    for i in knowledge.intents
                    if understander.names_part_of(i, heard.words)
                    and any(q.red_flag and concepts & understander.asks_about(q) for q in i.questions)
                ),
                None,
            )
        if intent is None:
            return [], ()
    answered = dict(answers)
    flags = [q for q in intent.questions if q.red_flag and q.kind == "yes_no"]
    for question in flags:
        if concepts & understander.asks_about(question):
            answered[question.id] = "yes"
    if not any(answered.get(q.id) == "yes" for q in flags):
        return [], ()
    found = [*said, *(m for m in understander.mentions.find(heard, intent.questions) if m.certain)]
    mentioned = {m.question: m.value for m in found if m.question not in answered}
    assessment = assess(intent, answered, emergency=True, mentioned=mentioned)
    if assessment.common:
        return [], ()
    return [c for c, _ in assessment.causes], tuple(s.cite() for s in assessment.sources)
