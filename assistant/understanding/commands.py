"""The global commands (repeat, help, go back, what do you mean, stop, goodbye) as people say them.

A command is the whole utterance, give or take the words said around it ("ok bye then", "no,
stop", "one more time please"): the ``command_padding`` of the system file. A command word
inside an answer ("it doesn't stop hurting") is not a command.

A command said in other words ("can we go back to the previous question", "why?") is made of the
words people use about the conversation: those of every command phrase, the padding, the
pronouns, the function words and the system file's ``conversation_words``, and the words of the
question being asked ("what do you mean by pale"). One word of anything else (a symptom, a part
of the body, a thing) means the person is talking about that, not to the assistant: "I can't stop
coughing", "my back is killing me", "I want to quit smoking", "can you repeat my medication list"
are not commands.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from assistant.base.intents import SystemPack
from assistant.understanding.hearing import Hearing
from assistant.understanding.normalize import Normalizer

#: How close (0-100) what was said must be to a command phrase.
COMMAND_SIMILARITY = 88
#: The longest reply (without padding) a command word or phrase in it makes a command.
KEYWORD_MAX_WORDS = 10
#: Commands that are not acted on as commands here (emergency phrases are concepts' business).
NOT_COMMANDS = frozenset({"emergency"})
#: Commands that end the conversation: taken from the whole reply (misspelt at most, never with a
#: word more or less) or a keyword, never from one of their phrases inside a longer reply.
#: Measured on the spoken corpus: a recognizer's "ta ta ta" for a complaint it could not hear held
#: the goodbye phrase "ta ta" and ended the conversation.
ENDING = frozenset({"stop", "goodbye"})


#: At most this many padding words around a phrase are tried left out one by one.
PADDING_TRIED = 4


def _padded(words: Sequence[str], padding: frozenset[str]) -> int:
    """How many of the first words are padding (at most :data:`PADDING_TRIED`)."""
    n = 0
    while n < min(len(words), PADDING_TRIED) and words[n] in padding:
        n += 1
    return n


class CommandRecognizer:
    def __init__(self, system: SystemPack, normalizer: Normalizer) -> None:
        self.hearing = Hearing(normalizer, system.words)
        self.padding = frozenset(w for p in system.words.command_padding for w in normalizer.tokens(p))
        self.phrases: dict[str, list[str]] = {
            name: [t for t in (normalizer(p) for p in phrases) if t]
            for name, phrases in system.all_commands.items()
            if name not in NOT_COMMANDS
        }
        self.exact = {p: name for name, phrases in self.phrases.items() for p in phrases}
        lists = system.words
        self.negations = frozenset(w for n in lists.negations for w in normalizer.tokens(n))
        self.previous = sorted(
            {t: None for t in (tuple(normalizer.tokens(q)) for q in lists.previous_question) if t},
            key=len,
            reverse=True,
        )
        #: Each command phrase's words, longest first: a reply may say several ("never mind, stop").
        self.sequences = sorted(
            ((tuple(p.split()), name) for p, name in self.exact.items()), key=lambda pn: -len(pn[0])
        )
        self.keywords: dict[str, str] = {}
        for name, words in lists.command_keywords.items():
            for word in words:
                for token in normalizer.tokens(word):
                    self.keywords.setdefault(token, name)
        #: Command phrases of two words or more, as word tuples, each with its command (not the
        #: ending ones: see :data:`ENDING`).
        self.inner_phrases = {
            tuple(p.split()): name
            for p, name in self.exact.items()
            if len(p.split()) >= 2 and name not in ENDING
        }
        talk = {w for p in (*lists.pronouns, *lists.conversation_words) for w in normalizer.tokens(p)}
        #: The words people use about the conversation itself (see the module's docstring).
        self.conversation = frozenset(
            {w for p in self.exact for w in p.split()}
            | self.padding
            | self.keywords.keys()
            | normalizer.stopwords
            | talk
        )

    def command(self, text: str) -> str | None:
        """The command the whole utterance means, if it is one."""
        return self.command_words(self.hearing.words(text))

    def command_words(self, words: Sequence[str]) -> str | None:
        if not words:
            return None
        # A phrase with some of the padding around it ("ok no more questions thanks": "no" is
        # padding, and the phrase's own first word).
        lead = _padded(words, self.padding)
        trail = _padded(words[::-1], self.padding)
        for i in range(lead + 1):
            for j in range(trail + 1):
                exact = self.exact.get(" ".join(words[i : len(words) - j]))
                if exact is not None:
                    return exact
        core = list(words[lead : len(words) - trail]) if lead + trail < len(words) else []
        for candidate in dict.fromkeys((" ".join(core), " ".join(words))):
            if not candidate:
                continue
            if candidate in self.exact:
                return self.exact[candidate]
            best: tuple[float, str] | None = None
            for name, phrases in self.phrases.items():
                hit = process.extractOne(
                    candidate, phrases, scorer=fuzz.ratio, score_cutoff=COMMAND_SIMILARITY
                )
                if hit and name in ENDING and len(hit[0].split()) != len(candidate.split()):
                    # Close in letters but with a word more or less: "I've had enough of this
                    # pain" is not "i've had enough of this". Ending the conversation is not guessed.
                    continue
                if hit and (best is None or hit[1] > best[0]):
                    best = (hit[1], name)
            if best:
                return best[1]
        return self._several_phrases(core)

    def _several_phrases(self, core: Sequence[str]) -> str | None:
        """Phrases of one command said one after another, with padding between: "never mind,
        stop", "stop, stop", "sorry, what, say that again"."""
        names: set[str] = set()
        i = 0
        while i < len(core):
            if core[i] in self.padding:
                i += 1
                continue
            hit = next(
                ((words, name) for words, name in self.sequences if tuple(core[i : i + len(words)]) == words),
                None,
            )
            if hit is None:
                return None
            names.add(hit[1])
            i += len(hit[0])
        return names.pop() if len(names) == 1 else None

    def names_previous(self, words: Sequence[str]) -> str | None:
        """A reply that names the question before ("I meant no to the last one", "can I change my
        last answer"): go back to it. Only at a yes/no question: at a choice question "the last
        one" is an option. The words alone ("the last one") are not enough."""
        for phrase in self.previous:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) == phrase:
                    rest = [w for w in (*words[:i], *words[i + n :]) if w not in self.padding]
                    if rest:
                        return "go_back"
        return None

    def keyword(self, words: Sequence[str], asked: frozenset[str] = frozenset()) -> str | None:
        """A short reply that is no answer, made of words about the conversation, that holds one
        command's word or phrase ("why?", "say again", "can we go back to the previous
        question"). ``asked``: the words of the question being asked, which count as words about
        the conversation ("what do you mean by pale")."""
        core = [w for w in words if w not in self.padding]
        if not core or len(core) > KEYWORD_MAX_WORDS or any(w in self.negations for w in words):
            return None
        if any(w not in self.conversation and w not in asked for w in core):
            return None  # about something else: "I can't stop coughing", "my back is killing me"
        found = {self.keywords[w] for w in core if w in self.keywords}
        for n in range(2, len(core) + 1):
            for i in range(len(core) - n + 1):
                name = self.inner_phrases.get(tuple(core[i : i + n]))
                if name is not None:
                    found.add(name)
        return found.pop() if len(found) == 1 else None

    def vocabulary(self) -> dict[str, list[str]]:
        """Command name -> its phrases, normalised."""
        return {name: list(phrases) for name, phrases in self.phrases.items()}
