"""The conversation: a state machine that takes what was said and returns events.

It never blocks and knows nothing of audio, threads, terminals or files: text in, events out.
State is plain data (:class:`ConversationState`), so a conversation can be inspected or copied.
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
from assistant.conversation.repair import Probe, probe_for
from assistant.conversation.result_wording import compose_result
from assistant.conversation.summary import summarize
from assistant.conversation.triage import assess, compute_scores, fill, join_names
from assistant.understanding.emergencies import Finding
from assistant.understanding.normalize import MAX_CHARS, clean
from assistant.understanding.phrases import answer_phrases, command_phrases
from assistant.understanding.understand import OPENING, Expecting, Understanding

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
    check_phase: Phase = "complaint"
    check_ask: Ask | None = None


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
        self.finished = False

    # -- public API ------------------------------------------------------------------------
    def start(self) -> list[Event]:
        return [Say(self.msg("greeting"), role="disclaimer"), self._ask_complaint()]

    def handle(self, text: str) -> list[Event]:
        """One utterance from the person (typed, or what the recognizer heard)."""
        if self.finished:
            return []
        garbled = _garbled(text)
        text = clean(text).strip()
        self.state.silences = 0
        if not text or garbled:
            # Nothing said, or input damaged on the way (bad bytes, control characters, far too
            # long): asked again, but not counted against the person.
            return self._reask_plainly()
        understood = self.knowledge.understander.understand(text, self._asked())
        return self._decide(understood, text)

    def _asked(self) -> Expecting:
        """What the person is being asked now, for understanding what they say."""
        state = self.state
        if state.phase in ("confirm", "summary", "check") or state.probe is not None:
            return Expecting("yes_no")
        question = self._current_question()
        if question is not None:
            return Expecting(question.kind if question.kind != "open" else "open", question)
        return OPENING

    def _decide(self, u: Understanding, text: str) -> list[Event]:
        """What to do with what was understood: an emergency first, then a command, then the rest."""
        meaning = u.meaning
        if meaning == "emergency":
            return self._emergency_said(u, text)
        if meaning == "possible_emergency" and u.emergency is not None:
            if u.emergency.concept.id not in self.state.checked:
                return self._check_emergency(u.emergency, text)
            u = replace(u, emergency=None)  # asked once already: the rest of what was said counts
            meaning = u.meaning
        if meaning == "command" and u.command is not None:
            return self._command(u.command)
        phase = self.state.phase
        if phase == "complaint":
            return self._complaint(u)
        if phase == "confirm":
            return self._confirm(u)
        if phase == "question":
            return self._answer(u, text)
        if phase == "summary":
            return self._summary_answer(u, text)
        if phase == "check":
            return self._check_answer(u)
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

    def _complaint(self, u: Understanding) -> list[Event]:
        text = u.heard.text
        matches = u.matches
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
        return self._out_of_scope()

    def _out_of_scope(self) -> list[Event]:
        """An opening the assistant cannot help with: once, say so; twice, end with the safety net."""
        self.state.phase = "complaint"
        self.state.candidate = None
        self.state.out_of_scope += 1
        if self.state.out_of_scope >= MAX_OUT_OF_SCOPE:
            return [Say(self.msg("out_of_scope_end"), role="fallback"), *self._end("completed")]
        return [Say(self.msg("fallback", topics=self._topics()), role="fallback"), self._ask_complaint(True)]

    def _confirm(self, u: Understanding) -> list[Event]:
        value = u.answer
        if value is None:
            return self._not_understood()
        intent = self.knowledge.intent(self.state.candidate or "")
        if value == "yes" and intent is not None:
            return self._begin(intent, self.state.candidate_score, self.state.complaint)
        return self._out_of_scope()

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

    def _answer(self, u: Understanding, text: str) -> list[Event]:
        intent = self.intent
        question = intent.question(self.state.current or "") if intent else None
        if intent is None or question is None:
            return self._not_understood()
        if self.state.probe is not None:
            return self._probe_answer(u, question, text)
        value: AnswerValue | None = u.answer
        if question.kind == "number" and isinstance(value, int) and question.range:
            low, high = question.range
            if not low <= value <= high:
                return [
                    Say(self.msg("number_out_of_range", low=str(low), high=str(high)), role="not_understood"),
                    self._ask_question(question),
                ]
        if value is None:
            if u.several and question.kind == "choice":
                return self._start_probe(question, preface="choice_one_by_one")
            return self._not_understood()
        return self._take(question, value, text)

    def _take(self, question: Question, value: AnswerValue, text: str) -> list[Event]:
        """Record an understood answer and go on."""
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
        result = Result(intent_id, "emergency", (), full, said)
        self.state.result = result
        self.state.complaint = self.state.complaint or text
        events: list[Event] = [IntentMatched("emergency", 100, text), result]
        if self.settings.summary_path and self.intent is not None:
            events.append(self._summary(self.settings.summary_path))
        return events + self._end("completed")

    def _emergency_said(self, u: Understanding, text: str) -> list[Event]:
        """An emergency said at a red-flag question about it answers that question ("yes, my foot
        went white"): recorded, so the result names the likely causes. Otherwise acted on alone."""
        question = self._current_question()
        finding = u.emergency
        about_it = (
            question is not None
            and finding is not None
            and question.red_flag
            and question.kind == "yes_no"
            and finding.concept.id in self.knowledge.understander.asks_about(question)
        )
        if about_it and question is not None and self.state.probe is None and u.answer in ("yes", None):
            self._record(question, "yes", text)
            return [Answer(question.id, "yes", text), *self._result(emergency=True)]
        return self._global_emergency(text)

    # -- a possible emergency: one direct question ---------------------------------------
    def _check_emergency(self, finding: Finding, text: str) -> list[Event]:
        state = self.state
        state.checked.add(finding.concept.id)
        state.check, state.check_text, state.check_phase = finding, text, state.phase
        state.check_ask = state.last_ask
        state.phase = "check"
        return [
            self._remember(Ask(finding.concept.check, EMERGENCY_CHECK, "yes_no", ("yes", "no", "unsure")))
        ]

    def _check_answer(self, u: Understanding) -> list[Event]:
        state = self.state
        value = u.answer
        if value == "yes":
            return self._global_emergency(state.check_text)
        if value == "unsure":
            seen = state.unsure[EMERGENCY_CHECK] = state.unsure.get(EMERGENCY_CHECK, 0) + 1
            if seen >= 2:
                return self._global_emergency(state.check_text, self.msg("red_flag_assumed"))
            return [Say(self.msg("red_flag_unsure"), role="reprompt"), *self._reask()]
        if value != "no":
            return self._not_understood()
        # Not an emergency: what was said is understood as if the check had not been needed.
        state.phase, state.last_ask, state.check = state.check_phase, state.check_ask, None
        text = state.check_text
        return self._decide(self.knowledge.understander.understand(text, self._asked()), text)

    def _summary_answer(self, u: Understanding, text: str) -> list[Event]:
        value = u.answer if isinstance(u.answer, str) else None
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
        names = self.knowledge.system.words.level_names
        text = summarize(intent, self.state.complaint, answered, result, self.clock(), self.number, names)
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
        if ask is None:
            return [self._ask_complaint()]
        if self.state.prompts.get(ask.text, 0) >= MAX_SAME_PROMPT:
            return self._give_up(ask)
        return [self._remember(ask)]

    def _reask_plainly(self) -> list[Event]:
        if self.state.phase == "complaint":
            return [self._ask_complaint(True)]
        return [Say(self.msg("not_understood"), role="not_understood"), *self._reask()]

    def _not_understood(self) -> list[Event]:
        ask = self.state.last_ask
        if ask is None:
            return [self._ask_complaint(True)]
        if ask.question == COMPLAINT:
            return self._out_of_scope()
        misses = self.state.misses[ask.question] = self.state.misses.get(ask.question, 0) + 1
        if misses >= ASSUME_AFTER:
            return self._give_up(ask)
        question = self._current_question()
        if misses >= SIMPLER_AFTER and question is not None and self.state.probe is None:
            simpler = self._simpler(question)
            if simpler:
                return simpler
        if self.state.prompts.get(ask.text, 0) >= MAX_SAME_PROMPT:
            return self._give_up(ask)
        events: list[Event] = [Say(self.msg("not_understood"), role="not_understood")]
        if question is not None and question.reprompt and self.state.probe is None:
            return [*events, self._ask_question(question, text=question.reprompt)]
        hint = {"yes_no": "yes_no_reprompt", "number": "number_reprompt"}.get(ask.kind)
        if ask.kind == "choice":
            events.append(
                Say(self.msg("choice_reprompt", choices=self._choice_names(question)), role="reprompt")
            )
        elif hint:
            events.append(Say(self.msg(hint), role="reprompt"))
        return [*events, self._remember(ask)]

    def _simpler(self, question: Question) -> list[Event]:
        """The second miss: the question in a simpler form (empty when it has none)."""
        if question.kind == "choice":
            return self._start_probe(question, preface="choice_one_by_one")
        if probe_for(question, self.msg, self._joiners()) is not None:
            return self._start_probe(question, preface="simpler_preface")
        if question.kind == "yes_no":
            plain = question.reprompt or question.ask
            return [
                Say(self.msg("simpler_preface"), role="reprompt"),
                self._ask_question(question, text=plain),
            ]
        return []

    def _start_probe(self, question: Question, *, preface: str) -> list[Event]:
        probe = probe_for(question, self.msg, self._joiners())
        if probe is None:
            return self._not_understood()
        self.state.probe = probe
        return [Say(self.msg(preface), role="reprompt"), self._probe_ask(probe)]

    def _probe_ask(self, probe: Probe) -> Ask:
        return self._remember(
            Ask(
                fill(probe.prompt, emergency_number=self.number),
                probe.question,
                "yes_no",
                ("yes", "no", "unsure"),
            )
        )

    def _probe_answer(self, u: Understanding, question: Question, text: str) -> list[Event]:
        probe = self.state.probe
        assert probe is not None
        if u.answer == "yes":
            return self._take(question, probe.value, text)
        if u.answer == "unsure":
            return self._take(question, "unsure", text)
        if u.answer != "no":
            return self._not_understood()
        following = probe.next()
        if following is None:
            return self._take(question, probe.otherwise, text)
        self.state.probe = following
        return [self._probe_ask(following)]

    def _give_up(self, ask: Ask) -> list[Event]:
        """The third miss, or a prompt said too often: say what is assumed, and move on."""
        state = self.state
        if ask.question == COMPLAINT:
            return [Say(self.msg("out_of_scope_end"), role="fallback"), *self._end("completed")]
        if ask.question == CONFIRM:
            return self._out_of_scope()
        if ask.question == SAVE_SUMMARY:
            return [
                Say(self.msg("summary_declined")),
                Say(self.msg("anything_else")),
                *self._end("completed"),
            ]
        if ask.question == EMERGENCY_CHECK:
            return self._global_emergency(state.check_text, self.msg("assumed_urgent"))
        question = self._current_question()
        if question is None:
            return [Say(self.msg("stopped")), *self._end("stopped")]
        state.probe = None
        if question.red_flag:
            self._record(question, "yes", "")
            return [
                Answer(question.id, "yes", "", assumed=True),
                *self._result(emergency=True, preface=self.msg("assumed_urgent")),
            ]
        self._record(question, "unsure", "")
        return [
            Say(self.msg("assumed_unsure"), role="reprompt"),
            Answer(question.id, "unsure", "", assumed=True),
            *self._next(),
        ]

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


def _garbled(text: str) -> bool:
    """Input damaged on its way in, rather than something a person said."""
    return "\ufffd" in text or len(text) > MAX_CHARS or any(not ch.isprintable() for ch in text.strip())
