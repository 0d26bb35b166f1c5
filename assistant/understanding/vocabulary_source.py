"""Everything the text path can understand, as phrases and words, for speech-recognizer vocabularies.

The voice path must hear what the text path understands. :func:`vocabulary_source` lists it from
the loaded knowledge (never from Python lists):

- ``emergencies``: concept id -> phrases. Each pattern of a concept is expanded into the phrases
  its parts make, parts joined in the order written ("chest pain", "cannot breathe"), at most
  ``per_pattern`` of them; single parts (a word list alone) give all their members.
- ``commands``: command name -> its phrases (repeat, help, go_back, explain, stop, goodbye,
  greeting, and the plain emergency phrases), the system file's ``text_only`` ones included
  (those are kept out of the dialog's Expectation: a constrained grammar with many short
  look-alikes confuses "no" with "ya").
- ``answers``: "yes" / "no" / "unsure" -> phrases, and ``choice_extras``: ordinals and words for
  "several" ("the first one", "both") that answer any choice question.
- ``spoken_forms``: sounds and spellings written many ways ("uh huh", "nuh uh", "yeh") -> what they
  stand for. Kept apart: short look-alikes in a constrained grammar make a recognizer confuse
  "no" with "yah", so add them to a grammar only where they help.
- ``words()``: every single word of all of these, for a recognizer's dictionary.

Phrases are given as written in the system file (not normalised), so a recognizer sees ordinary
spelling. Intent phrases and choice words belong to the intent files (see ``voice/vocabulary.py``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from assistant.base.intents import SystemPack
from assistant.base.language import list_name

#: Phrases listed per emergency pattern, at most (a pattern of three lists can make thousands).
PER_PATTERN = 60


@dataclass(frozen=True)
class VocabularySource:
    emergencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    commands: dict[str, tuple[str, ...]] = field(default_factory=dict)
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    choice_extras: tuple[str, ...] = ()
    spoken_forms: dict[str, str] = field(default_factory=dict)

    def phrases(self) -> list[str]:
        """Every phrase, each once, in a stable order."""
        groups = [
            *self.emergencies.values(),
            *self.commands.values(),
            *self.answers.values(),
            self.choice_extras,
        ]
        return list(dict.fromkeys(p for group in groups for p in group))

    def words(self) -> list[str]:
        """Every word of every phrase, lowercased, each once, sorted."""
        return sorted({w for p in self.phrases() for w in p.lower().replace("-", " ").split()})


def vocabulary_source(system: SystemPack, per_pattern: int = PER_PATTERN) -> VocabularySource:
    """What the system file lets the assistant understand (see the module docstring)."""
    rules = system.emergencies

    def members(part: str) -> tuple[str, ...]:
        name = list_name(part)
        return rules.words.get(name, ()) if name is not None else (part,)

    emergencies: dict[str, tuple[str, ...]] = {}
    for concept in rules.concepts:
        found: list[str] = []
        for pattern in (*concept.when, *concept.maybe):
            combos = itertools.product(*(members(p) for p in pattern))
            found += [" ".join(c) for c in itertools.islice(combos, per_pattern)]
        emergencies[concept.id] = tuple(dict.fromkeys(found))
    extras = (*system.words.ordinals, *system.words.several)
    return VocabularySource(
        emergencies,
        system.all_commands,
        system.all_answers,
        tuple(extras),
        dict(system.words.spoken_forms),
    )
