"""Emergencies said in a person's own words, found from concepts rather than a phrase list.

A concept (trouble breathing, chest pain, a cold white numb foot...) is a few patterns; a pattern
is parts (a word list such as ``{chest}``, or plain words) that must all be said within a few
words of each other in one clause (function words, the stopwords, do not count toward the
distance). A match does not count when it is denied ("no chest pain", "my chest doesn't hurt"),
long past, someone else's in the past, or part of an everyday phrase the concept lists under
``unless``. Weaker hints (``maybe`` patterns, ``alone`` ones said on their own, or a full pattern
said as a what-if) make a *possible* emergency: the dialog asks the concept's one check question.

A negation denies the symptom only when the symptom is what it applies to. It does not when it
denies the symptom's end ("won't stop hurting"), says there is more ("doesn't just hurt"),
compares ("never had pain like this"), denies a manner ("not breathing properly": the symptom),
or is an answer before a new clause ("no, it's my chest").
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
#: Written in a scope phrase ("in {year}"), a year before this one; a token no text can produce.
YEAR = "{year}"
_YEAR_MARK = "\x00year"
#: How many words may stand between a negation and the manner word it denies ("not breathing
#: very well").
MANNER_GAP = 2
#: The list of emergency numbers a configured number is added to.
NUMBERS_LIST = "emergency_number"


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
    #: Counts only said on its own (with nothing but padding words).
    alone: bool = False

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


def _is_year(word: str) -> bool:
    """A year before this one ("2015"), as a recognizer or a person writes it."""
    return len(word) == 4 and word.isdigit() and 1900 <= int(word) < datetime.date.today().year


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
        if _YEAR_MARK in phrase:
            return [
                (i, i + n)
                for i in range(len(self.words) - n + 1)
                if all(
                    _is_year(w) if p == _YEAR_MARK else w == p
                    for p, w in zip(phrase, self.words[i : i + n], strict=True)
                )
            ]
        return [(i, i + n) for i in self.at.get(phrase[0], ()) if tuple(self.words[i : i + n]) == phrase]

    def has(self, phrases: Iterable[Phrase]) -> bool:
        return any((p[0] in self.at or p[0] == _YEAR_MARK) and self.find(p) for p in phrases)

    def starts(self, phrases: Iterable[Phrase], at: int) -> bool:
        """Whether one of the phrases starts at word ``at``."""
        return any(tuple(self.words[at : at + len(p)]) == p for p in phrases)


class EmergencyDetector:
    """Finds the emergency concepts of the system file in what was said."""

    def __init__(
        self, rules: EmergencyRules, lists: WordLists, normalizer: Normalizer, phrases: Sequence[str] = ()
    ) -> None:
        def tok(text: str) -> Phrase:
            pieces = [tuple(normalizer.tokens(piece)) for piece in text.split(YEAR)]
            return tuple(w for n, piece in enumerate(pieces) for w in ((_YEAR_MARK,) if n else ()) + piece)

        def phrases_of(texts: Iterable[str]) -> tuple[Phrase, ...]:
            return tuple(p for p in (tok(t) for t in texts) if p)

        def words_of(texts: Iterable[str]) -> frozenset[str]:
            return frozenset(w for t in texts for w in tok(t))

        self.rules, self.lists, self.normalizer = rules, lists, normalizer
        self.window = rules.window
        self.negations = words_of(lists.negations)
        self.auxiliaries = words_of(lists.auxiliaries)
        self.light = normalizer.stopwords
        self.padding = words_of(lists.command_padding) | self.light | self.auxiliaries
        self.pronouns = words_of(lists.pronouns)
        scope = rules.scope
        self.long_past = phrases_of(scope.long_past)
        self.present = phrases_of(scope.present)
        self.recurring = phrases_of(scope.recurring)
        self.past_event = phrases_of(scope.past_event)
        self.other_people = phrases_of(scope.other_people)
        self.other_past = phrases_of(scope.other_past)
        self.hypothetical = phrases_of(scope.hypothetical)
        self.reassurance = phrases_of(scope.reassurance)
        self.ongoing = phrases_of((*scope.ongoing, *scope.not_only))
        self.comparisons = phrases_of(scope.comparisons)
        self.interjections = words_of(scope.interjections)
        #: What an interjection may open a new clause with: a pronoun, or one of these ("the").
        self.clause_openers = self.pronouns | words_of(scope.clause_openers)
        self.manner = words_of(scope.negated_manner)
        self.manner_unless = phrases_of(scope.manner_unless)
        self.continuing = phrases_of(scope.continuing)
        self.raising = phrases_of(scope.raising)
        self.unheard = {
            w: tok(negative) for said, negative in lists.unheard_negatives.items() for w in tok(said)
        }
        lists_by_name = {name: frozenset(phrases_of(members)) for name, members in rules.words.items()}

        def part(text: str) -> Part:
            name = list_name(text)
            return lists_by_name[name] if name is not None else frozenset(phrases_of([text]))

        compiled: list[_Compiled] = []
        for concept in rules.concepts:
            patterns = [_Pattern(tuple(part(p) for p in parts), True) for parts in concept.when]
            patterns += [_Pattern(tuple(part(p) for p in parts), False) for parts in concept.maybe]
            patterns += [_Pattern(tuple(part(p) for p in parts), False, True) for parts in concept.alone]
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
        #: Detectors that also know a configured emergency number, by number.
        self._numbered: dict[str, EmergencyDetector] = {}

    def with_number(self, number: str | None) -> EmergencyDetector:
        """This detector, with ``number`` (the configured emergency number, "000") one more of
        the ``emergency_number`` word list: "call 000" is then understood wherever it is set."""
        digits = "".join(ch for ch in number or "" if ch.isdigit())
        members = self.rules.words.get(NUMBERS_LIST)
        if not digits or members is None or digits in members:
            return self
        found = self._numbered.get(digits)
        if found is None:
            words = {**self.rules.words, NUMBERS_LIST: (*members, digits)}
            found = EmergencyDetector(replace(self.rules, words=words), self.lists, self.normalizer, ())
            found.concepts = found.concepts + tuple(c for c in self.concepts if c.concept.id == "said")
            found._index()
            self._numbered[digits] = found
        return found

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
        said_words = [w for c in clauses for w in c]
        for said in self._joined(clauses):
            clause = _Clause(self._manner_moved(self._raised(self._spelled(said))))
            near = sorted({n for w in clause.words_set for n in self._by_word.get(w, ())})
            if not near or self._out_of_scope(clause):
                continue
            for compiled in (self.concepts[n] for n in near):
                found = self._in_clause(compiled, clause, said_words)
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

    def _joined(self, clauses: Sequence[Sequence[str]]) -> list[list[str]]:
        """The clauses, a clause that only qualifies the one before joined to it ("I can breathe,
        but only just")."""
        out: list[list[str]] = []
        for said in clauses:
            if out and _Clause(said).starts(self.continuing, 0):
                out[-1] = [*out[-1], *said]
            else:
                out.append(list(said))
        return out

    def _meant_as(self, word: str) -> str:
        """The known word a long unknown word was meant as (itself if none)."""
        meant = self._meant.get(word)
        if meant is None:
            best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
            meant = best[0] if best is not None else word
            if len(self._meant) >= FUZZY_MEMORY:
                self._meant.clear()
            self._meant[word] = meant
        return meant

    def _spelled(self, clause: Sequence[str]) -> list[str]:
        """The clause with long unknown words replaced by the known word they were meant as, and
        a word a recognizer split in two put together ("amber lance", "para medic")."""
        out: list[str] = []
        i = 0
        while i < len(clause):
            word = clause[i]
            if i + 1 < len(clause):
                second = clause[i + 1]
                joined = word + second
                if (
                    word not in self._known  # a word known as it is was not split ("confused by")
                    and second not in self._known
                    and second not in self.light
                    and word not in self.negations
                    and len(joined) >= FUZZY_MIN_LENGTH
                    and (joined in self._known or self._meant_as(joined) != joined)
                ):
                    out.append(self._meant_as(joined) if joined not in self._known else joined)
                    i += 2
                    continue
            if len(word) >= FUZZY_MIN_LENGTH and word not in self._known:
                word = self._meant_as(word)
            out.append(word)
            i += 1
        return out

    def _raised(self, words: list[str]) -> list[str]:
        """A negation before "think" moved to the "can" after it: "I do not think I can breathe"
        is read "I think I cannot breathe" (the negatives are the ``unheard_negatives``)."""
        clause = _Clause(words)
        for i, word in enumerate(words):
            if word not in self.negations:
                continue
            k = i + 1
            while k < len(words) and words[k] in self.auxiliaries and not clause.starts(self.raising, k):
                k += 1
            raised = next((p for p in self.raising if clause.starts((p,), k)), None)
            if raised is None:
                continue
            for j in range(k + len(raised), min(len(words), k + len(raised) + MANNER_GAP + 1)):
                negative = self.unheard.get(words[j])
                if negative is not None:
                    return [*words[:i], *words[i + 1 : j], *negative, *words[j + 1 :]]
        return words

    def _manner_moved(self, words: list[str]) -> list[str]:
        """A negation put next to the manner word it denies: "not breathing properly" is read
        "breathing not properly", which the concepts' words name (the symptom, not its denial)."""
        clause = _Clause(words)
        skip = {i for p in self.manner_unless for s, e in clause.find(p) for i in range(s, e)}
        for i, word in enumerate(words):
            if word not in self.negations:
                continue
            for j in range(i + 1, min(len(words), i + MANNER_GAP + 2)):
                if words[j] in self.negations:
                    break
                if words[j] in self.manner and j not in skip:
                    if j > i + 1:
                        return [*words[:i], *words[i + 1 : j], word, *words[j:]]
                    break
        return words

    def _in_clause(self, compiled: _Compiled, clause: _Clause, said: Sequence[str]) -> Finding | None:
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
            if pattern.alone and not self._alone(clause, covered, said):
                continue
            if self._denied(clause, start, end, covered):
                denied = True
                continue
            if self._past_event(clause, start) or self._long_past(clause, start, end):
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
        words = clause.words
        best: tuple[int, int, frozenset[int]] | None = None
        for combo in itertools.islice(itertools.product(*places), 2000):
            covered = [i for s, e in combo for i in range(s, e)]
            if len(covered) != len(set(covered)):
                continue  # two parts on the same words
            start, end = min(s for s, _ in combo), max(e for _, e in combo)
            if end - start > self.window and not self._near(words, start, end, set(covered)):
                continue
            if best is None or end - start < best[1] - best[0]:
                best = (start, end, frozenset(covered))
        return best

    def _near(self, words: Sequence[str], start: int, end: int, covered: set[int]) -> bool:
        """The span is within the window once function words between the parts are left out
        ("pain in my upper back when I take a deep breath")."""
        weight = sum(1 for i in range(start, end) if i in covered or words[i] not in self.light)
        return weight <= self.window

    def _alone(self, clause: _Clause, covered: frozenset[int], said: Sequence[str]) -> bool:
        """Nothing but the pattern and padding words was said ("please, I need help")."""
        own = {clause.words[i] for i in covered}
        return all(w in self.padding or w in own for w in said)

    # -- negation and scope ------------------------------------------------------------
    def _denied(self, said: _Clause, start: int, end: int, covered: frozenset[int]) -> bool:
        clause = said.words
        i = start - 1
        while i >= 0 and clause[i] in self.auxiliaries:
            i -= 1
        if i >= 0 and clause[i] in self.negations and self._denies(said, i):
            return True  # "no chest pain", "I do not have any chest pain"
        inside = (j for j in range(start, end) if j not in covered)
        if any(clause[j] in self.negations and self._denies(said, j) for j in inside):
            return True  # "my chest does not hurt"
        tail = clause[end:]
        only_denial = all(w in self.negations or w in self.auxiliaries for w in tail)
        if tail and only_denial and any(w in self.negations for w in tail):
            return True  # "chest pain no"
        return self._reassured(said, start)

    def _denies(self, clause: _Clause, i: int) -> bool:
        """Whether the negation at ``i`` denies the symptom, rather than its end ("will not stop
        hurting"), its being all ("does not just hurt"), a comparison ("never had pain like
        this"), or being an answer before a new clause ("no, it is my chest")."""
        words = clause.words
        after = i + 1
        if words[i] in self.interjections and after < len(words) and words[after] in self.clause_openers:
            return False
        k = after
        while k < len(words) and words[k] in self.auxiliaries:
            k += 1
        if clause.starts(self.ongoing, after) or clause.starts(self.ongoing, k):
            return False
        return not any(s > i for p in self.comparisons for s, _ in clause.find(p))

    def _past_event(self, clause: _Clause, start: int) -> bool:
        """The match is an event said as past, right after "after my", "since my" ("tablets
        after my heart attack"), unless the clause brings it to now."""
        ends = {e for p in self.past_event for _, e in clause.find(p)}
        return start in ends and not clause.has(self.present)

    def _reassured(self, clause: _Clause, start: int) -> bool:
        """ "my breathing is fine" (but not "not fine"). Only what is said of the symptom, after
        it: said before, a reassurance is how things were or a word of agreement ("she was fine,
        then she collapsed", "okay, my chest hurts")."""
        for phrase in self.reassurance:
            for s, _ in clause.find(phrase) if phrase[0] in clause.at else ():
                if s > start and clause.words[s - 1] not in self.negations:
                    return True
        return False

    def _long_past(self, clause: _Clause, start: int, end: int) -> bool:
        """The match is long past: a long-past word is nearer it than any present one ("I had a
        heart attack years ago and now I have chest pain": the heart attack, not the chest pain)."""

        def distance(phrases: Sequence[Phrase]) -> int | None:
            spans = [span for p in phrases for span in clause.find(p)]
            gaps = [max(s - end, start - e, 0) for s, e in spans]
            return min(gaps) if gaps else None

        past = distance(self.long_past)
        if past is None or clause.has(self.recurring):
            return False
        now = distance(self.present)
        return now is None or past < now

    def _out_of_scope(self, clause: _Clause) -> bool:
        if clause.has(self.long_past) and not clause.has(self.present) and not clause.has(self.recurring):
            return True  # all of it long past (quick: no concept matched)
        if not clause.has(self.other_people) or clause.has(self.present):
            return False  # "my mum collapsed just now", "she was fine this morning, now she can't breathe"
        # Someone else's past counts, unless it is only how things were before, a past word right
        # before a reassurance ("she was fine, then she collapsed", "he was perfectly okay").
        before = {s - gap for p in self.reassurance for s, _ in clause.find(p) for gap in (0, 1)}
        return any(e not in before for p in self.other_past for _, e in clause.find(p))

    def _hypothetical(self, clause: _Clause, start: int) -> bool:
        return any(s < start for p in self.hypothetical if p[0] in clause.at for s, _ in clause.find(p))

    # -- for speech vocabularies ---------------------------------------------------------
    def phrases(self) -> list[str]:
        """Every word and phrase the concepts can match, normalised."""
        return sorted(
            {" ".join(ph) for c in self.concepts for pat in c.patterns for p in pat.parts for ph in p}
        )
