"""PocketSphinx English recognition, with no model download.

The pocketsphinx wheel ships a US English acoustic model and CMUdict. The recognizer is built
for one domain: the phrases given at start-up (intent phrases, commands, answers). Free-form
mode uses a small n-gram language model built from them; constrained mode uses a JSGF grammar
of the given phrases. Both are named searches of one decoder, so switching between them never
reloads the acoustic model. The decoder's dictionary holds only the domain's words, which keeps
start-up fast (adding an LM search over the full 134k-word dictionary takes seconds).
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pocketsphinx
from pocketsphinx.lm import ArpaBoLM

from assistant.voice.audio import AudioChunk, StreamConverter
from assistant.voice.pronounce import Guessing, accent_variants, new_pronunciations
from assistant.voice.recognizer import Transcript, split_words

logger = logging.getLogger(__name__)

_JSGF_WORD = re.compile(r"^[a-z0-9'][a-z0-9'.\-]*$")
_MAX_GRAMMARS = 64
_NBEST_SCAN = 20
#: Accents whose pronunciations the built-in recognizer adds beside CMUdict's American ones, as
#: espeak-ng voices (see :func:`~assistant.voice.pronounce.accent_variants`). Measured on the
#: spoken corpus, every 4th utterance in two voices not used to build it (en-us+f3 and
#: en-gb-x-rp+m3, 988 turns), with British pronunciations against without: understood as the text
#: path does 427 against 397; spoken emergencies acted on 97 of 156 against 80 (the British voice
#: 48 of 78 against 31, the American one 49 both times), at once 59 against 45; needless emergency
#: checks 115 against 109; polarity flips 2 against 1 ("I'd say no" heard as "i do", already so
#: at the other speaking rate). Leaving out the short look-alikes (see
#: :func:`~assistant.voice.pronounce.accent_variants`): 416 understood, answers 81 of 252 against
#: 79, emergencies 94 against 97, within what two runs of the same code differ by. Start-up takes
#: about 0.15 s longer (0.44 s against 0.28 s, median of 8 on a 2-core machine): espeak-ng needs
#: about 0.34 s for the shipped vocabulary and spells it while the dictionary is read and the
#: language models are built.
ACCENTS = ("en-gb",)
#: How many times the wake phrase is repeated among the opening's sentences in the wake model.
WAKE_WEIGHT = 4


class Pronunciations:
    """Word pronunciations read from a CMUdict-format file (``word(2)`` marks variants)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lookup(self, words: Iterable[str]) -> dict[str, list[str]]:
        """Phone strings for each requested word found in the file."""
        wanted = set(words)
        found: dict[str, list[str]] = {}
        if not wanted:
            return found
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                head, _, phones = line.strip().partition(" ")
                word = head.split("(", 1)[0]
                if word in wanted and phones:
                    found.setdefault(word, []).append(phones.strip())
        return found


def build_arpa(sentences: Sequence[Sequence[str]], discount_mass: float = 0.1) -> str:
    """A trigram ARPA language model of the sentences (fixed discount back-off).

    A small ``discount_mass`` keeps most probability on the word sequences seen in the domain
    phrases (measured on espeak-ng speech: 0.1 recognised 71/84 phrases exactly, 0.5 only 64).
    """
    text = "\n".join(" ".join(words) for words in sentences if words)
    lm = ArpaBoLM(text=text, add_start=True, discount_mass=discount_mass)
    lm.compute()
    out = io.StringIO()
    lm.write(out)
    return out.getvalue()


def _usable(sentences: Sequence[Sequence[str]], known: dict[str, list[str]]) -> list[list[str]]:
    """The sentences with the words that have no pronunciation left out (empty ones dropped)."""
    kept = [[w for w in words if w in known] for words in sentences]
    return [words for words in kept if words]


def jsgf_of(phrases: Sequence[str]) -> str:
    """A JSGF grammar accepting exactly one of the phrases."""
    return "#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = " + " | ".join(phrases) + ";\n"


