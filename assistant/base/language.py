"""What the system file says about the language itself: small word lists, and emergency concepts.

Every English word the understanding code relies on lives here as data read from the system file
(``language:`` and ``emergencies:``), so rewording or translating needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Separates the parts of an emergency pattern: "{chest} + {chest_feeling}".
PART_JOIN = "+"


@dataclass(frozen=True)
class WordLists:
    """Small closed lists of words, each with one job in understanding."""

    #: Said sounds written many ways, replaced before anything else ("uh-huh" -> "yes").
    spoken_forms: dict[str, str] = field(default_factory=dict)
    #: Words a recognizer hears for their negative, which differs by a sound often swallowed
    #: ("can" for "can't"): word -> the negative ("cannot").
    unheard_negatives: dict[str, str] = field(default_factory=dict)
    #: Pronouns: one after a word of ``unheard_negatives`` makes a question ("can you").
    pronouns: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    auxiliaries: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...] = ()
    corrections: tuple[str, ...] = ()
    #: Words that make what follows uncertain ("maybe", "I think"): a fact said after one is
    #: confirmed before it is taken as an answer.
    hedges: tuple[str, ...] = ()
    command_padding: tuple[str, ...] = ()
    #: Denied, these make a reply unsure, not no: what is denied is knowing ("I don't really know").
    unknowing: tuple[str, ...] = ()
    #: Words that only strengthen or soften the next ("really", "entirely"): they may stand
    #: between a denial and a word of ``unknowing``.
    degree_words: tuple[str, ...] = ()
    #: Words of saying or thinking: a denial of one holding another denial is a double negative
    #: ("I wouldn't say it isn't"), whose polarity is unclear.
    saying_words: tuple[str, ...] = ()
    #: How sure someone is, not which answer ("I'm sure", "absolutely"): alone a yes; beside another
    #: answer they confirm it; straight after one of the other kind unclear ("no, absolutely").
    assurances: tuple[str, ...] = ()
    #: Words that, right after a denial, only play down an amount said before ("a bit, nothing
    #: major"): that denial is no no.
    minimisers: tuple[str, ...] = ()
    #: Words that open a question ("what do you mean"): a reply that asks is no yes or no.
    question_words: tuple[str, ...] = ()
    #: Words that only show the person is listening ("right", "okay"): two or more alone are no answer.
    acknowledgements: tuple[str, ...] = ()
    #: Words that name the question before ("the last one"): a yes/no reply naming it goes back.
    previous_question: tuple[str, ...] = ()
    #: Command name -> words that alone make a short reply that command, when it is no answer.
    command_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words about the conversation itself beyond the command phrases' (see
    #: :mod:`~assistant.understanding.commands`).
    conversation_words: tuple[str, ...] = ()
    #: Word -> position from 1 (-1 is the last choice).
    ordinals: dict[str, int] = field(default_factory=dict)
    several: tuple[str, ...] = ()
    #: Region -> the words that name a part of the body in it.
    body_regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Triage level -> its name in a written summary ("Urgent: be seen today").
    level_names: dict[str, str] = field(default_factory=dict)
    #: "and" / "or" -> the word used when a list is spoken.
    conjunctions: dict[str, str] = field(default_factory=dict)

    def conjunction(self, which: str) -> str:
        return self.conjunctions.get(which, which)


@dataclass(frozen=True)
class Concept:
    """One kind of emergency: its patterns and what to ask when only a hint of it was said."""

    id: str
    name: str
    check: str
    #: Each pattern is a tuple of parts; a part is "{list}" or plain words said together.
    when: tuple[tuple[str, ...], ...]
    maybe: tuple[tuple[str, ...], ...] = ()
    unless: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    #: Patterns that hint at the concept only said on their own ("I need help"); said with
    #: anything else (a complaint), they do not count.
    alone: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Scope:
    """Words that put a symptom out of the present, or on someone else."""

    #: Said in the clause, the symptom is long past ("years ago", "in {year}": a year before this one).
    long_past: tuple[str, ...] = ()
    #: Said in the same clause, a long-past marker no longer counts ("... and now it's back").
    present: tuple[str, ...] = ()
    #: Said in the clause, a long-past symptom is back ("again", "it's back").
    recurring: tuple[str, ...] = ()
    #: Said right before a match, it names an event in the past ("after my heart attack").
    past_event: tuple[str, ...] = ()
    other_people: tuple[str, ...] = ()
    other_past: tuple[str, ...] = ()
    hypothetical: tuple[str, ...] = ()
    reassurance: tuple[str, ...] = ()
    #: Right after a negation: the symptom goes on ("won't stop hurting", "not going away").
    ongoing: tuple[str, ...] = ()
    #: Right after a negation: more than that ("doesn't just hurt", "not only my leg").
    not_only: tuple[str, ...] = ()
    #: After a negation in the same clause: a comparison ("never had pain like this").
    comparisons: tuple[str, ...] = ()
    #: Denials said as an answer: before a pronoun they start a new clause ("no, it's my chest").
    interjections: tuple[str, ...] = ()
    #: Words that, like a pronoun, open a new clause after an interjection ("no, the pain is in
    #: my chest"): a denial is never followed by them ("no pain", "no chest pain").
    clause_openers: tuple[str, ...] = ()
    #: Manner words: a negation up to two words before denies the manner, not the symptom
    #: ("not breathing properly" is read "breathing not properly").
    negated_manner: tuple[str, ...] = ()
    #: Phrases in which a manner word is none ("right now", "as well").
    manner_unless: tuple[str, ...] = ()
    #: A negation before these belongs to the verb after them ("I don't think I can breathe").
    raising: tuple[str, ...] = ()
    #: A clause starting with these qualifies the one before ("I can breathe, but only just").
    continuing: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmergencyRules:
    """The emergency concepts of the system file (none: only ``commands: emergency`` phrases)."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concepts: tuple[Concept, ...] = ()
    scope: Scope = field(default_factory=Scope)
    window: int = 10
    #: Source id -> "title (url)".
    sources: dict[str, str] = field(default_factory=dict)


def pattern_parts(pattern: str) -> tuple[str, ...]:
    """ "{chest} + pain" -> ("{chest}", "pain")."""
    return tuple(part.strip() for part in pattern.split(PART_JOIN) if part.strip())


def list_name(part: str) -> str | None:
    """The word-list name of a part written "{name}", else None."""
    if part.startswith("{") and part.endswith("}"):
        return part[1:-1].strip()
    return None
