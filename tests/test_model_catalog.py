"""Parsing the Vosk ``model-list.json`` catalog (pure: no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.speechmodels.catalog import (
    CATALOG_ENV,
    DEFAULT_CATALOG_URL,
    DEFAULT_MODEL,
    Catalog,
    CatalogError,
    ModelEntry,
    catalog_url,
    format_table,
    parse_catalog,
    parse_entry,
)

SAMPLE = Path(__file__).parent / "data" / "model_catalog" / "model-list-sample.json"


def entry(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = json.loads(SAMPLE.read_text(encoding="utf-8"))[0]
    base.update(overrides)
    return base


def test_a_slice_of_the_official_catalog_parses_faithfully() -> None:
    catalog = parse_catalog(SAMPLE.read_bytes(), source=str(SAMPLE))
    assert catalog.problems == ()
    assert len(catalog.entries) == 5
    small = catalog.get(DEFAULT_MODEL)
    assert small == ModelEntry(
        name="vosk-model-small-en-us-0.15",
        url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        size=41205931,
        md5="09ab50ccd62b674cbaa231b825f9c1cb",
        lang="en-us",
        type="small",
        obsolete=False,
        version="0.15",
        lang_text="US English",
        size_text="39.3MiB",
    )
    assert small.is_small
    assert round(small.size_mb, 1) == 41.2
    assert small.host == "alphacephei.com"
    assert catalog.hosts() == frozenset({"alphacephei.com"})
    big = catalog.get("vosk-model-en-us-0.22-lgraph")
    assert big is not None
    assert big.type == "big-lgraph"
    assert not big.is_small


def test_the_default_catalog_is_the_official_list() -> None:
    assert DEFAULT_CATALOG_URL == "https://alphacephei.com/vosk/models/model-list.json"
    assert catalog_url(None, {}) == DEFAULT_CATALOG_URL
    assert catalog_url(None, {CATALOG_ENV: "http://127.0.0.1:1/x.json"}) == "http://127.0.0.1:1/x.json"
    assert catalog_url("http://a/b.json", {CATALOG_ENV: "http://c/d.json"}) == "http://a/b.json"


@pytest.mark.parametrize(
    ("value", "obsolete"), [("false", False), ("true", True), ("True", True), (False, False), (True, True)]
)
def test_obsolete_is_the_string_upstream_uses_or_a_boolean(value: object, obsolete: bool) -> None:
    assert parse_entry(entry(obsolete=value)).obsolete is obsolete


def test_optional_text_may_be_missing_and_unknown_fields_are_ignored() -> None:
    raw = entry(future_field=[1, 2])
    for key in ("lang_text", "size_text", "version"):
        del raw[key]
    parsed = parse_entry(raw)
    assert (parsed.version, parsed.lang_text, parsed.size_text) == ("", "", "")


def test_the_md5_is_normalised_to_lower_case() -> None:
    assert (
        parse_entry(entry(md5="09AB50CCD62B674CBAA231B825F9C1CB")).md5 == "09ab50ccd62b674cbaa231b825f9c1cb"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": None}, "field 'name' must be a non-empty string"),
        ({"name": "  "}, "field 'name' must be a non-empty string"),
        ({"name": "../etc"}, "is not a plain folder name"),
        ({"name": "models/x"}, "is not a plain folder name"),
        ({"name": "a..b"}, "is not a plain folder name"),
        ({"url": "file:///etc/passwd"}, "is not an http(s) address"),
        ({"url": "https://"}, "is not an http(s) address"),
        ({"md5": "abc"}, "is not 32 hexadecimal digits"),
        ({"md5": "z" * 32}, "is not 32 hexadecimal digits"),
        ({"size": "41205931"}, "is not a positive number of bytes"),
        ({"size": 0}, "is not a positive number of bytes"),
        ({"size": True}, "is not a positive number of bytes"),
        ({"size": 1.5}, "is not a positive number of bytes"),
        ({"obsolete": "no"}, "is not 'true' or 'false'"),
        ({"obsolete": None}, "is not 'true' or 'false'"),
        ({"lang": 7}, "field 'lang' must be a non-empty string"),
        ({"version": 0.15}, "field 'version' must be a non-empty string"),
    ],
)
def test_a_malformed_entry_is_rejected_with_a_clear_message(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_entry(entry(**overrides))
    assert message in str(raised.value)


def test_malformed_entries_are_skipped_and_listed() -> None:
    raw = [entry(), entry(name="vosk-model-bad-1", size=-1), "not an object", entry()]
    catalog = parse_catalog(json.dumps(raw), source="test")
    assert [e.name for e in catalog.entries] == [DEFAULT_MODEL]
    assert catalog.problems == (
        "entry 1 (vosk-model-bad-1): size -1 is not a positive number of bytes",
        "entry 2: expected an object, got str",
        f"entry 3 ({DEFAULT_MODEL}): duplicate name, the first one is used",
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<html>503</html>", "is not valid JSON"),
        (b"\xff\xfe", "is not valid JSON"),
        (b'{"models": []}', "is not a JSON list of models"),
        (b"[]", "lists no usable model"),
        (b'[{"name": "x"}]', "lists no usable model: entry 0 (x): field 'url'"),
    ],
)
def test_an_unusable_document_is_refused(raw: bytes, message: str) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_catalog(raw, source="http://127.0.0.1/list.json")
    assert message in str(raised.value)
    assert "http://127.0.0.1/list.json" in str(raised.value)


FIELDS = ("name", "url", "size", "md5", "lang", "type", "obsolete", "version", "lang_text", "size_text")
ANY_VALUE = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=10**10)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["../x", "/abs", "a/b", "true", "http://h/x.zip", "file:///x", "f" * 32])
    | st.lists(st.integers(), max_size=2)
)


@given(st.dictionaries(st.sampled_from(FIELDS), ANY_VALUE, min_size=1, max_size=4))
def test_a_damaged_entry_parses_to_a_safe_model_or_is_rejected_naming_the_field(
    damage: dict[str, object],
) -> None:
    message = ""
    try:
        parsed = parse_entry(entry(**damage))
    except CatalogError as error:
        message = str(error)
    if message:
        assert any(key in message for key in damage), message
        return
    assert "/" not in parsed.name
    assert ".." not in parsed.name
    assert parsed.url.startswith(("http://", "https://"))
    assert int(parsed.md5, 16) >= 0
    assert parsed.md5 == parsed.md5.lower()
    assert len(parsed.md5) == 32
    assert type(parsed.size) is int
    assert parsed.size > 0
    assert isinstance(parsed.obsolete, bool)


@given(st.one_of(ANY_VALUE, st.dictionaries(st.text(max_size=8), ANY_VALUE, max_size=4)))
def test_a_value_that_is_not_an_entry_is_rejected(value: object) -> None:
    with pytest.raises(CatalogError):
        parse_entry(value)


def catalog_of(*entries: dict[str, object]) -> Catalog:
    return parse_catalog(json.dumps(list(entries)), source="test")


def test_select_defaults_to_small_current_models_and_filters_by_language() -> None:
    catalog = catalog_of(
        entry(),
        entry(name="vosk-model-small-en-us-0.3", obsolete="true"),
        entry(name="vosk-model-en-us-0.22", type="big"),
        entry(name="vosk-model-small-en-in-0.4", lang="en-in"),
        entry(name="vosk-model-small-eo-0.42", lang="eo"),
    )
    assert [e.name for e in catalog.select()] == [
        "vosk-model-small-en-in-0.4",
        DEFAULT_MODEL,
        "vosk-model-small-eo-0.42",
    ]
    assert [e.lang for e in catalog.select(lang="en")] == ["en-in", "en-us"]
    assert [e.lang for e in catalog.select(lang="EN-US")] == ["en-us"]
    assert catalog.select(lang="e") == []
    assert len(catalog.select(include_all=True)) == 5
    assert len(catalog.select(lang="en-us", include_all=True)) == 3


def test_suggest_offers_close_names() -> None:
    catalog = catalog_of(entry(), entry(name="vosk-model-small-fr-0.22", lang="fr"))
    assert catalog.suggest("vosk-model-small-en-us-0.51")[0] == DEFAULT_MODEL
    assert catalog.suggest("whisper-large") == []


def test_format_table_aligns_columns_and_marks_status() -> None:
    catalog = catalog_of(entry(), entry(name="vosk-model-small-en-us-0.3", obsolete="true", size=37279669))
    table = format_table(catalog.entries, {DEFAULT_MODEL: "installed"}).splitlines()
    assert table == [
        "NAME                                   LANG     MB  STATUS",
        "vosk-model-small-en-us-0.15 (default)  en-us  41.2  installed",
        "vosk-model-small-en-us-0.3             en-us  37.3  obsolete",
    ]
