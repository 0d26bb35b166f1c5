"""Understanding answers the way people give them: yes/no/unsure, a choice, or a number.

Every word list used here comes from the system file (``answers:`` and ``language:``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from assistant.base.intents import Question, SystemPack
from assistant.understanding.hearing import Hearing
from assistant.understanding.normalize import Normalizer

YesNo = str  # "yes" | "no" | "unsure"
#: A choice answer that names more than one option, or none in particular ("both", "yes").
SEVERAL = "several"


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    value: YesNo


@dataclass(frozen=True)
class _Found:
    value: YesNo
    #: A one-word answer ("yes", "nope"), not a statement ("it is") or a denial inside a sentence.
    strong: bool
    start: int
    end: int


class YesNoParser:
    """Longest-match over yes/no/unsure phrases, then a decision as English speakers mean it."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.hearing = Hearing(normalizer, system.words)
        lists = system.words
        self.negations = frozenset(w for n in lists.negations for w in normalizer.tokens(n))
        self.corrections = [tuple(normalizer.tokens(c)) for c in lists.corrections]
        self.base = self._compile(system.all_answers)
        self._tables: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, list[_Phrase]]] = {}

        def words_of(texts: Sequence[str]) -> frozenset[str]:
            return frozenset(w for t in texts for w in normalizer.tokens(t))

        def phrases_of(texts: Sequence[str]) -> list[tuple[str, ...]]:
            found = {tuple(normalizer.tokens(t)): None for t in texts}
            return sorted((p for p in found if p), key=len, reverse=True)

        self.unknowing = words_of(lists.unknowing)
        self.pronouns = words_of(lists.pronouns)
        # Between a denial and a word of knowing: degree words and auxiliaries ("haven't got a
        # clue"), never a pronoun ("no, I'm sure" is a no said with certainty).
        self.degree = (words_of(lists.degree_words) | words_of(lists.auxiliaries)) - self.pronouns
        self.saying = words_of(lists.saying_words)
        self.auxiliaries = words_of(lists.auxiliaries)
        #: Words that say nothing of their own after a statement ("I have *been a bit* ...").
        self.plain = (
            words_of(lists.auxiliaries)
            | words_of(lists.degree_words)
            | words_of(lists.pronouns)
            | normalizer.stopwords
        )
        self.joiners = words_of(tuple(lists.conjunctions.values())) | words_of(("nor",))
        self.breaks = words_of(lists.clause_breaks)
        self.assurances = phrases_of(lists.assurances)
        self.acknowledgements = phrases_of(lists.acknowledgements)
        self.minimisers = phrases_of(lists.minimisers)
        self.softeners = words_of(lists.degree_words)
        self.question_words = words_of(lists.question_words)
        #: Verbs a question opens with after its question word ("what *do* you mean", "how *can*
        #: I"): the auxiliaries that are no pronoun or degree word, and the modal verbs.
        self.question_verbs = (self.auxiliaries - self.pronouns - self.softeners) | words_of(
            tuple(lists.unheard_negatives)
        )
        # One-word answers are answers, not denials inside a statement ("no", "nope", "never").
        particles = frozenset(p.words[0] for p in self.base if len(p.words) == 1)
        negatives = frozenset(
            normalizer.tokens(n)[-1] for n in lists.unheard_negatives.values() if normalizer.tokens(n)
        )
        #: Words that deny inside a statement ("not", "cannot"): two in one thought cancel out.
        self.denials = (self.negations | negatives) - particles
        #: The one-word answers: a word said with letters drawn out ("yesss", "nooo") is one of them.
        self.vocabulary = particles
        runs: dict[str, list[str]] = {}
        for particle in sorted(particles):
            runs.setdefault(_one_of_each_run(particle), []).append(particle)
        #: A one-word answer by its letters with every run of one letter said once ("yes" and
        #: "yesss" are "yes"; "good" is "god"), when no other answer shares that form.
        self._drawn = {key: found[0] for key, found in runs.items() if len(found) == 1}

    def _compile(self, table: Mapping[str, tuple[str, ...]]) -> list[_Phrase]:
        # Insertion order kept (dict, not set) and a stable sort: the same words always win.
        phrases = {
            _Phrase(tuple(words), value): None
            for value, texts in table.items()
            for p in texts
            if (words := self.normalizer.tokens(p))
        }
        return sorted(phrases, key=lambda p: -len(p.words))

    def _table(self, extra: Mapping[str, tuple[str, ...]] | None) -> dict[str, list[_Phrase]]:
        """The phrases by their first word, longest first (built once per set of extra words)."""
        key = tuple(sorted(extra.items())) if extra else ()
        table = self._tables.get(key)
        if table is None:
            table = {}
            for p in (self._compile(extra) + self.base) if extra else self.base:
                table.setdefault(p.words[0], []).append(p)
            self._tables[key] = table
        return table

    def parse(self, text: str, extra: Mapping[str, tuple[str, ...]] | None = None) -> YesNo | None:
        return self.parse_words(self.hearing.words(text), extra)

    def parse_words(
        self,
        words: Sequence[str],
        extra: Mapping[str, tuple[str, ...]] | None = None,
        topic: frozenset[str] | None = None,
    ) -> YesNo | None:
        """The answer the words give; ``topic``: the stems (:func:`stem`) of the words of the
        question asked, when known: a statement ("I'm ...", "I have ...") answers yes only when
        what follows it is about the question ("I have been short of breath"), not when it is
        about something else ("I'm worried about it", "I have a question")."""
        if not words or self.asks(words):
            return None
        words = [self._undrawn(w) for w in words]
        table = self._table(extra)
        found = self._scan(words, table)
        if topic is not None:
            found = self._on_topic(words, found, topic)
        # "I'm not really sure" is unsure wherever the unsure words fall, unless they are part of a
        # longer answer ("probably not").
        for i, word in enumerate(words):
            for p in table.get(word, ()):
                n = len(p.words)
                if p.value == "unsure" and tuple(words[i : i + n]) == p.words and not _inside(i, n, found):
                    return "unsure"
        if self._denies_knowing(words):
            return "unsure"
        if not found or self._double_negative(words, found) or self._only_acknowledged(words):
            return None
        return self._decide(words, found)

    def asks(self, words: Sequence[str]) -> bool:
        """A reply that is a question, not an answer: one that opens with a question word and a
        verb ("what is a clot", "how does this work"), or that asks anywhere with the verb before
        a pronoun ("sorry, what do you mean by that exactly", "I'm lost, what do I do"). A
        question word in a statement ("yes, when I walk", "no, what I mean is ...") is none."""
        for i, word in enumerate(words[:-1]):
            if word not in self.question_words or words[i + 1] not in self.question_verbs:
                continue
            if i == 0 or (i + 2 < len(words) and words[i + 2] in self.pronouns):
                return True
        return False

    def _minimised(self, words: Sequence[str], i: int) -> int | None:
        """Where a denial at words[i] that only plays down an amount ends ("nothing major", "not
        too bad"), or None when it is a denial of its own."""
        if words[i] not in self.negations:
            return None
        j = i + 1
        while j < len(words) and words[j] in self.softeners:
            j += 1
        for m in self.minimisers:
            if tuple(words[j : j + len(m)]) == m:
                return j + len(m)
        return None

    def _on_topic(self, words: Sequence[str], found: list[_Found], topic: frozenset[str]) -> list[_Found]:
        """The answers found, without a yes statement followed by words of which none is the
        question's ("I'm 78", "it's gone down now"): a statement of something else is no answer."""
        kept = []
        for k, f in enumerate(found):
            if f.value == "yes" and not f.strong and f.end - f.start > 1 and words[f.start] in self.pronouns:
                stop = next((g.start for g in found[k + 1 :]), len(words))
                said = [w for w in words[f.end : stop] if w not in self.breaks and w not in self.plain]
                if said and not any(stem(w) in topic for w in said):
                    continue
            kept.append(f)
        return kept

    def _undrawn(self, word: str) -> str:
        """A word said or typed with letters drawn out ("yesss", "nooo") as the answer word it is.
        One pass over the word, whatever its length ("aabbccdd..." too)."""
        if word in self.vocabulary or len(word) < 3:
            return word
        key = _one_of_each_run(word)
        return word if key == word else self._drawn.get(key, word)

    def _denies_knowing(self, words: Sequence[str]) -> bool:
        """A denial of knowing, not of what was asked: "I don't really know", "haven't the
        foggiest", "I'm not entirely certain"; only degree words stand between ("no, I'm sure" has
        a pronoun between, and is a no)."""
        for i, word in enumerate(words):
            if word not in self.negations and word not in self.denials:
                continue
            j = i + 1
            while j < len(words) and words[j] in self.degree and words[j] not in self.unknowing:
                j += 1
            if j < len(words) and words[j] in self.unknowing:
                return True
        return False

    def _double_negative(self, words: Sequence[str], found: list[_Found]) -> bool:
        """Two denials in one thought, the second inside what the first denies: "it's not not
        swollen", "I wouldn't say it isn't", "I don't think it's not". Only words of saying,
        auxiliaries and pronouns stand between; a joined list of denials ("not red and not hot")
        and a restated answer ("I haven't, not at all") are not one."""
        restated = {
            f.start
            for f in found
            if f.value == "no"
            and f.end - f.start > 1
            and not self.saying.intersection(words[f.start : f.end])
        }
        at = [i for i, w in enumerate(words) if w in self.denials and i not in restated]
        between_ok = self.saying | self.auxiliaries | self.pronouns | self.degree
        for first, second in pairwise(at):
            between = words[first + 1 : second]
            if all(w in between_ok and w not in self.joiners and w not in self.breaks for w in between):
                return True
        return False

    def _only_acknowledged(self, words: Sequence[str]) -> bool:
        """Two or more words of listening and nothing else ("right, okay"): no answer."""
        i, count = 0, 0
        while i < len(words):
            phrase = next((a for a in self.acknowledgements if tuple(words[i : i + len(a)]) == a), None)
            if phrase is None:
                return False
            i, count = i + len(phrase), count + 1
        return count >= 2

    def _scan(self, words: Sequence[str], table: dict[str, list[_Phrase]]) -> list[_Found]:
        found: list[_Found] = []
        i = 0
        while i < len(words):
            # A denial that plays down an amount said before is no no: "a bit, nothing major".
            minimised = self._minimised(words, i) if any(f.value == "yes" for f in found) else None
            if minimised is not None:
                i = minimised
                continue
            for p in table.get(words[i], ()):
                n = len(p.words)
                if tuple(words[i : i + n]) == p.words:
                    value = p.value
                    # A yes followed straight by a denial is a no: "certainly not", "I have never";
                    # not when the denial starts an answer of another kind ("yes, no doubt").
                    if (
                        value == "yes"
                        and i + n < len(words)
                        and words[i + n] in self.negations
                        and not self._starts_other(words, i + n, table)
                        and self._minimised(words, i + n) is None
                    ):
                        value, n = "no", n + 1
                    # Strong: a one-word answer, or one that ends in a denial ("definitely not").
                    strong = len(p.words) == 1 or (value == "no" and words[i + n - 1] in self.negations)
                    found.append(_Found(value, strong, i, i + n))
                    i += n
                    break
            else:
                if words[i] in self.negations:
                    found.append(_Found("no", False, i, i + 1))
                i += 1
        return found

    @staticmethod
    def _starts_other(words: Sequence[str], i: int, table: dict[str, list[_Phrase]]) -> bool:
        """A phrase of more than one word that is not a no starts at words[i] ("no doubt")."""
        return any(
            len(p.words) > 1 and p.value != "no" and tuple(words[i : i + len(p.words)]) == p.words
            for p in table.get(words[i], ())
        )

    def _decide(self, words: Sequence[str], found: list[_Found]) -> YesNo | None:
        # What follows a correction counts ("yes, I mean no", "no wait, yes").
        for correction in self.corrections:
            for start in positions(words, correction):
                after = [f for f in found if f.start >= start + len(correction)]
                if after:
                    return after[-1].value
        assured = self._assured(words, found)
        if assured is None:
            return None
        found = assured
        values = {f.value for f in found}
        if len(values) == 1:
            return found[0].value
        # Answers of both kinds joined ("yes and no", "no or yes"): unclear.
        for a, b in pairwise(found):
            joined = words[a.end : b.start]
            if a.value != b.value and joined and all(w in self.joiners for w in joined):
                return None
        # A run of answer words at the start is decided by its last one: "yeah no" is no,
        # "no yeah, it is" is yes, unless a plain answer of the other kind follows.
        run = [found[0]] if found[0].start == 0 and found[0].strong else []
        for f in found[1:]:
            if run and f.strong and f.start == run[-1].end:
                run.append(f)
            else:
                break
        if run:
            # Then the last plain answer counts ("yeah, definitely not" is no), but a single word
            # inside a sentence is a word, not an answer ("no, I sit right by the heater").
            later = [
                f for f in found[len(run) :] if f.strong and (f.end == len(words) or f.end - f.start > 1)
            ]
            return (later or run)[-1].value
        return None

    def _assured(self, words: Sequence[str], found: list[_Found]) -> list[_Found] | None:
        """The answers found without those that only say how sure someone is, when there are
        others ("no, I'm sure", "nah, she'll be right", "I'm sure it isn't"); None when a bare
        assurance of the other kind follows a leading answer straight away ("no, absolutely")."""
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            a = next((a for a in self.assurances if tuple(words[i : i + len(a)]) == a), None)
            if a is None:
                i += 1
                continue
            spans.append((i, i + len(a)))
            i += len(a)
        if not spans:
            return found
        sure = [f for f in found if any(s <= f.start and f.end <= e for s, e in spans)]
        core = [f for f in found if f not in sure]
        if not sure or not core:
            return found
        lead = found[0]
        if lead in core and lead.start == 0 and lead.strong:
            after = next((f for f in found if f.start >= lead.end), None)
            if (
                after in sure
                and after is not None
                and after.start == lead.end
                and after.value != lead.value
                and (after.start, after.end) in spans
            ):
                return None
        return core


