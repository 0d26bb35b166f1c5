"""Emergencies said in a person's own words, found from concepts rather than a phrase list.

A concept (trouble breathing, chest pain, a cold white numb foot...) is a few patterns; a pattern
is parts (a word list such as ``{chest}``, or plain words) that must all be said within a few
words of each other in one clause. A match does not count when it is denied ("no chest pain",
"my chest doesn't hurt"), long past, someone else's in the past, or part of an everyday phrase
the concept lists under ``unless``. Weaker hints (``maybe`` patterns, or a full pattern said as
a what-if) make a *possible* emergency: the dialog asks the concept's one check question.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from assistant.base.language import Concept, EmergencyRules, WordLists, list_name
from assistant.understanding.normalize import Normalizer

Phrase = tuple[str, ...]
#: A part of a pattern: every phrase that may fill it.
Part = frozenset[Phrase]
#: Unknown words this long or longer may stand for a known word (typing slips: "ambulanse").
FUZZY_MIN_LENGTH = 7
FUZZY_SCORE = 86
#: How many looked-up words are remembered (bounded, for long runs).
FUZZY_MEMORY = 5000


@dataclass(frozen=True)
class Finding:
    """An emergency concept found in an utterance."""

    concept: Concept
    #: False: only a hint of it was said (ask the concept's check question).
    certain: bool
    #: The words that matched.
    heard: str


@dataclass(frozen=True)
class _Pattern:
    parts: tuple[Part, ...]
    certain: bool

    @cached_property
    def firsts(self) -> tuple[frozenset[str], ...]:
        """For each part, the words its phrases start with: a quick test before matching."""
        return tuple(frozenset(phrase[0] for phrase in part) for part in self.parts)

    def possible(self, words: frozenset[str]) -> bool:
        return all(not first.isdisjoint(words) for first in self.firsts)


@dataclass(frozen=True)
class _Compiled:
    concept: Concept
    patterns: tuple[_Pattern, ...]
    unless: tuple[Phrase, ...]


class _Clause:
    """The words of one clause, indexed by word for quick look-ups."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.words_set = frozenset(self.words)
        self.at: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            self.at.setdefault(word, []).append(i)

    def find(self, phrase: Phrase) -> list[tuple[int, int]]:
        n = len(phrase)
        return [(i, i + n) for i in self.at.get(phrase[0], ()) if tuple(self.words[i : i + n]) == phrase]

    def has(self, phrases: Iterable[Phrase]) -> bool:
        return any(p[0] in self.at and self.find(p) for p in phrases)


