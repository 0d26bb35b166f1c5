"""Vosk (Kaldi) speech recognition: one model loaded once, one recognizer reused across turns.

Narrowing recognition to a question's answers uses ``SetGrammar`` on the live recognizer, which
needs a model with a runtime graph (``graph/HCLr.fst`` + ``graph/Gr.fst``, as the "small"
models have). Models with a static ``graph/HCLG.fst`` ignore grammars: recognition then stays
free-form and the answer parser has to cope.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import vosk

from assistant.speechmodels.locate import ModelError, check_model_folder
from assistant.voice.audio import TARGET_RATE, AudioChunk, StreamConverter
from assistant.voice.recognizer import Transcript, split_words

logger = logging.getLogger(__name__)

UNKNOWN_WORD = "[unk]"


@contextlib.contextmanager
def _captured_stderr() -> Iterator[list[str]]:
    """Send the process's file descriptor 2 to a buffer (Kaldi writes errors there itself)."""
    lines: list[str] = []
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines.extend(sink.read().decode("utf-8", "replace").splitlines())


class VoskModel:
    """A loaded Vosk model. Loading takes seconds and hundreds of MB: do it once."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        check_model_folder(self.folder)
        vosk.SetLogLevel(-1)
        with _captured_stderr() as kaldi_log:
            try:
                native = vosk.Model(str(self.folder))
            except Exception:
                native = None
        for line in kaldi_log:
            logger.debug("vosk: %s", line)
        if native is None:
            detail = next((ln for ln in reversed(kaldi_log) if "ERROR" in ln), "")
            reason = "Vosk could not load it; the files may be damaged or incomplete"
            if detail:
                reason += f" ({detail.split(')', 1)[-1].strip()[:160]})"
            raise ModelError(self.folder, reason)
        self.native: Any = native
        graph = self.folder / "graph"
        #: True when the model can switch grammars at run time.
        self.supports_grammar = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
        #: True when the vocabulary has the out-of-grammar word ``[unk]``.
        self.has_unk = self.knows(UNKNOWN_WORD)
        logger.info(
            "loaded Vosk model %s (runtime grammars: %s, [unk]: %s)",
            self.folder,
            self.supports_grammar,
            self.has_unk,
        )

    def knows(self, word: str) -> bool:
        """True when ``word`` is in the model's vocabulary."""
        return int(self.native.vosk_model_find_word(word)) >= 0


class VoskRecognizer:
    """:class:`~assistant.voice.recognizer.Recognizer` backed by Vosk.

    Pass a loaded :class:`VoskModel` (to share it) or a model folder.
    """

    name = "vosk"

    def __init__(self, model: VoskModel | Path | str, max_alternatives: int = 3) -> None:
        self.model = model if isinstance(model, VoskModel) else VoskModel(model)
        try:
            self._kaldi: Any = vosk.KaldiRecognizer(self.model.native, float(TARGET_RATE))
        except Exception as exc:  # vosk raises a bare Exception when the graph or ivector/ is damaged
            raise ModelError(
                self.model.folder, f"it loads but cannot make a recognizer ({exc}); the model is damaged"
            ) from None
        self._max_alternatives = max_alternatives
        if max_alternatives:
            self._kaldi.SetMaxAlternatives(max_alternatives)
        self._phrases: tuple[str, ...] | None = None
        self._segments: list[str] = []
        self._converter = StreamConverter()
        self._fed = False
        #: True when Vosk's own endpointer closed a segment during the current utterance.
        self.engine_endpoint = False

    @property
    def phrases(self) -> tuple[str, ...] | None:
        """The phrases recognition is narrowed to (None: free-form)."""
        return self._phrases

    def set_phrases(self, phrases: Sequence[str] | None) -> None:
        if self._fed:
            logger.warning("set_phrases called mid-utterance; discarding the audio so far")
            self._reset()
        if phrases is None:
            if self._phrases is not None:
                self._kaldi.SetGrammar("[]")
            self._phrases = None
            return
        if not self.model.supports_grammar:
            logger.warning(
                "model %s has no runtime graph; cannot narrow recognition to %d phrases",
                self.model.folder,
                len(phrases),
            )
            return
        kept, dropped = self._known_phrases(phrases)
        if dropped:
            logger.info("words not in the Vosk model's vocabulary, dropped: %s", sorted(dropped))
        if not kept:
            logger.warning("no phrase has a known word; recognition stays free-form")
            if self._phrases is not None:
                self._kaldi.SetGrammar("[]")
            self._phrases = None
            return
        grammar = list(kept) + ([UNKNOWN_WORD] if self.model.has_unk else [])
        self._kaldi.SetGrammar(json.dumps(grammar, ensure_ascii=False))
        self._phrases = kept

    def _known_phrases(self, phrases: Sequence[str]) -> tuple[tuple[str, ...], set[str]]:
        kept: list[str] = []
        dropped: set[str] = set()
        for words in split_words(phrases):
            known = [w for w in words if self.model.knows(w)]
            dropped.update(w for w in words if w not in known)
            phrase = " ".join(known)
            if phrase and phrase not in kept:
                kept.append(phrase)
        return tuple(kept), dropped

    def accept(self, chunk: AudioChunk) -> str | None:
        pcm = self._converter.convert(chunk).pcm
        if not pcm:
            return self._display("")
        self._fed = True
        if self._kaldi.AcceptWaveform(pcm):
            self.engine_endpoint = True
            text = self._text_of(json.loads(self._kaldi.Result()))
            if text:
                self._segments.append(text)
            return self._display("")
        partial = str(json.loads(self._kaldi.PartialResult()).get("partial", ""))
        return self._display(partial)

    def _display(self, partial: str) -> str | None:
        text = " ".join([*self._segments, partial]).strip()
        return text or None

    @staticmethod
    def _text_of(result: dict[str, Any]) -> str:
        if "alternatives" in result:
            alternatives = result["alternatives"]
            return str(alternatives[0].get("text", "")).strip() if alternatives else ""
        return str(result.get("text", "")).strip()

    def finish(self) -> Transcript:
        tail = self._converter.flush().pcm
        if tail:
            self._kaldi.AcceptWaveform(tail)
        result = json.loads(self._kaldi.FinalResult())
        last = self._text_of(result)
        text = " ".join([*self._segments, last]).strip() if last else " ".join(self._segments)
        alternatives: tuple[str, ...] = ()
        if not self._segments and "alternatives" in result:
            seen = [str(a.get("text", "")).strip() for a in result["alternatives"][1:]]
            alternatives = tuple(dict.fromkeys(a for a in seen if a and a != text))
        self._reset()
        return Transcript(text=text, engine=self.name, alternatives=alternatives)

    def _reset(self) -> None:
        self._kaldi.Reset()
        self._segments = []
        self._converter = StreamConverter()
        self._fed = False
        self.engine_endpoint = False
