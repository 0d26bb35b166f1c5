"""Which known words a word said may stand for: recognition slips ("cath" for "calf", "tie" for
"thigh"), each with a similarity from 0 to 1.

- A word of five letters or more is compared letter by letter (rapidfuzz ratio) with every known
  word of five letters or more: more than 75% alike. Known words exactly as alike share it.
- A shorter word is compared with the short words the assistant knows, one edit at most: two
  edits of four letters ("oven" and "vein") score as high as one, and are another word. One letter
  changed is a slip when it is a vowel or a silent letter ("lag" for "leg", "nee" for "knee"), or
  when the ratio says so (a letter more or less, one letter of four). A word that sounds the same
  (:func:`sound_key`: "tie" and "thigh", "soar" and "sore") is a slip too.
- A short word's similarity is shared out among every word it could be a slip of, including words
  the assistant knows to mean something else (a part of the body, an emergency word): "tie" could
  be "thigh" as much as "toe", so it is only half a "toe" when "thigh" is known, and "heal" is
  only half a "head" when "heel" is known. Beyond a few look-alikes it is a slip of none of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.understanding.sound_key import sound_key

#: Minimum letter-by-letter similarity (0-100) for a word to stand for a known one; a long word
#: must pass it (exclusive), a short one reach it (inclusive) or differ by a vowel or silent letter.
WORD_SIMILARITY = 75
#: Words this long or longer are compared letter by letter; shorter ones by sound and one edit.
LONG_WORD = 5
#: The similarity of a short word one vowel or silent letter from a known word (before sharing).
SHORT_SLIP = 0.5
#: The similarity of a word that sounds the same as a known word (before sharing).
SAME_SOUND = 0.75
#: How much a look-alike one consonant away counts among the look-alikes of a short word, next to
#: one that sounds the same or is one vowel or silent letter away (1): "nick" is rather "neck" than
#: "sick", but "heal" is half "heel" still when "head" is known.
OTHER_LETTER = 0.5
#: Beyond this many look-alikes a short word is too ambiguous to be a slip of any of them.
SHORT_SLIP_MAX_CHOICES = 3
#: The one letter a short slip may differ by: a vowel for a vowel ("lag" for "leg"), or a vowel or
#: silent letter more or less ("nee" for "knee"). A consonant changed makes another word ("got" is
#: not "hot"), so it is not a slip.
VOWELS = frozenset("aeiouy")
SILENT = VOWELS | frozenset("hkw")


class WordSlips:
    """The known words each word said may stand for."""

    def __init__(
        self, vocabulary: Iterable[str], stopwords: frozenset[str], known_elsewhere: frozenset[str]
    ) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.known_elsewhere = known_elsewhere
        content = sorted(w for w in self.vocabulary if w not in stopwords)
        self._long = [w for w in content if len(w) >= LONG_WORD]
        others = sorted(w for w in known_elsewhere - self.vocabulary if w not in stopwords and w.isalpha())
        #: Words a short word may be one letter away from: the known ones, then the others.
        self._short = [w for w in [*content, *others] if len(w) <= LONG_WORD]
        #: sound key -> every word with that key, known or known to mean something else.
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        for word in [*content, *others]:
            self._by_sound[sound_key(word)].append(word)

    def similar(self, word: str) -> dict[str, float]:
        """The known words ``word`` may stand for, with a similarity from 0 to 1."""
        if word in self.vocabulary:
            return {word: 1.0}
        if len(word) < 3 or word in self.known_elsewhere or not word.isalpha():
            return {}
        found: dict[str, float] = {}
        if len(word) >= LONG_WORD:
            close = process.extract(
                word, self._long, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY, limit=4
            )
            ratios = [(w, s / 100) for w, s, _ in close if s > WORD_SIMILARITY][:3]  # more than 75%
            # Known words exactly as close to it ("chees": "cheek" and "chest") share the similarity.
            found = {w: s / sum(1 for _, t in ratios if t == s) for w, s in ratios}
        if len(word) <= LONG_WORD or not found:
            for w, s in self.sound_alike(word).items():
                found[w] = max(found.get(w, 0.0), s)
        return found

    def sound_alike(self, word: str) -> dict[str, float]:
        """The known words a word sounds like or (when one of them is short) is one letter from,
        each similarity shared out among every look-alike (known or known to mean something
        else); none when there are too many."""
        # word -> (similarity, how much it counts among the look-alikes)
        looks = dict.fromkeys(self._by_sound.get(sound_key(word), ()), (SAME_SOUND, 1.0))
        if len(word) <= LONG_WORD:
            near = process.extract(word, self._short, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
            for w, _, _ in near:
                if min(len(w), len(word)) >= LONG_WORD:
                    continue  # two long words: compared letter by letter
                ratio = fuzz.ratio(word, w) / 100
                sounds = one_letter_slip(word, w)
                if not sounds and ratio < WORD_SIMILARITY / 100:
                    continue
                same, weight = looks.get(w, (0.0, 0.0))
                sim = max(same, ratio if ratio >= WORD_SIMILARITY / 100 else SHORT_SLIP)
                looks[w] = (sim, max(weight, 1.0 if sounds else OTHER_LETTER))
        if not looks or len(looks) > SHORT_SLIP_MAX_CHOICES:
            return {}
        weights = sum(c for _, c in looks.values())
        return {w: s * c / weights for w, (s, c) in looks.items() if w in self.vocabulary}


def one_letter_slip(said: str, known: str) -> bool:
    """Whether two words one edit apart differ only by a vowel or a silent letter."""
    ops = Levenshtein.editops(said, known).as_list()
    if len(ops) != 1:
        return False
    tag, src, dest = str(ops[0][0]), int(ops[0][1]), int(ops[0][2])
    if tag == "replace":
        return said[src] in VOWELS and known[dest] in VOWELS
    if tag == "insert":
        return known[dest] in SILENT
    return said[src] in SILENT
