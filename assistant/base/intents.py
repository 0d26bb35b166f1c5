"""The intent model: what the YAML files say, as typed, validated data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from assistant.base.conditions import Condition
from assistant.base.events import QuestionKind, TriageLevel
from assistant.base.language import EmergencyRules, WordLists
from assistant.base.settings import DEFAULT_EMERGENCY_NUMBER, TurnWindows
from assistant.base.templates import Template


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""

    def cite(self) -> str:
        return f"{self.title} ({self.url})" if self.url else self.title


@dataclass(frozen=True)
class Choice:
    id: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    ask: str
    reprompt: str = ""
    explain: str = ""
    red_flag: bool = False
    ask_if: Condition | None = None
    choices: tuple[Choice, ...] = ()
    range: tuple[int, int] | None = None
    #: Extra words for yes / no / unsure, on top of the system vocabulary.
    answer_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    #: A short clinical label for summaries ("Calf tenderness"); the question itself when empty.
    label: str = ""
    #: Answer value -> phrases that give it when said in passing, at the opening or in any answer
    #: ("I had my hip done": yes to recent surgery; "both my calves": no to "only one leg?";
    #: "sunburnt": the sunburn choice). A yes phrase denied in the same clause ("I haven't got a
    #: temperature") means no, except for a red flag; a hedged one ("maybe sunburn") is confirmed.
    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Asked to confirm an uncertain mention ("You said you'd had an operation recently. Is that
    #: right?"); a general wording naming what was said is used when empty.
    confirm: str = ""

    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class Weighted:
    """A condition and the number it adds (to a score or to a cause's weight)."""

    when: Condition
    add: float
    text: str


@dataclass(frozen=True)
class Score:
    id: str
    description: str
    points: tuple[Weighted, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cause:
    id: str
    name: str
    says: str
    advice: str = ""
    base: float = 0.0
    evidence: tuple[Weighted, ...] = ()
    sources: tuple[str, ...] = ()
    #: How urgent the cause's own advice is. A result never names only causes more urgent than
    #: itself (see conversation/triage.py); None: not stated.
    level: TriageLevel | None = None


@dataclass(frozen=True)
class TriageRule:
    level: TriageLevel
    when: Condition
    when_text: str
    say: str
    #: Spoken last: what would make it more urgent. Emergency rules have none.
    safety_net: str = ""
    sources: tuple[str, ...] = ()
    #: The rule is for a condition a clinician has already diagnosed, unchanged: its result may
    #: name that condition even when the condition's own advice, for a new case, is more urgent.
    known_diagnosis: bool = False


@dataclass(frozen=True)
class Intent:
    """A symptom the assistant can talk through."""

    id: str
    title: str
    description: str
    phrases: tuple[str, ...]
    path: Path
    intro: str = ""
    keywords: tuple[str, ...] = ()
    #: heard word -> canonical word, applied before matching.
    synonyms: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    scores: tuple[Score, ...] = ()
    causes: tuple[Cause, ...] = ()
    triage: tuple[TriageRule, ...] = ()
    max_causes: int = 3
    #: Sentence templates (hassil syntax), checked and with their lists bound.
    templates: tuple[Template, ...] = ()
    #: The content's version, written in summaries so a clinician knows which content spoke.
    version: str = ""
    #: How questions name the part of the body the person named: part name -> the words for it
    #: ("foot": [foot, feet, sole, heel, toe]). ``{part}`` in a question is the part named in the
    #: opening, or the first part's name when none was.
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def template_sentences(self) -> tuple[str, ...]:
        """What the templates expand to, made on first use (start-up does not pay for it)."""
        return tuple(dict.fromkeys(s for t in self.templates for s in t.sentences()))

    def sentences(self) -> tuple[str, ...]:
        """Everything this intent can be said as: its plain phrases, then its expanded templates."""
        return tuple(dict.fromkeys((*self.phrases, *self.template_sentences)))

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def asking_order(self) -> tuple[Question, ...]:
        """Red flags first (in file order), then the other questions (in file order)."""
        flags = tuple(q for q in self.questions if q.red_flag)
        return flags + tuple(q for q in self.questions if not q.red_flag)


#: Every command the dialog understands at any prompt, and what it is for.
COMMANDS: dict[str, str] = {
    "emergency": "phrases that mean an emergency right now, acted on at any point",
    "stop": "end the conversation now",
    "repeat": "say the last question again",
    "go_back": "go back to the previous question",
    "help": "explain what the assistant can do and how to answer",
    "explain": "say why the current question is asked ('what do you mean?')",
    "greeting": "a hello; the assistant answers and asks again",
    "goodbye": "end the conversation politely",
}

#: Every sentence the dialog may say that does not belong to one symptom.
MESSAGES: dict[str, str] = {
    "greeting": "said first: one sentence, not a doctor, call {emergency_number} in an emergency",
    "ask_complaint": "the opening question",
    "complaint_reprompt": "the opening question again, after something not understood",
    "did_you_mean": "confirming a match; {title} is the intent's title",
    "result_common_causes": "no cause stands out; {causes} lists common causes that fit the answers",
    "fallback": "nothing matched; {topics} lists the intents' titles",
    "not_understood": "an answer was not understood (the question follows)",
    "help": "what the assistant can do and how to answer",
    "greeting_reply": "the answer to a hello",
    "no_explanation": "'what do you mean?' with no explanation written",
    "nothing_to_go_back_to": "'go back' at the first question",
    "going_back": "said before repeating the previous question",
    "stopped": "said when the person says stop",
    "goodbye": "said when the person says goodbye",
    "emergency": "the emergency message for the global emergency phrases",
    "emergency_fallback": "added when a red flag was answered yes but no emergency rule fired",
    "red_flag_unsure": "said before asking a red-flag question a second time",
    "red_flag_assumed": "said when an unsure red flag is counted as yes",
    "yes_no_reprompt": "how to answer a yes/no question",
    "choice_reprompt": "how to answer a choice question; {choices} lists the choices",
    "number_reprompt": "how to answer a number question",
    "number_out_of_range": "a number outside the question's range",
    "result_causes": "introduces the causes; {causes} lists their names",
    "result_no_causes": "when no cause stands out",
    "summary_offer": "asks whether to save a summary",
    "summary_saved": "said when a summary was written; {path} is where",
    "summary_declined": "said when no summary is wanted",
    "summary_failed": "said when the summary could not be written; {path} and {reason}",
    "no_speech": "reprompt after silence",
    "no_response": "said before ending after a second silence",
    "anything_else": "said after the result when the conversation is over",
    "out_of_scope_end": "said when the opening was out of scope twice: the general safety net, then the end",
    "simpler_preface": "said before a question not understood twice is asked in a simpler form",
    "choice_one_by_one": "said before the options of a choice question are asked one at a time",
    "choice_option": "one option of a choice question asked as a yes/no; {option} is its first word",
    "confirm_mention": "checks a fact said in passing after a hedge ('maybe'); {what} is what was said",
    "assumed_urgent": "a red flag (or an emergency check) not understood three times: the urgent assumption",
    "assumed_unsure": "a question not understood three times: taken as not sure, and the assistant moves on",
}


def merged(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Phrase tables joined key by key, in order."""
    out: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for key, phrases in table.items():
            out[key] = (*out.get(key, ()), *phrases)
    return out


@dataclass(frozen=True)
class SystemPack:
    """Sentences, commands and vocabulary that do not belong to one symptom."""

    language: str
    path: Path
    messages: dict[str, str]
    commands: dict[str, tuple[str, ...]]
    #: ``yes`` / ``no`` / ``unsure`` -> phrases that mean it.
    answers: dict[str, tuple[str, ...]]
    fillers: tuple[str, ...] = ()
    contractions: dict[str, str] = field(default_factory=dict)
    number_words: dict[str, int] = field(default_factory=dict)
    stopwords: tuple[str, ...] = ()
    #: Understood in text and free-form speech, not listened for by a constrained grammar.
    more_commands: dict[str, tuple[str, ...]] = field(default_factory=dict)
    more_answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: WordLists = field(default_factory=WordLists)
    emergencies: EmergencyRules = field(default_factory=EmergencyRules)
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    accept_score: int = 80
    confirm_score: int = 55
    turn_windows: TurnWindows = field(default_factory=TurnWindows)
    #: Messages written as a list of wordings: said in turn (``messages`` holds the first).
    message_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Hosts (and their subdomains) whose pages content may cite without a warning from check.
    trusted_publishers: tuple[str, ...] = ()

    @property
    def all_commands(self) -> dict[str, tuple[str, ...]]:
        """Every command phrase understood (the grammar's and the text-only ones)."""
        return merged(self.commands, self.more_commands)

    @property
    def all_answers(self) -> dict[str, tuple[str, ...]]:
        return merged(self.answers, self.more_answers)
