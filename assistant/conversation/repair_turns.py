"""Repair that ends: what the dialog does when an answer is not understood.

The first miss gets the question's own reprompt; the second, a simpler form (a choice one option
at a time, a compound question in its parts, or the plain-words version); the third says what is
assumed (for a red flag: yes, to be safe) and moves on. No prompt is said more than four times.
"""

from __future__ import annotations

from assistant.base.events import (
    Answer,
    Ask,
    Event,
    Say,
)
from assistant.base.intents import Question
from assistant.conversation.dialog_core import (
    ASSUME_AFTER,
    COMPLAINT,
    CONFIRM,
    EMERGENCY_CHECK,
    MAX_SAME_PROMPT,
    SAVE_SUMMARY,
    SIMPLER_AFTER,
    DialogCore,
)
from assistant.conversation.probe import NONE_CHOICE, Probe, probe_for
from assistant.conversation.triage import fill
from assistant.understanding.understand import Expecting, Understanding


class RepairTurns(DialogCore):
    """Asking again, more simply, then assuming: added to the core steps."""

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
                fill(probe.prompt, **self._filled()),
                probe.question,
                "yes_no",
                ("yes", "no", "unsure"),
            )
        )

    def _probe_answer(self, u: Understanding, question: Question, text: str) -> list[Event]:
        probe = self.state.probe
        assert probe is not None
        if probe.confirming and question.kind != "yes_no" and u.answer != "yes":
            # "You mentioned sunburn. Is that right?" "No, it was a bite": an answer to the
            # question itself counts ("no" alone is not "none of these").
            understander, expecting = self.knowledge.understander, Expecting(question.kind, question)
            words = understander.hearing.words(text)
            for said in (text, " ".join(words[1:])):  # with and without the leading "no"
                meant = understander.understand(said, expecting)
                if meant.answer is not None and not meant.several and meant.answer != NONE_CHOICE:
                    return self._take(question, meant.answer, text)
        if u.answer == "yes":
            if probe.confirming:
                return self._take(question, probe.value, probe.confirming, mentioned=True)
            return self._take(question, probe.value, text)
        if u.answer not in ("no", "unsure"):
            return self._not_understood()
        if u.answer == "unsure" and probe.otherwise is not None:
            return self._take(question, "unsure", text)
        following = probe.next()
        if following is None:
            if probe.otherwise is None:
                # A fact said in passing turned out wrong or unsure: the question itself is asked.
                self.state.probe = None
                return [self._ask_question(question)]
            return self._take(question, probe.otherwise, text)
        self.state.probe = following
        return [self._probe_ask(following)]

    def _give_up(self, ask: Ask) -> list[Event]:
        """The third miss, or a prompt said too often: say what is assumed, and move on."""
        state = self.state
        if ask.question == COMPLAINT:
            return [Say(self.msg("out_of_scope_end"), role="fallback"), *self._end("out_of_scope")]
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
