"""The dialog's state and the steps every turn builds on: asking, recording, the result, the end.

:class:`DialogCore` holds one conversation's state and knowledge; the repair turns
(:mod:`assistant.conversation.repair_turns`) and the dialog's decisions
(:mod:`assistant.conversation.dialog`) are built on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from assistant.base.conditions import AnswerValue, Facts, evaluate
from assistant.base.events import (
    Answer,
    Ask,
    CauseRef,
    End,
    EndReason,
    Event,
    IntentMatched,
    Result,
    Say,
    Summary,
)
from assistant.base.intents import Cause, Intent, Question
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.emergency_causes import emergency_causes
from assistant.conversation.probe import Probe
from assistant.conversation.result_wording import compose_result
from assistant.conversation.summary import summarize
from assistant.conversation.triage import assess, compute_scores, fill, join_names
from assistant.understanding.emergencies import Finding
from assistant.understanding.mentions import Mention

log = logging.getLogger(__name__)

Phase = Literal["complaint", "confirm", "question", "summary", "check", "done"]

COMPLAINT = "complaint"
CONFIRM = "confirm_intent"
SAVE_SUMMARY = "save_summary"
EMERGENCY_CHECK = "emergency_check"
#: Silences in a row before the conversation ends politely.
MAX_SILENCES = 2
#: Misses of one question before it is asked in a simpler form, and before an answer is assumed.
SIMPLER_AFTER = 2
ASSUME_AFTER = 3
#: Openings out of scope before the conversation ends with the general safety net.
MAX_OUT_OF_SCOPE = 2
#: No prompt is said more often than this.
MAX_SAME_PROMPT = 4  # said once, then repeated at most three times


@dataclass
class ConversationState:
    phase: Phase = "complaint"
    intent: str | None = None
    candidate: str | None = None
    candidate_score: int = 0
    complaint: str = ""
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    heard: dict[str, str] = field(default_factory=dict)
    #: Question ids in the order they were answered (for "go back").
    history: list[str] = field(default_factory=list)
    current: str | None = None
    unsure: dict[str, int] = field(default_factory=dict)
    last_ask: Ask | None = None
    silences: int = 0
    questions_asked: int = 0
    result: Result | None = None
    #: Answers not understood, per question id (the opening, a confirmation and checks included).
    misses: dict[str, int] = field(default_factory=dict)
    #: How often each prompt text was said.
    prompts: dict[str, int] = field(default_factory=dict)
    out_of_scope: int = 0
    #: A question asked in a simpler form, one yes/no at a time.
    probe: Probe | None = None
    #: Possible emergencies already checked (asked once each), and the check under way.
    checked: set[str] = field(default_factory=set)
    check: Finding | None = None
    check_text: str = ""
    #: What is understood if the check is answered no: the best hearing, when the possible
    #: emergency came from one of the recognizer's other hypotheses.
    check_best: str | None = None
    check_phase: Phase = "complaint"
    #: Questions answered in passing, used when reached (confirmed first when uncertain).
    mentioned: dict[str, Mention] = field(default_factory=dict)
    #: Questions whose answer was taken from something said in passing.
    in_passing: set[str] = field(default_factory=set)
    check_ask: Ask | None = None


class DialogCore:
    """The parts of a conversation every turn uses (see :class:`~assistant.conversation.dialog.Dialog`)."""

    def __init__(
        self,
        knowledge: Knowledge,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.knowledge = knowledge
        self.settings = settings or Settings()
        self.clock = clock
        self.state = ConversationState()
        self.messages = knowledge.system.messages
        self._wording_turns: dict[str, int] = {}
        self._parts: dict[tuple[str, str], str] = {}
        self.number = self.settings.emergency_number or knowledge.system.emergency_number
        self.finished = False

    @property
    def intent(self) -> Intent | None:
        return self.knowledge.intent(self.state.intent) if self.state.intent else None

    def msg(self, key: str, **values: str) -> str:
        """A system message with its placeholders filled; a message with several wordings gives
        the next one each time it is said in this conversation."""
        wordings = self.knowledge.system.message_variants.get(key)
        if wordings:
            turn = self._wording_turns.get(key, 0)
            self._wording_turns[key] = turn + 1
            return fill(wordings[turn % len(wordings)], **{**self._filled(), **values})
        return fill(self.messages[key], **{**self._filled(), **values})

    def _filled(self) -> dict[str, str]:
        """What a placeholder in a prompt stands for: the emergency number, the part named."""
        return {"emergency_number": self.number, "part": self._part()}

    def _part(self) -> str:
        """The part of the body the opening named, as the intent's questions name it ("foot"
        for "my big toe"), or the intent's first part when none was named."""
        intent = self.intent
        if intent is None or not intent.parts:
            return ""
        key = (intent.id, self.state.complaint)
        if key not in self._parts:
            understander = self.knowledge.understander
            words = understander.hearing.words(self.state.complaint)
            self._parts[key] = understander.mentions.part_named(intent.parts, words)
        return self._parts[key]

    def _ask_complaint(self, reprompt: bool = False) -> Ask:
        return self._remember(
            Ask(self.msg("complaint_reprompt" if reprompt else "ask_complaint"), COMPLAINT, "open")
        )

    def _out_of_scope(self) -> list[Event]:
        """An opening the assistant cannot help with: once, say so; twice, end with the safety net."""
        self.state.phase = "complaint"
        self.state.candidate = None
        self.state.out_of_scope += 1
        if self.state.out_of_scope >= MAX_OUT_OF_SCOPE:
            return [Say(self.msg("out_of_scope_end"), role="fallback"), *self._end("out_of_scope")]
        return [Say(self.msg("fallback", topics=self._topics()), role="fallback"), self._ask_complaint(True)]

    def _next(self) -> list[Event]:
        intent = self.intent
        assert intent is not None
        events: list[Event] = []
        question = self._next_question(intent)
        while question is not None and question.id in self.state.mentioned:
            mention = self.state.mentioned.pop(question.id)
            if not mention.certain:
                # Said in passing, but hedged ("maybe it was the sun"): one short check, when
                # there is one for it; otherwise the question itself is asked.
                self.state.current = question.id
                self.state.questions_asked += 1
                if question.kind == "choice" or (mention.value == "yes" and question.confirm):
                    return [*events, self._confirm_mention(question, mention)]
                return [*events, self._ask_question(question)]
            # Said in passing already: taken as the answer, not asked again.
            self._record(question, mention.value, mention.heard)
            self.state.in_passing.add(question.id)
            events.append(Answer(question.id, mention.value, mention.heard, source="mentioned"))
            question = self._next_question(intent)
        if question is None:
            return events + self._result()
        self.state.current = question.id
        self.state.questions_asked += 1
        return [*events, self._ask_question(question)]

    def _confirm_mention(self, question: Question, mention: Mention) -> Ask:
        """ "You mentioned sunburn. Is that right?" (a choice), or the question's own ``confirm``
        (a yes): yes takes the mention as the answer; no is a no to a yes/no question, and asks a
        choice question itself."""
        if question.kind == "choice":
            choice = next((c for c in question.choices if c.id == mention.value), None)
            what = choice.words[0] if choice and choice.words else mention.said
            text = self.msg("confirm_mention", what=what)
        else:
            text = question.confirm
        # A yes/no confirmed "no" is a no; a choice that was not the one mentioned is asked.
        otherwise: AnswerValue | None = "no" if question.kind == "yes_no" else None
        self.state.probe = Probe(question.id, ((text, mention.value),), otherwise, confirming=mention.heard)
        return self._remember(
            Ask(fill(text, **self._filled()), question.id, "yes_no", ("yes", "no", "unsure"))
        )

    def _note_mentions(self, text: str) -> None:
        """Remember the questions ``text`` answers in passing (not those already answered)."""
        intent = self.intent
        if intent is None or not text:
            return
        understander = self.knowledge.understander
        heard = understander.hearing.hear(text)
        for mention in understander.mentions.find(heard, intent.questions):
            if mention.question not in self.state.answers:
                self.state.mentioned[mention.question] = replace(mention, heard=text)

    def _next_question(self, intent: Intent) -> Question | None:
        answers = self.state.answers
        facts = Facts(answers, compute_scores(intent, answers))
        for question in intent.asking_order():
            if question.id in answers:
                continue
            if question.ask_if is None or evaluate(question.ask_if, facts):
                return question
        return None

    def _ask_question(self, question: Question, *, text: str | None = None) -> Ask:
        choices: tuple[str, ...] = ()
        if question.kind == "yes_no":
            choices = ("yes", "no", "unsure")
        elif question.kind == "choice":
            choices = question.choice_ids()
        return self._remember(
            Ask(fill(text or question.ask, **self._filled()), question.id, question.kind, choices)
        )

    def _take(
        self, question: Question, value: AnswerValue, text: str, *, mentioned: bool = False
    ) -> list[Event]:
        """Record an understood answer and go on (``mentioned``: said in passing, then confirmed)."""
        self.state.probe = None

        if question.red_flag and value == "unsure":
            seen = self.state.unsure.get(question.id, 0) + 1
            self.state.unsure[question.id] = seen
            if seen == 1:
                return [
                    Answer(question.id, "unsure", text),
                    Say(self.msg("red_flag_unsure"), role="reprompt"),
                    self._ask_question(question),
                ]
            self._record(question, "yes", text)
            return [
                Answer(question.id, "yes", text, assumed=True),
                *self._result(emergency=True, preface=self.msg("red_flag_assumed")),
            ]
        self._record(question, value, text)
        if mentioned:
            self.state.in_passing.add(question.id)
        events: list[Event] = [Answer(question.id, value, text, source="mentioned" if mentioned else "said")]
        if question.red_flag and value == "yes":
            return events + self._result(emergency=True)
        self._note_mentions(text)
        return events + self._next()

    def _record(self, question: Question, value: AnswerValue, heard: str) -> None:
        self.state.answers[question.id] = value
        self.state.heard[question.id] = heard
        self.state.history.append(question.id)

    def _result(self, *, emergency: bool = False, preface: str = "") -> list[Event]:
        intent = self.intent
        assert intent is not None
        mentioned = {q: m.value for q, m in self.state.mentioned.items() if m.certain}
        assessment = assess(intent, self.state.answers, emergency=emergency, mentioned=mentioned)
        and_word = self.knowledge.system.words.conjunction("and")
        result = compose_result(intent, assessment, self.msg, self.number, preface, and_word)
        self.state.result = result
        self.state.current = None
        events: list[Event] = [result]
        if result.triage == "emergency":
            # Nothing may come between an emergency message and the person acting on it.
            if self.settings.summary_path:
                events.append(self._summary(self.settings.summary_path))
            return events + self._end("completed")
        if self.settings.summary_path:
            events.append(self._summary(self.settings.summary_path))
            return [*events, Say(self.msg("anything_else")), *self._end("completed")]
        if not self.settings.offer_summary:
            return [*events, Say(self.msg("anything_else")), *self._end("completed")]
        self.state.phase = "summary"
        return [
            *events,
            self._remember(Ask(self.msg("summary_offer"), SAVE_SUMMARY, "yes_no", ("yes", "no"))),
        ]

    def _global_emergency(self, text: str, preface: str = "") -> list[Event]:
        intent_id = self.state.intent or "emergency"
        said = self.msg("emergency")
        full = f"{preface} {said}" if preface else said
        causes, sources = self._emergency_causes(text)
        if causes:
            names = join_names([c.name for c in causes], self.knowledge.system.words.conjunction("and"))
            full = f"{full} {self.msg('result_causes', causes=names)}"
        refs = tuple(CauseRef(c.id, c.name) for c in causes)
        result = Result(intent_id, "emergency", refs, full, said, sources)
        self.state.result = result
        self.state.complaint = self.state.complaint or text
        events: list[Event] = [IntentMatched("emergency", 100, text), result]
        if self.settings.summary_path and self.intent is not None:
            events.append(self._summary(self.settings.summary_path))
        return events + self._end("completed")

    def _emergency_causes(self, text: str) -> tuple[list[Cause], tuple[str, ...]]:
        said = [m for m in self.state.mentioned.values() if m.certain]
        return emergency_causes(self.knowledge, self.intent, text, self.state.answers, said)

    def _summary(self, path: str | None) -> Summary:
        intent, result = self.intent, self.state.result
        assert intent is not None and result is not None
        answered = [
            (qid, self.state.heard.get(qid, ""), self.state.answers[qid]) for qid in self.state.history
        ]
        system = self.knowledge.system
        text = summarize(
            intent,
            self.state.complaint,
            answered,
            result,
            self.clock(),
            self.number,
            system,
            self.state.in_passing,
        )
        return Summary(text, path)

    def _current_question(self) -> Question | None:
        intent = self.intent
        if self.state.phase == "question" and intent and self.state.current:
            return intent.question(self.state.current)
        return None

    def _joiners(self) -> tuple[str, ...]:
        return tuple(self.knowledge.system.words.conjunctions.values())

    def _choice_names(self, question: Question | None) -> str:
        if question is None:
            return ""
        return join_names([c.words[0] for c in question.choices], self._or())

    def _topics(self) -> str:
        return join_names([i.title for i in self.knowledge.intents], self._or())

    def _or(self) -> str:
        return self.knowledge.system.words.conjunction("or")

    def _remember(self, ask: Ask) -> Ask:
        self.state.last_ask = ask
        self.state.prompts[ask.text] = self.state.prompts.get(ask.text, 0) + 1
        return ask

    def _end(self, reason: EndReason) -> list[Event]:
        self.finished = True
        self.state.phase = "done"
        self.state.last_ask = None
        return [End(reason)]