class SphinxRecognizer:
    """:class:`~assistant.voice.recognizer.Recognizer` backed by PocketSphinx (16 kHz input)."""

    name = "pocketsphinx"

    def __init__(
        self,
        domain_phrases: Sequence[str],
        *,
        hmm: Path | None = None,
        dictionary: Path | None = None,
        max_alternatives: int = 3,
        discount_mass: float = 0.1,
        check_phrases: Sequence[str] | None = None,
        wake_phrases: Sequence[str] = (),
        alarm_phrases: Sequence[str] = (),
        alarm_on_request: bool = False,
        accents: Sequence[str] = (),
    ) -> None:
        """``domain_phrases``: the sentences of the free-form (opening) language model, repeated
        as often as they should weigh. ``check_phrases``: the sentences of a second, plainer
        language model used by :meth:`hear_freely` to check a constrained answer (None: the
        first one). ``wake_phrases``: listened for by :meth:`hear_wake` (always-on mode).
        ``alarm_phrases``: the sentences of the alarm model, which hears each utterance heard
        with the opening's model once more (see :attr:`Transcript.alarms`). ``alarm_on_request``:
        only when :meth:`hear_alarm` asks, not at every :meth:`finish`. ``accents``: espeak-ng
        voices whose pronunciations of the words are added beside CMUdict's (see
        :func:`~assistant.voice.pronounce.accent_variants`)."""
        self._hmm = hmm or Path(pocketsphinx.get_model_path("en-us/en-us"))
        self._pron = Pronunciations(
            dictionary or Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))
        )
        self._max_alternatives = max_alternatives
        sentences = split_words(domain_phrases)
        check_sentences = split_words(check_phrases or ())
        wake_sentences = split_words(wake_phrases)
        alarm_sentences = split_words(alarm_phrases)
        vocabulary = {
            w for words in (*sentences, *check_sentences, *wake_sentences, *alarm_sentences) for w in words
        }
        self._accents = tuple(accents)
        # espeak-ng spells the words out in each accent in a process of its own (about 0.3 s for
        # the shipped vocabulary) while the dictionary is read and the language models are built.
        guessing = [Guessing(vocabulary, voice) for voice in self._accents]
        known = self._pron.lookup(vocabulary)
        known.update(new_pronunciations(vocabulary - known.keys(), known))
        missing = vocabulary - known.keys()
        if missing:
            logger.debug("words with no pronunciation (or one like a known word's): %s", sorted(missing))
        lm_sentences = _usable(sentences, known)
        if not lm_sentences:
            raise ValueError("no domain phrase has a word the English dictionary knows")
        #: Words of the wake phrase the decoder cannot hear (no pronunciation of their own).
        self.wake_unheard = sorted({w for words in wake_sentences for w in words} - known.keys())
        wake_lm = [] if self.wake_unheard else wake_sentences
        models = {
            "check": _usable(check_sentences, known),
            # The wake phrase among everything the opening knows: other speech then has somewhere
            # else to go, and is heard as that (measured on espeak-ng speech: no false wake in 28
            # minutes of other sentences, the README's "assistant" included).
            "wake": [*lm_sentences, *wake_lm * WAKE_WEIGHT] if wake_lm else [],
            "alarm": _usable(alarm_sentences, known),
        }
        arpa = {name: build_arpa(lm, discount_mass) for name, lm in models.items() if lm}
        opening_arpa = build_arpa(lm_sentences, discount_mass)
        for accent in guessing:
            guessed = {w: phones for w, phones in accent.result().items() if w in known}
            for word, variants in accent_variants(guessed, known).items():
                known[word] = [*known[word], *variants]
        with tempfile.TemporaryDirectory(prefix="assistant-sphinx-") as tmp:
            dict_file = Path(tmp) / "domain.dict"
            dict_file.write_text(
                "".join(
                    f"{word}{'' if i == 0 else f'({i + 1})'} {phones}\n"
                    for word, variants in sorted(known.items())
                    for i, phones in enumerate(variants)
                ),
                encoding="utf-8",
            )
            lm_file = Path(tmp) / "domain.arpa"
            lm_file.write_text(opening_arpa, encoding="utf-8")
            # Decoder(lm=None) crashes pocketsphinx 5.1.1 (segfault): always start with an LM.
            self._decoder: Any = pocketsphinx.Decoder(
                hmm=str(self._hmm),
                dict=str(dict_file),
                lm=str(lm_file),
                loglevel="FATAL",
            )
            #: The search holding the domain LM (the decoder's default one).
            self._free_search = str(self._decoder.current_search())
            for name, text in arpa.items():
                path = Path(tmp) / f"{name}.arpa"
                path.write_text(text, encoding="utf-8")
                self._decoder.add_lm_file(name, str(path))
        self._check_search = "check" if "check" in arpa else self._free_search
        #: The search of always-on mode, None without wake phrases.
        self._wake_search: str | None = "wake" if "wake" in arpa else None
        #: The search of the alarm model, None without alarm phrases.
        self._alarm_search: str | None = "alarm" if "alarm" in arpa else None
        #: Each word the decoder knows, with its pronunciations.
        self._phones = known
        self._unknown_words: set[str] = set(missing)
        self._grammars: dict[tuple[str, ...], str] = {}
        self._grammar_count = 0
        self._phrases: tuple[str, ...] | None = None
        self._converter = StreamConverter()
        self._in_utterance = False
        #: True until the first utterance is finished: a first free-form one is heard again once
        #: the decoder has adapted.
        self._first = True
        #: True while another model than the opening's listens (:meth:`hear_freely`, :meth:`hear_wake`).
        self._checking = False
        #: The audio of the utterance being heard with the opening's model: heard again when it is
        #: the first, and by the alarm model.
        self._opening_audio: list[bytes] = []
        self.alarm_on_request = alarm_on_request
        #: The last utterance heard with the opening's model and what it was heard as, until the
        #: alarm model has heard it or another utterance begins.
        self._unalarmed: tuple[bytes, str] | None = None

    @property
    def phrases(self) -> tuple[str, ...] | None:
        """The phrases recognition is narrowed to (None: free-form)."""
        return self._phrases

    @property
    def search(self) -> str:
        """Name of the active decoder search."""
        return str(self._decoder.current_search())

    def _ensure_words(self, words: set[str]) -> None:
        new = words - self._phones.keys() - self._unknown_words
        if not new:
            return
        found = self._pron.lookup(new)
        found.update(new_pronunciations(new - found.keys(), {**self._phones, **found}))
        for voice in self._accents:
            guessed = Guessing(found, voice).result()
            for word, variants in accent_variants(guessed, {**self._phones, **found}).items():
                found[word] = [*found[word], *variants]
        for word, variants in found.items():
            for i, phones in enumerate(variants):
                name = word if i == 0 else f"{word}({i + 1})"
                self._decoder.add_word(name, phones, i == len(variants) - 1)
        self._phones.update(found)
        missing = new - found.keys()
        if missing:
            logger.debug("words with no pronunciation: %s", sorted(missing))
            self._unknown_words |= missing

    def phones(self, phrase: str) -> tuple[str, ...] | None:
        """The phrase's phones (each word's first pronunciation), or None if a word has none."""
        words = phrase.split()
        self._ensure_words(set(words))
        out: list[str] = []
        for word in words:
            variants = self._phones.get(word)
            if not variants:
                return None
            out += variants[0].split()
        return tuple(out)

    def hear_freely(self) -> None:
        """Free-form recognition with the plainer checking model, for a second hearing of an
        answer (see :mod:`assistant.voice.verify`); the next :meth:`set_phrases` ends it."""
        self._unalarmed = None
        if self._in_utterance:
            self._end()
        self._decoder.activate_search(self._check_search)
        self._phrases = None
        self._checking = True

    def hear_wake(self) -> None:
        """Listen for the wake phrase (free-form, with the wake model); the next
        :meth:`set_phrases` ends it. ValueError when no wake phrase was given."""
        self._unalarmed = None
        if self._wake_search is None:
            if self.wake_unheard:
                raise ValueError(
                    f"the built-in recognizer cannot hear the word {', '.join(self.wake_unheard)!s} of the "
                    "wake phrase (too like another word it knows); choose other words"
                )
            raise ValueError("this recognizer was made without a wake phrase")
        if self._in_utterance:
            self._end()
        self._decoder.activate_search(self._wake_search)
        self._phrases = None
        self._checking = True

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        self._unalarmed = None
        if self._in_utterance:
            logger.warning("set_phrases called mid-utterance; discarding the audio so far")
            self._end()
        self._checking = False
        if phrases is None:
            self._decoder.activate_search(self._free_search)
            self._phrases = None
            return
        sentences = split_words(phrases)
        self._ensure_words({w for words in sentences for w in words})
        kept: list[str] = []
        for words in sentences:
            phrase = " ".join(words)
            usable = all(w in self._phones and _JSGF_WORD.match(w) for w in words)
            if not usable:
                logger.debug("phrase %r has a word without pronunciation; left out", phrase)
            elif phrase not in kept:
                kept.append(phrase)
        if not kept:
            logger.warning("no usable phrase; recognition stays free-form")
            self._decoder.activate_search(self._free_search)
            self._phrases = None
            return
        key = tuple(sorted(kept))
        name = self._grammars.get(key)
        if name is None:
            if len(self._grammars) >= _MAX_GRAMMARS:
                old_key = next(iter(self._grammars))
                self._decoder.remove_search(self._grammars.pop(old_key))
            self._grammar_count += 1
            name = f"phrases_{self._grammar_count}"
            self._decoder.add_jsgf_string(name, jsgf_of(kept))
            self._grammars[key] = name
        self._decoder.activate_search(name)
        self._phrases = tuple(kept)

    def snapshot(self) -> str:
        """The decoder's adaptive state (its running cepstral mean), to undo a second look at audio."""
        return str(self._decoder.get_cmn())

    def restore(self, state: str) -> None:
        self._decoder.set_cmn(state)

    def _settle(self) -> None:
        """Put the running cepstral mean in the form :meth:`restore` gives back, after each
        utterance, so that a second look at audio is undone exactly.

        PocketSphinx keeps the mean as a sum over a count of frames that grows from 500 to 800
        between updates; setting the mean (the only way back) resets the count to 500 and rounds
        the mean to the six digits of its text form. Undoing a second look with it therefore
        changed how much the next utterance moved the mean, enough to hear a red-flag "no" as
        "yes" later in a conversation (measured). Settled after every utterance, the state is
        always one that setting the mean reproduces bit for bit."""
        self._decoder.set_cmn(self._decoder.get_cmn())

    def accept(self, chunk: AudioChunk) -> str | None:
        pcm = self._converter.convert(chunk).pcm
        if not self._in_utterance:
            self._decoder.start_utt()
            self._in_utterance = True
            self._unalarmed = None
        if pcm:
            self._decoder.process_raw(pcm, False, False)
            if self._phrases is None and not self._checking:
                self._opening_audio.append(pcm)
        hyp = self._decoder.hyp()
        return str(hyp.hypstr) if hyp is not None and hyp.hypstr else None

    def finish(self) -> Transcript:
        if not self._in_utterance:
            return Transcript(text="", engine=self.name)
        tail = self._converter.flush().pcm
        if tail:
            self._decoder.process_raw(tail, False, False)
        opening = self._phrases is None and not self._checking
        opening_audio = self._opening_audio if opening else []
        heard_audio = b"".join([*opening_audio, tail])
        self._end()
        first, self._first = self._first, False
        if first and opening_audio and self._decoder.hyp() is not None:
            # The decoder's running cepstral mean starts from a generic value and settles during
            # the first utterance, so its first words are often misheard ("cannot feel hot" for
            # "my calf feels hot"). The first free-form utterance, the opening complaint, is heard
            # once more with the settled mean (once per recognizer: about 0.1 s, measured).
            self._decoder.start_utt()
            self._decoder.process_raw(heard_audio, False, False)
            self._decoder.end_utt()
            self._settle()
        hyp = self._decoder.hyp()
        text = str(hyp.hypstr).strip() if hyp is not None else ""
        candidates: list[str] = []
        if text and (self._max_alternatives or self._phrases is not None):
            for number, best in enumerate(self._decoder.nbest()):
                if best is None:
                    continue  # pocketsphinx 5.1.1 can yield None in the n-best list
                candidate = str(best.hypstr).strip()
                if candidate and candidate != text and candidate not in candidates:
                    candidates.append(candidate)
                if len(candidates) >= max(self._max_alternatives, 1) or number >= _NBEST_SCAN:
                    break
        if self._phrases is not None and text not in self._phrases:
            # With a grammar, the best path may stop short of a final state ("i have chest"
            # for "i have chest pain"): prefer the best hypothesis that is a whole phrase.
            whole = next((c for c in candidates if c in self._phrases), None)
            if whole is not None:
                logger.debug("partial grammar path %r; using %r", text, whole)
                candidates = [text] + [c for c in candidates if c != whole]
                text = whole
        alternatives = tuple(candidates[: self._max_alternatives])
        if opening and text and heard_audio:
            self._unalarmed = (heard_audio, text)
        alarms = () if self.alarm_on_request else self.hear_alarm()
        return Transcript(text=text, engine=self.name, alternatives=alternatives, alarms=alarms)

    def hear_alarm(self) -> tuple[str, ...]:
        """The last utterance heard with the opening's model, heard once more with the alarm model:
        its best hypothesis if it differs from what the opening's model heard, else nothing. Only
        until the next utterance begins; once per utterance. The decoder's adaptive state is put
        back afterwards."""
        pending, self._unalarmed = self._unalarmed, None
        if self._alarm_search is None or pending is None:
            return ()
        pcm, text = pending
        state = self.snapshot()
        self._decoder.activate_search(self._alarm_search)
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, False, False)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        self._decoder.activate_search(self._free_search)
        self.restore(state)
        heard = str(hyp.hypstr).strip() if hyp is not None else ""
        return (heard,) if heard and heard != text else ()

    def _end(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._settle()
        self._in_utterance = False
        self._converter = StreamConverter()
        self._opening_audio = []
