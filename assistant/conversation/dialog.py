"""The conversation: a state machine that takes what was said and returns events.

It never blocks and knows nothing of audio, threads, terminals or files: text in, events out.
State is plain data (:class:`ConversationState`), so a conversation can be inspected or copied.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from assistant.base.conditions import AnswerValue
from assistant.base.events import (
    Answer,
    Ask,
    Event,
    IntentMatched,
    Say,
)
from assistant.base.intents import Intent
from assistant.conversation.dialog_core import (
    COMPLAINT,
    CONFIRM,
    EMERGENCY_CHECK,
    MAX_SILENCES,
    SAVE_SUMMARY,
    ConversationState,
)
from assistant.conversation.expectation import NOTHING, Expectation
from assistant.conversation.repair_turns import RepairTurns
from assistant.conversation.triage import fill
from assistant.understanding.emergencies import Finding
from assistant.understanding.normalize import MAX_CHARS, clean
from assistant.understanding.phrases import answer_and_command_phrases
from assistant.understanding.understand import OPENING, Expecting, Understanding

__all__ = ["COMPLAINT", "CONFIRM", "SAVE_SUMMARY", "ConversationState", "Dialog"]

log = logging.getLogger(__name__)


class Dialog(RepairTurns):
    """One conversation. ``start()`` first, then ``handle(text)`` for every utterance."""

    def start(self) -> list[Event]:
        return [Say(self.msg("greeting"), role="disclaimer"), self._ask_complaint()]

    def handle(self, text: str, alternatives: Sequence[str] = (), *, spoken: bool = False) -> list[Event]:
        """One utterance from the person (typed, or what a recognizer heard: ``spoken``).

        ``alternatives``: what a recognizer also thought it heard (its other hypotheses, or a
        second hearing that disagreed). They can only raise a possible emergency or, at the
        opening, offer a better intent match: see
        :meth:`~assistant.understanding.understand.Understander.understand_hypotheses`.
        """
        if self.finished:
            return []
        garbled = _garbled(text)
        text = clean(text).strip()
        alternatives = [a for a in (clean(a).strip() for a in alternatives if not _garbled(a)) if a]
        self.state.silences = 0
        if garbled or (not text and not alternatives and self.state.phase == "complaint"):
            # Input damaged on the way (bad bytes, control characters, far too long), or nothing
            # said to the opening question: asked again, not counted against the person.
            return self._reask_plainly()
        understander = self.knowledge.understander
        understood = understander.understand_hypotheses(
            text, alternatives, self._asked(), spoken=spoken, emergency_number=self.number
        )
        finding = understood.emergency
        if understood.heard.text != text and finding is not None:
            # A possible emergency only another hearing had: checked once, never acted on blindly;
            # once checked, the best hearing counts.
            if finding.concept.id not in self.state.checked:
                return self._check_emergency(finding, understood.heard.text, best=text)
            understood = understander.understand(text, self._asked(), emergency_number=self.number)
        if not text and not understood.heard.words:
            return self._not_understood()  # speech heard but not recognized: a miss
        return self._decide(understood, understood.heard.text or text)

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
        """The input ended (Ctrl-D, end of a pipe). In the middle of the questions, the person
        hears the safety net (when to call the emergency number) before the end."""
        if self.finished:
            return []
        if self.intent is not None and self.pending is not None:
            return [Say(self.msg("stopped")), *self._end("end_of_input")]
        return self._end("end_of_input")

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
        phrases = answer_and_command_phrases(question, system, ask.kind)
        return Expectation(kind=ask.kind, question=ask.question, phrases=tuple(dict.fromkeys(phrases)))

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
        self._note_mentions(heard)
        if intent.intro:
            events.append(Say(fill(intent.intro, **self._filled())))
        return events + self._next()

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

    def _check_emergency(self, finding: Finding, text: str, best: str | None = None) -> list[Event]:
        state = self.state
        state.checked.add(finding.concept.id)
        state.check, state.check_text, state.check_phase = finding, text, state.phase
        state.check_best = best
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
        text = state.check_text if state.check_best is None else state.check_best
        if not text:
            return self._reask()
        understood = self.knowledge.understander.understand(text, self._asked(), emergency_number=self.number)
        return self._decide(understood, text)

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
            return [Say(fill(text, **self._filled()), role="explain"), *self._reask()]
        if command == "go_back":
            return self._go_back()
        log.warning("unknown command %r", command)
        return self._not_understood()

    def _go_back(self) -> list[Event]:
        state = self.state
        if state.phase == "question" and state.history:
            state.probe = None  # a question being asked one part at a time, or a check, is left
            previous = state.history.pop()
            state.answers.pop(previous, None)
            state.heard.pop(previous, None)
            state.unsure.pop(previous, None)
            state.in_passing.discard(previous)
            question = self.intent.question(previous) if self.intent else None
            if question is not None:
                state.current = previous
                return [Say(self.msg("going_back")), self._ask_question(question)]
        if state.phase == "confirm":
            state.phase = "complaint"
            return [Say(self.msg("going_back")), self._ask_complaint()]
        return [Say(self.msg("nothing_to_go_back_to")), *self._reask()]


def _garbled(text: str) -> bool:
    """Input damaged on its way in, rather than something a person said."""
    return "\ufffd" in text or len(text) > MAX_CHARS or any(not ch.isprintable() for ch in text.strip())