#: Letters of a word compared with the question's words ("fainted" is "fainting").
STEM = 5


def stem(word: str) -> str:
    """The start of a word that its forms share, roughly ("breathless", "breathlessness")."""
    return word[:STEM]


def _one_of_each_run(word: str) -> str:
    """The word with each run of one letter written once ("yesss" -> "yes", "good" -> "god")."""
    return "".join(letter for i, letter in enumerate(word) if i == 0 or word[i - 1] != letter)


def _inside(start: int, n: int, found: list[_Found]) -> bool:
    """Whether words[start:start+n] lie inside a longer answer found."""
    return any(f.start <= start and start + n <= f.end and f.end - f.start > n for f in found)


def _at(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    return bool(positions(words, phrase))


def positions(words: Sequence[str], phrase: tuple[str, ...]) -> list[int]:
    """Where the phrase starts in the words, each place it does."""
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if n and tuple(words[i : i + n]) == phrase]


class ChoiceParser:
    """Which option of a choice question was meant: by its words, its position, or close wording."""

    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.hearing = Hearing(normalizer, system.words)
        lists = system.words
        self.ordinals: dict[str, int] = {}
        for word, position in lists.ordinals.items():
            for token in normalizer.tokens(word):
                self.ordinals.setdefault(token, position)
        self.several = [tuple(normalizer.tokens(s)) for s in lists.several]

    def parse(self, text: str, question: Question) -> str | None:
        return self.parse_words(self.hearing.words(text), question)

    def parse_words(self, words: Sequence[str], question: Question) -> str | None:
        """The choice id meant; :data:`SEVERAL` for "both"; None when no choice (or two) fits."""
        if not words:
            return None
        spans: list[tuple[int, int, str]] = []
        for choice in question.choices:
            for phrase in (choice.id.replace("_", " "), *choice.words):
                target = tuple(self.normalizer.tokens(phrase))
                spans += [(i, i + len(target), choice.id) for i in positions(words, target)]
        # A match inside a longer match does not count ("last night" is not "night").
        outer = {
            c
            for s, e, c in spans
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)
        }
        if len(outer) == 1:
            return outer.pop()
        if len(outer) > 1:
            return SEVERAL  # "red skin and the vein": ask one by one rather than pick one
        if any(_at(words, s) for s in self.several if s):
            return SEVERAL
        if len(words) <= 4:
            for word in words:
                if word in self.ordinals:
                    position = self.ordinals[word]
                    idx = position - 1 if position > 0 else position
                    if -len(question.choices) <= idx < len(question.choices):
                        return question.choices[idx].id
        joined = " ".join(words)
        scored: list[tuple[float, str]] = []
        for choice in question.choices:
            best = max(
                fuzz.WRatio(joined, self.normalizer(w)) for w in (*choice.words, choice.id.replace("_", " "))
            )
            scored.append((best, choice.id))
        scored.sort(reverse=True)
        if scored[0][0] >= 86 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 6):
            return scored[0][1]
        return None


def parse_choice(text: str, question: Question, parser: ChoiceParser) -> str | None:
    """The choice id meant, or None when no single choice fits (see :class:`ChoiceParser`)."""
    found = parser.parse(text, question)
    return None if found == SEVERAL else found


def parse_number(text: str, normalizer: Normalizer) -> int | None:
    """The first whole number said ("about sixty two" -> 62); None if there is none."""
    return number_in(normalizer.tokens(text))


def number_in(words: Sequence[str]) -> int | None:
    for word in words:
        if word.isdigit():
            return int(word)
    return None


def choice_words(question: Question) -> Sequence[str]:
    return [w for c in question.choices for w in c.words]