class EmergencyDetector:
    """Finds the emergency concepts of the system file in what was said."""

    def __init__(
        self, rules: EmergencyRules, lists: WordLists, normalizer: Normalizer, phrases: Sequence[str] = ()
    ) -> None:
        def tok(text: str) -> Phrase:
            return tuple(normalizer.tokens(text))

        def phrases_of(texts: Iterable[str]) -> tuple[Phrase, ...]:
            return tuple(p for p in (tok(t) for t in texts) if p)

        self.window = rules.window
        self.negations = frozenset(w for n in lists.negations for w in tok(n))
        self.auxiliaries = frozenset(w for a in lists.auxiliaries for w in tok(a))
        scope = rules.scope
        self.long_past = phrases_of(scope.long_past)
        self.other_people = phrases_of(scope.other_people)
        self.other_past = phrases_of(scope.other_past)
        self.hypothetical = phrases_of(scope.hypothetical)
        self.reassurance = phrases_of(scope.reassurance)
        lists_by_name = {name: frozenset(phrases_of(members)) for name, members in rules.words.items()}

        def part(text: str) -> Part:
            name = list_name(text)
            return lists_by_name[name] if name is not None else frozenset(phrases_of([text]))

        compiled: list[_Compiled] = []
        for concept in rules.concepts:
            patterns = [_Pattern(tuple(part(p) for p in parts), True) for parts in concept.when]
            patterns += [_Pattern(tuple(part(p) for p in parts), False) for parts in concept.maybe]
            compiled.append(_Compiled(concept, tuple(patterns), phrases_of(concept.unless)))
        # The system file's plain emergency phrases count too (and are the only ones when the
        # file defines no concepts): one concept, each phrase one pattern of its words.
        self.concepts = tuple(compiled)
        self._index()
        said = [p for p in phrases_of(phrases) if not self.concepts_in([p], hints=False)]
        if said:
            concept = Concept("said", "an emergency phrase", "", tuple((p,) for p in phrases))
            compiled.append(_Compiled(concept, tuple(_Pattern((frozenset([p]),), True) for p in said), ()))
        self.concepts = tuple(compiled)
        self._index()
        self.vocabulary = sorted(
            {w for c in compiled for pat in c.patterns for part_ in pat.parts for ph in part_ for w in ph}
        )
        self._known = frozenset(self.vocabulary)
        #: Long unknown words already looked up, and the known word each stands for.
        self._meant: dict[str, str] = {}

    def _index(self) -> None:
        #: Word -> the concepts (by position) one of whose phrases starts with it.
        self._by_word: dict[str, set[int]] = {}
        for n, c in enumerate(self.concepts):
            for pat in c.patterns:
                for first in pat.firsts:
                    for word in first:
                        self._by_word.setdefault(word, set()).add(n)

    # -- finding -------------------------------------------------------------------------
    def detect(self, clauses: Sequence[Sequence[str]]) -> Finding | None:
        """The first certain finding, else the first possible one, else None."""
        maybe: Finding | None = None
        for said in clauses:
            clause = _Clause(self._spelled(said))
            near = sorted({n for w in clause.words_set for n in self._by_word.get(w, ())})
            if not near or self._out_of_scope(clause):
                continue
            for compiled in (self.concepts[n] for n in near):
                found = self._in_clause(compiled, clause)
                if found is not None and found.certain:
                    return found
                if found is not None and maybe is None:
                    maybe = found
        return maybe

    def concepts_in(self, clauses: Sequence[Sequence[str]], *, hints: bool = True) -> frozenset[str]:
        """Every concept named in a text (with ``hints``, even as a hint), e.g. in a red-flag
        question's own words."""
        found: set[str] = set()
        for said in clauses:
            clause = _Clause(said)
            for compiled in self.concepts:
                patterns = [p for p in compiled.patterns if hints or p.certain]
                if any(self._match(p, clause) is not None for p in patterns):
                    found.add(compiled.concept.id)
        return frozenset(found)

    def _spelled(self, clause: Sequence[str]) -> list[str]:
        """The clause with long unknown words replaced by the known word they were meant as."""
        out = list(clause)
        for i, word in enumerate(out):
            if len(word) >= FUZZY_MIN_LENGTH and word not in self._known:
                meant = self._meant.get(word)
                if meant is None:
                    best = process.extractOne(
                        word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE
                    )
                    meant = best[0] if best is not None else word
                    if len(self._meant) >= FUZZY_MEMORY:
                        self._meant.clear()
                    self._meant[word] = meant
                out[i] = meant
        return out

    def _in_clause(self, compiled: _Compiled, clause: _Clause) -> Finding | None:
        candidates = [p for p in compiled.patterns if p.possible(clause.words_set)]
        if not candidates or clause.has(compiled.unless):
            return None
        weak: Finding | None = None
        denied = False
        for pattern in candidates:
            if not pattern.certain and (weak is not None or denied):
                continue  # a hint of what was just denied is no hint ("no trouble breathing")
            span = self._match(pattern, clause)
            if span is None:
                continue
            start, end, covered = span
            if self._denied(clause, start, end, covered):
                denied = True
                continue
            certain = pattern.certain and not self._hypothetical(clause, start)
            finding = Finding(compiled.concept, certain, " ".join(clause.words[start:end]))
            if certain:
                return finding
            weak = weak or finding
        return weak

    def _match(self, pattern: _Pattern, clause: _Clause) -> tuple[int, int, frozenset[int]] | None:
        """The tightest placement of every part in the clause, if they fit in the window."""
        places = []
        for part in pattern.parts:
            spots = [s for phrase in part if phrase[0] in clause.at for s in clause.find(phrase)]
            if not spots:
                return None
            places.append(spots)
        best: tuple[int, int, frozenset[int]] | None = None
        for combo in itertools.islice(itertools.product(*places), 2000):
            covered = [i for s, e in combo for i in range(s, e)]
            if len(covered) != len(set(covered)):
                continue  # two parts on the same words
            start, end = min(s for s, _ in combo), max(e for _, e in combo)
            if end - start > self.window:
                continue
            if best is None or end - start < best[1] - best[0]:
                best = (start, end, frozenset(covered))
        return best

    # -- negation and scope ------------------------------------------------------------
    def _denied(self, said: _Clause, start: int, end: int, covered: frozenset[int]) -> bool:
        clause = said.words
        i = start - 1
        while i >= 0 and clause[i] in self.auxiliaries:
            i -= 1
        if i >= 0 and clause[i] in self.negations:
            return True  # "no chest pain", "I do not have any chest pain"
        if any(clause[j] in self.negations for j in range(start, end) if j not in covered):
            return True  # "my chest does not hurt"
        tail = clause[end:]
        only_denial = all(w in self.negations or w in self.auxiliaries for w in tail)
        if tail and only_denial and any(w in self.negations for w in tail):
            return True  # "chest pain no"
        return self._reassured(said)

    def _reassured(self, clause: _Clause) -> bool:
        """ "my breathing is fine" (but not "not fine")."""
        for phrase in self.reassurance:
            for s, _ in clause.find(phrase) if phrase[0] in clause.at else ():
                if not (s > 0 and clause.words[s - 1] in self.negations):
                    return True
        return False

    def _out_of_scope(self, clause: _Clause) -> bool:
        if clause.has(self.long_past):
            return True
        return clause.has(self.other_people) and clause.has(self.other_past)

    def _hypothetical(self, clause: _Clause, start: int) -> bool:
        return any(s < start for p in self.hypothetical if p[0] in clause.at for s, _ in clause.find(p))

    # -- for speech vocabularies ---------------------------------------------------------
    def phrases(self) -> list[str]:
        """Every word and phrase the concepts can match, normalised."""
        return sorted(
            {" ".join(ph) for c in self.concepts for pat in c.patterns for p in pat.parts for ph in p}
        )
