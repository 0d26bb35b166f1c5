"""The conversation: a state machine that takes what was said and returns events.

It never blocks and knows nothing of audio, threads, terminals or files: text in, events out.
State is plain data (:class:`ConversationState`), so a conversation can be inspected or copied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from assistant.base.conditions import AnswerValue, Facts, evaluate
from assistant.base.events import (
    Answer,
    Ask,
    End,
    EndReason,
    Event,
    IntentMatched,
    Result,
    Say,
    Summary,
)
from assistant.base.intents import Intent, Question
from assistant.base.settings import Settings
from assistant.content.knowledge import Knowledge
from assistant.conversation.expectation import NOTHING, Expectation
from assistant.conversation.result_wording import compose_result
from assistant.conversation.summary import summarize
from assistant.conversation.triage import assess, compute_scores, fill, join_names
from assistant.understanding.answers import parse_choice, parse_number
from assistant.understanding.normalize import clean
from assistant.understanding.phrases import answer_phrases, command_phrases

log = logging.getLogger(__name__)

Phase = Literal["complaint", "confirm", "question", "summary", "done"]

COMPLAINT = "complaint"
CONFIRM = "confirm_intent"
SAVE_SUMMARY = "save_summary"
#: Silences in a row before the conversation ends politely.
MAX_SILENCES = 2


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


class Dialog:
    """One conversation. ``start()`` first, then ``handle(text)`` for every utterance."""

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
        self.number = self.settings.emergency_number or knowledge.system.emergency_number
        self.yes_no = knowledge.yes_no_parser
        self.finished = False

    # -- public API ------------------------------------------------------------------------
    def start(self) -> list[Event]:
        return [Say(self.msg("greeting"), role="disclaimer"), self._ask_complaint()]

    def handle(self, text: str) -> list[Event]:
        """One utterance from the person (typed, or what the recognizer heard)."""
        if self.finished:
            return []
        text = clean(text).strip()
        self.state.silences = 0
        if not text:
            return self._not_understood()
        said = self.knowledge.commands.emergency(text)
        if said is not None:
            return self._global_emergency(text)
        command = self.knowledge.commands.command(text)
        if command is not None:
            return self._command(command)
        phase = self.state.phase
        if phase == "complaint":
            return self._complaint(text)
        if phase == "confirm":
            return self._confirm(text)
        if phase == "question":
            return self._answer(text)
        if phase == "summary":
            return self._summary_answer(text)
        return []

    def no_speech(self) -> list[Event]:
        """Nothing was heard before the listening timeout."""
        if self.finished:
            return []
        self.state.silences += 1
        if self.state.silences >= MAX_SILENCES:
            return [Say(self.msg("no_response")), *self._end("no_response")]
        return [Say(self.msg("no_speech"), role="reprompt"), *self._reask()]

    def end_of_input(self) -> list[Event]:
        return [] if self.finished else self._end("end_of_input")

    def stop(self) -> list[Event]:
        """Stop now (Ctrl-C or a signal): say so and end."""
        return [] if self.finished else [Say(self.msg("stopped")), *self._end("stopped")]

    @property
    def pending(self) -> Ask | None:
        """The question waiting for an answer, if any."""
        return None if self.finished else self.state.last_ask

    @property
    def expecting(self) -> Expectation:
        """What would be understood now: the kind of answer and every phrase that counts."""
        ask = self.pending
        if ask is None:
            return NOTHING
        if ask.kind == "open":
            return Expectation(kind="open", question=ask.question)
        intent = self.intent
        question = intent.question(ask.question) if intent else None
        system = self.knowledge.system
        phrases = [*answer_phrases(question, system, ask.kind), *command_phrases(system)]
        return Expectation(kind=ask.kind, question=ask.question, phrases=tuple(dict.fromkeys(phrases)))

    @property
    def intent(self) -> Intent | None:
        return self.knowledge.intent(self.state.intent) if self.state.intent else None

    def msg(self, key: str, **values: str) -> str:
        return fill(self.messages[key], emergency_number=self.number, **values)

    # -- phases ----------------------------------------------------------------------------
    def _ask_complaint(self, reprompt: bool = False) -> Ask:
        return self._remember(
            Ask(self.msg("complaint_reprompt" if reprompt else "ask_complaint"), COMPLAINT, "open")
        )

    def _complaint(self, text: str) -> list[Event]:
        matches = self.knowledge.matcher.match(text)
        system = self.knowledge.system
        if matches and matches[0].score >= system.accept_score:
            return self._begin(matches[0].intent, matches[0].score, text)
        if matches and matches[0].score >= system.confirm_score:
            top = matches[0]
            self.state.phase = "confirm"
            self.state.candidate = top.intent.id
            self.state.candidate_score = top.score
            self.state.complaint = text
            question = self.msg("did_you_mean", title=top.intent.title)
            return [self._remember(Ask(question, CONFIRM, "yes_no", ("yes", "no")))]
        return [Say(self.msg("fallback", topics=self._topics()), role="fallback"), self._ask_complaint(True)]

    def _confirm(self, text: str) -> list[Event]:
        value = self.yes_no.parse(text)
        if value is None:
            return self._not_understood()
        intent = self.knowledge.intent(self.state.candidate or "")
        if value == "yes" and intent is not None:
            return self._begin(intent, self.state.candidate_score, self.state.complaint)
        self.state.phase = "complaint"
        self.state.candidate = None
        return [Say(self.msg("fallback", topics=self._topics()), role="fallback"), self._ask_complaint(True)]

    def _begin(self, intent: Intent, score: int, heard: str) -> list[Event]:
        self.state.phase = "question"
        self.state.intent = intent.id
        self.state.complaint = heard
        events: list[Event] = [IntentMatched(intent.id, score, heard)]
        if intent.intro:
            events.append(Say(fill(intent.intro, emergency_number=self.number)))
        return events + self._next()

    def _next(self) -> list[Event]:
        intent = self.intent
        assert intent is not None
        question = self._next_question(intent)
        if question is None:
            return self._result()
        self.state.current = question.id
        self.state.questions_asked += 1
        return [self._ask_question(question)]

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
            Ask(fill(text or question.ask, emergency_number=self.number), question.id, question.kind, choices)
        )

    def _answer(self, text: str) -> list[Event]:
        intent = self.intent
        question = intent.question(self.state.current or "") if intent else None
        if intent is None or question is None:
            return self._not_understood()
        value: AnswerValue | None
        if question.kind == "yes_no":
            value = self.yes_no.parse(text, question.answer_words or None)
        elif question.kind == "choice":
            value = parse_choice(text, question, self.knowledge.normalizer)
        else:
            value = parse_number(text, self.knowledge.normalizer)
            if value is not None and question.range and not question.range[0] <= value <= question.range[1]:
                low, high = question.range
                return [
                    Say(self.msg("number_out_of_range", low=str(low), high=str(high)), role="not_understood"),
                    self._ask_question(question),
                ]
        if value is None:
            return self._not_understood()

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
        events: list[Event] = [Answer(question.id, value, text)]
        if question.red_flag and value == "yes":
            return events + self._result(emergency=True)
        return events + self._next()

    def _record(self, question: Question, value: AnswerValue, heard: str) -> None:
        self.state.answers[question.id] = value
        self.state.heard[question.id] = heard
        self.state.history.append(question.id)

    # -- the outcome -----------------------------------------------------------------------
    def _result(self, *, emergency: bool = False, preface: str = "") -> list[Event]:
        intent = self.intent
        assert intent is not None
        assessment = assess(intent, self.state.answers, emergency=emergency)
        result = compose_result(intent, assessment, self.msg, self.number, preface)
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

    def _global_emergency(self, text: str) -> list[Event]:
        intent_id = self.state.intent or "emergency"
        result = Result(intent_id, "emergency", (), self.msg("emergency"), self.msg("emergency"))
        self.state.result = result
        self.state.complaint = self.state.complaint or text
        events: list[Event] = [IntentMatched("emergency", 100, text), result]
        if self.settings.summary_path and self.intent is not None:
            events.append(self._summary(self.settings.summary_path))
        return events + self._end("completed")

    def _summary_answer(self, text: str) -> list[Event]:
        value = self.yes_no.parse(text)
        if value is None:
            return self._not_understood()
        events: list[Event] = [Answer(SAVE_SUMMARY, value, text)]
        if value == "yes":
            events.append(self._summary(None))
        else:
            events.append(Say(self.msg("summary_declined")))
        return [*events, Say(self.msg("anything_else")), *self._end("completed")]

    def _summary(self, path: str | None) -> Summary:
        intent, result = self.intent, self.state.result
        assert intent is not None and result is not None
        answered = [
            (qid, self.state.heard.get(qid, ""), self.state.answers[qid]) for qid in self.state.history
        ]
        text = summarize(intent, self.state.complaint, answered, result, self.clock(), self.number)
        return Summary(text, path)

    # -- commands and repair ---------------------------------------------------------------
    def _command(self, command: str) -> list[Event]:
        if command == "stop":
            return self.stop()
        if command == "goodbye":
            return [
                Say(self.msg("goodbye")),
                *self._end("stopped" if self.state.result is None else "completed"),
            ]
        if command == "repeat":
            return self._reask()
        if command == "help":
            return [Say(self.msg("help"), role="help"), *self._reask()]
        if command == "greeting":
            return [Say(self.msg("greeting_reply")), *self._reask()]
        if command == "explain":
            question = self._current_question()
            text = question.explain if question and question.explain else self.msg("no_explanation")
            return [Say(fill(text, emergency_number=self.number), role="explain"), *self._reask()]
        if command == "go_back":
            return self._go_back()
        log.warning("unknown command %r", command)
        return self._not_understood()

    def _go_back(self) -> list[Event]:
        state = self.state
        if state.phase == "question" and state.history:
            previous = state.history.pop()
            state.answers.pop(previous, None)
            state.heard.pop(previous, None)
            state.unsure.pop(previous, None)
            question = self.intent.question(previous) if self.intent else None
            if question is not None:
                state.current = previous
                return [Say(self.msg("going_back")), self._ask_question(question)]
        if state.phase == "confirm":
            state.phase = "complaint"
            return [Say(self.msg("going_back")), self._ask_complaint()]
        return [Say(self.msg("nothing_to_go_back_to")), *self._reask()]

    def _current_question(self) -> Question | None:
        intent = self.intent
        if self.state.phase == "question" and intent and self.state.current:
            return intent.question(self.state.current)
        return None

    def _reask(self) -> list[Event]:
        ask = self.state.last_ask
        return [ask] if ask is not None else [self._ask_complaint()]

    def _not_understood(self) -> list[Event]:
        ask = self.state.last_ask
        if ask is None:
            return [self._ask_complaint(True)]
        if ask.question == COMPLAINT:
            return [
                Say(self.msg("fallback", topics=self._topics()), role="fallback"),
                self._ask_complaint(True),
            ]
        events: list[Event] = [Say(self.msg("not_understood"), role="not_understood")]
        question = self._current_question()
        if question is not None and question.reprompt:
            return [*events, self._ask_question(question, text=question.reprompt)]
        hint = {"yes_no": "yes_no_reprompt", "number": "number_reprompt"}.get(ask.kind)
        if ask.kind == "choice":
            events.append(
                Say(self.msg("choice_reprompt", choices=self._choice_names(question)), role="reprompt")
            )
        elif hint:
            events.append(Say(self.msg(hint), role="reprompt"))
        return [*events, ask]

    def _choice_names(self, question: Question | None) -> str:
        if question is None:
            return ""
        return join_names([c.words[0] for c in question.choices], "or")

    def _topics(self) -> str:
        return join_names([i.title for i in self.knowledge.intents], "or")

    def _remember(self, ask: Ask) -> Ask:
        self.state.last_ask = ask
        return ask

    def _end(self, reason: EndReason) -> list[Event]:
        self.finished = True
        self.state.phase = "done"
        self.state.last_ask = None
        return [End(reason)]
