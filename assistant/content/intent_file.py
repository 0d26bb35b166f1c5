"""Build a symptom :class:`Intent` from a located YAML file, reporting every problem."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.base.events import TRIAGE_LEVELS, QuestionKind
from assistant.base.intents import Cause, Choice, Intent, Question, Score, Source, TriageRule, Weighted
from assistant.content.field_reader import Reader
from assistant.content.intent_checks import YES_NO_VALUES, check_references, declared_ids
from assistant.content.intent_templates import read_templates
from assistant.content.located_yaml import LoadedYaml, YamlPath

INTENT_KEYS = {
    "intent",
    "title",
    "description",
    "intro",
    "phrases",
    "templates",
    "lists",
    "keywords",
    "synonyms",
    "sources",
    "questions",
    "scores",
    "causes",
    "triage",
    "max_causes",
    "version",
    "parts",
}
#: In a question: the part of the body the person named ("Is that {part} swollen?").
PART = "{part}"
QUESTION_KEYS = {
    "id",
    "kind",
    "ask",
    "label",
    "reprompt",
    "explain",
    "red_flag",
    "ask_if",
    "choices",
    "range",
    "answers",
    "mentions",
    "confirm",
    "sources",
}
CAUSE_KEYS = {"id", "name", "says", "advice", "level", "base", "evidence", "sources"}
SCORE_KEYS = {"description", "points", "sources"}
WEIGHT_KEYS = {"when", "add"}
RULE_KEYS = {"level", "when", "say", "safety_net", "sources", "known_diagnosis"}
SOURCE_KEYS = {"title", "url"}
KINDS: tuple[QuestionKind, ...] = ("yes_no", "choice", "number")


def load_intent(loaded: LoadedYaml) -> tuple[Intent | None, list[Any]]:
    """Read a symptom intent; return it (or None when unusable) and the problems found."""
    r = Reader(loaded)
    top = r.mapping(
        (),
        loaded.data,
        what="the intent",
        allowed=INTENT_KEYS,
        required=("intent", "title", "questions", "causes", "triage"),
    )
    if top is None:
        return None, r.problems
    intent_id = r.ident(("intent",), top.get("intent"), what="the intent id")
    title = r.text(("title",), top.get("title"), what="title")
    description = r.text(("description",), top.get("description"), what="description", required=False)
    intro = r.text(("intro",), top.get("intro"), what="intro", required=False)
    phrases = r.texts(("phrases",), top.get("phrases"), what="phrases")
    templates = read_templates(r, top)
    if not phrases and not templates and "phrases" not in top and "templates" not in top:
        r.report(
            (),
            "the intent has no phrases: add 'phrases:' with what people say (e.g. '- my knee hurts') "
            "or 'templates:' such as '- my (knee|kneecap) (hurts|aches)'",
        )
    keywords = r.texts(("keywords",), top.get("keywords"), what="keywords")
    synonyms = _synonyms(r, top.get("synonyms"))
    sources = _sources(r, top.get("sources"))
    max_causes = r.number(("max_causes",), top.get("max_causes"), what="max_causes", default=3)
    version = top.get("version")
    if version is not None and not isinstance(version, str | int | float):
        r.report(("version",), 'version should be text such as "2026.12.1"')
        version = None
    questions = _questions(r, top.get("questions"))
    parts = _parts(r, top.get("parts"), questions)
    scores = _scores(r, top.get("scores"))
    causes = _causes(r, top.get("causes"))
    triage = _triage(r, top.get("triage"))

    declared = declared_ids(top.get("questions"))
    check_references(r, questions, scores, causes, triage, sources, declared)
    if r.problems and any(p.severity == "error" for p in r.problems):
        return None, r.problems
    assert intent_id is not None and title is not None
    intent = Intent(
        id=intent_id,
        title=title,
        description=description or title,
        intro=intro or "",
        phrases=phrases,
        path=loaded.path,
        templates=templates,
        keywords=keywords,
        synonyms=synonyms,
        sources=sources,
        questions=tuple(q for q, _ in questions),
        scores=tuple(s for s, _ in scores),
        causes=tuple(c for c, _ in causes),
        triage=tuple(t for t, _ in triage),
        max_causes=int(max_causes or 3),
        version="" if version is None else str(version),
        parts=parts,
    )
    return intent, r.problems


def _parts(r: Reader, value: Any, questions: list[tuple[Question, YamlPath]]) -> dict[str, tuple[str, ...]]:
    """``parts:`` (part name -> the words for it), and every ``{part}`` in a question needing it."""
    out: dict[str, tuple[str, ...]] = {}
    if value is not None:
        m = r.keyed(("parts",), value, what="parts", example="'foot: [foot, feet, heel, toe]'")
        for name, path, words in m:
            texts = r.texts(path, words, what=f"the words for part {name!r}", min_items=1)
            if texts:
                out[str(name)] = texts
    if out:
        return out
    for question, path in questions:
        for key in ("ask", "reprompt", "confirm"):
            if PART in getattr(question, key):
                r.report(
                    (*path, key),
                    f"{PART} is the part of the body the person named; list the parts at the top "
                    "of the file, e.g. 'parts: {leg: [leg, calf, shin], foot: [foot, heel, toe]}', "
                    "or write the part out",
                )
    return out


def _synonyms(r: Reader, value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if value is None:
        return out
    if not isinstance(value, dict):
        r.report(
            ("synonyms",), "synonyms should map a word to the words heard for it, e.g. 'calf: [cath, calves]'"
        )
        return out
    for canonical, heard in value.items():
        for word in r.texts(("synonyms", canonical), heard, what=f"synonyms of {canonical!r}"):
            out[word.lower()] = str(canonical).lower()
    return out


def _sources(r: Reader, value: Any) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for sid, path, body in r.keyed(
        ("sources",), value, what="sources", example="an id, then its title and url"
    ):
        ident = r.ident(path, sid, what="the source id")
        m = r.mapping(path, body, what=f"source {sid!r}", allowed=SOURCE_KEYS, required=("title",))
        if ident is None or m is None:
            continue
        title = r.text((*path, "title"), m.get("title"), what="the source title")
        url = r.text((*path, "url"), m.get("url"), what="the source url", required=False) or ""
        if url and not url.startswith(("https://", "http://")):
            r.report((*path, "url"), "a source url should start with https://")
        if title:
            out[ident] = Source(ident, title, url)
    return out


def _weighted(r: Reader, path: YamlPath, value: Any, what: str) -> tuple[Weighted, ...]:
    out: list[Weighted] = []
    for ipath, m in r.records(
        path,
        value,
        what=what,
        each=f"an item of {what}",
        allowed=WEIGHT_KEYS,
        required=("when", "add"),
        min_items=0,
    ):
        cond = r.condition((*ipath, "when"), m.get("when"), what="the condition")
        add = r.number((*ipath, "add"), m.get("add"), what="add")
        if cond is not None and add is not None:
            out.append(Weighted(cond, add, str(m.get("when"))))
    return tuple(out)


def _questions(r: Reader, value: Any) -> list[tuple[Question, YamlPath]]:
    out: list[tuple[Question, YamlPath]] = []
    for path, m in r.records(
        ("questions",),
        value,
        what="questions",
        each="a question",
        allowed=QUESTION_KEYS,
        required=("id", "kind", "ask"),
    ):
        qid = r.ident((*path, "id"), m.get("id"), what="the question id")
        kind = r.one_of((*path, "kind"), m.get("kind"), KINDS, what="kind")
        ask = r.text((*path, "ask"), m.get("ask"), what="ask")
        label = r.text((*path, "label"), m.get("label"), what="label", required=False)
        reprompt = r.text((*path, "reprompt"), m.get("reprompt"), what="reprompt", required=False)
        explain = r.text((*path, "explain"), m.get("explain"), what="explain", required=False)
        red_flag = r.flag((*path, "red_flag"), m.get("red_flag"), what="red_flag")
        ask_if = None
        if "ask_if" in m:
            ask_if = r.condition((*path, "ask_if"), m.get("ask_if"), what="ask_if")
        choices = _choices(r, (*path, "choices"), m.get("choices"), kind)
        rng = _range(r, (*path, "range"), m.get("range"), kind)
        answers = _answer_words(r, (*path, "answers"), m.get("answers"), kind)
        srcs = r.texts((*path, "sources"), m.get("sources"), what="sources")
        mentions = _mentions(r, (*path, "mentions"), m.get("mentions"), kind, choices)
        confirm = r.text((*path, "confirm"), m.get("confirm"), what="confirm", required=False)
        if confirm and not mentions:
            r.report(
                (*path, "confirm"),
                "confirm is asked when a mention was uncertain; add mentions: or remove it",
                key=True,
                severity="warning",
            )
        if red_flag and kind not in (None, "yes_no"):
            r.report((*path, "red_flag"), "only a yes_no question can be a red flag; set kind: yes_no")
        if qid and kind and ask:
            q = Question(
                qid, kind, ask, reprompt or "", explain or "", red_flag, ask_if, choices, rng, answers, srcs
            )
            if label:
                q = replace(q, label=label)
            if mentions:
                q = replace(q, mentions=mentions, confirm=confirm or "")
            out.append((q, path))
    return out


def _choices(r: Reader, path: YamlPath, value: Any, kind: QuestionKind | None) -> tuple[Choice, ...]:
    if kind != "choice":
        if value is not None:
            r.report(
                path,
                "choices belong to a question with kind: choice; remove them or change the kind",
                key=True,
            )
        return ()
    if not isinstance(value, dict) or len(value) < 2:
        r.report(
            path,
            "a choice question needs 'choices:' with at least two entries, "
            "each a choice id and the words people say for it, e.g. 'today: [today, this morning]'",
        )
        return ()
    out: list[Choice] = []
    for cid, words in value.items():
        ident = r.ident((*path, cid), cid, what="the choice id")
        if ident in YES_NO_VALUES or cid in r.y.boolean_words.values():
            r.report(
                (*path, cid),
                f"{cid!r} cannot be a choice id; use a yes_no question instead, "
                "or name the choice e.g. 'yes_often'",
                key=True,
            )
            continue
        texts = r.texts((*path, cid), words, what=f"the words for choice {cid!r}", min_items=1)
        if ident and texts:
            out.append(Choice(ident, texts))
    return tuple(out)


def _mentions(
    r: Reader, path: YamlPath, value: Any, kind: QuestionKind | None, choices: tuple[Choice, ...]
) -> dict[str, tuple[str, ...]]:
    """``mentions:``: a list (yes_no: phrases that mean yes), or answer value -> phrases."""
    if value is None:
        return {}
    if kind not in ("yes_no", "choice"):
        r.report(path, "mentions (phrases said in passing) belong to a yes_no or choice question", key=True)
        return {}
    if isinstance(value, list):
        if kind != "yes_no":
            r.report(
                path,
                "for a choice question, write mentions as choice id -> phrases, "
                "e.g. 'mentions: {sunburn: [sunburnt, in the sun]}'",
            )
            return {}
        phrases = r.texts(path, value, what="mentions")
        return {"yes": phrases} if phrases else {}
    allowed = ("yes", "no") if kind == "yes_no" else tuple(c.id for c in choices)
    m = r.mapping(path, value, what="mentions", allowed=allowed)
    if m is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, phrases in m.items():
        _unquoted(r, path, key)
        if key in allowed:
            texts = r.texts((*path, key), phrases, what=f"the mentions for {key}", min_items=1)
            if texts:
                out[str(key)] = texts
    return out


def _range(r: Reader, path: YamlPath, value: Any, kind: QuestionKind | None) -> tuple[int, int] | None:
    if value is None:
        return None
    if kind != "number":
        r.report(path, "range belongs to a question with kind: number", key=True)
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        r.report(path, "range should be two whole numbers, lowest first, e.g. 'range: [0, 120]'")
        return None
    return int(value[0]), int(value[1])


def _answer_words(
    r: Reader, path: YamlPath, value: Any, kind: QuestionKind | None
) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if kind != "yes_no":
        r.report(path, "answers (extra yes/no/unsure words) belong to a yes_no question", key=True)
        return {}
    m = r.mapping(path, value, what="answers", allowed=YES_NO_VALUES)
    if m is None:
        return {}
    for k in m:
        _unquoted(r, path, k)
    return {k: r.texts((*path, k), v, what=f"the words for {k}") for k, v in m.items() if k in YES_NO_VALUES}


def _unquoted(r: Reader, path: YamlPath, key: str) -> None:
    """Unquoted, YAML reads yes and no as true and false: taken as meant, but said."""
    if (*path, key) in r.y.boolean_words:
        r.report(
            (*path, key),
            f'write the key in quotes, "{key}": unquoted, YAML reads {key} as true or false '
            f'(it was taken as "{key}")',
            key=True,
            severity="warning",
        )


def _scores(r: Reader, value: Any) -> list[tuple[Score, YamlPath]]:
    out: list[tuple[Score, YamlPath]] = []
    example = "a score id, then its description and points"
    for sid, path, body in r.keyed(("scores",), value, what="scores", example=example):
        ident = r.ident(path, sid, what="the score id")
        m = r.mapping(path, body, what=f"score {sid!r}", allowed=SCORE_KEYS, required=("points",))
        if ident is None or m is None:
            continue
        desc = r.text((*path, "description"), m.get("description"), what="description", required=False)
        points = _weighted(r, (*path, "points"), m.get("points"), "points")
        srcs = r.texts((*path, "sources"), m.get("sources"), what="sources")
        out.append((Score(ident, desc or ident, points, srcs), path))
    return out


def _causes(r: Reader, value: Any) -> list[tuple[Cause, YamlPath]]:
    out: list[tuple[Cause, YamlPath]] = []
    for path, m in r.records(
        ("causes",), value, what="causes", each="a cause", allowed=CAUSE_KEYS, required=("id", "name", "says")
    ):
        cid = r.ident((*path, "id"), m.get("id"), what="the cause id")
        name = r.text((*path, "name"), m.get("name"), what="name")
        says = r.text((*path, "says"), m.get("says"), what="says")
        advice = r.text((*path, "advice"), m.get("advice"), what="advice", required=False)
        level = (
            r.one_of((*path, "level"), m.get("level"), TRIAGE_LEVELS, what="level")
            if m.get("level") is not None
            else None
        )
        base = r.number((*path, "base"), m.get("base"), what="base", default=0.0)
        evidence = _weighted(r, (*path, "evidence"), m.get("evidence"), "evidence")
        srcs = r.texts((*path, "sources"), m.get("sources"), what="sources")
        if cid and name and says:
            out.append((Cause(cid, name, says, advice or "", base or 0.0, evidence, srcs, level), path))
    return out


def _triage(r: Reader, value: Any) -> list[tuple[TriageRule, YamlPath]]:
    out: list[tuple[TriageRule, YamlPath]] = []
    for path, m in r.records(
        ("triage",),
        value,
        what="triage",
        each="a triage rule",
        allowed=RULE_KEYS,
        required=("level", "when", "say"),
    ):
        level = r.one_of((*path, "level"), m.get("level"), TRIAGE_LEVELS, what="level")
        when = r.condition((*path, "when"), m.get("when"), what="when")
        say = r.text((*path, "say"), m.get("say"), what="say")
        net = r.text((*path, "safety_net"), m.get("safety_net"), what="safety_net", required=False)
        srcs = r.texts((*path, "sources"), m.get("sources"), what="sources")
        if level == "emergency" and net:
            r.report(
                (*path, "safety_net"),
                "an emergency rule has no safety net: its only advice is to call "
                "{emergency_number} now; move this text into 'say' or remove it",
                key=True,
            )
        if level == "emergency" and say and "{emergency_number}" not in say:
            r.report(
                (*path, "say"),
                "an emergency message must tell the person to call {emergency_number}; "
                "write e.g. 'Call {emergency_number} now.'",
            )
        if level and when is not None and say:
            known = r.flag((*path, "known_diagnosis"), m.get("known_diagnosis"), what="known_diagnosis")
            rule = TriageRule(level, when, str(m.get("when")), say, net or "", srcs, known_diagnosis=known)
            out.append((rule, path))
    return out
