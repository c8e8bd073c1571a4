"""Property-based tests: arbitrary text and front matter never break the parser or the sanitizer."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.core.model import Case, Problem
from casefile.core.read.parse import parse_case
from casefile.core.text.sanitize import clean, clean_line, is_clean
from safety.helpers import FORBIDDEN

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces an attacker would use, mixed into otherwise arbitrary text.
NASTY = ["\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9c", "\x9d", "\x90",
         "\x00", "\r", "\r\n", "\n", "\t", "\x7f", "\x85", "\u202e", "\u2066", "\ud800", "\udcff",
         "---\n", "[[", "]]", "|", "`", "```\n", "#", "# ", "](", "../", "file://", "&a ", "*a",
         "!!python/object/apply:os.system", "[link=x]", "[/", "\ufffd"]
ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates included
TEXT = st.lists(st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=12)), max_size=40).map("".join)
PLAIN = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=200).filter(
    lambda s: not FORBIDDEN.search(s))


@BOUNDED
@given(TEXT)
def test_clean_leaves_no_control_character_but_newline_and_tab(text: str) -> None:
    cleaned = clean(text)
    assert not FORBIDDEN.search(cleaned) and is_clean(cleaned)
    cleaned.encode("utf-8")


@BOUNDED
@given(TEXT)
def test_clean_line_is_one_line(text: str) -> None:
    line = clean_line(text)
    assert is_clean(line) and "\n" not in line and "\t" not in line


@BOUNDED
@given(TEXT)
def test_clean_is_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)
    assert clean_line(clean_line(text)) == clean_line(text)


@BOUNDED
@given(TEXT.filter(lambda s: "\r" not in s))
def test_clean_keeps_every_newline(text: str) -> None:
    assert clean(text).count("\n") == text.count("\n")  # line numbers stay true


@BOUNDED
@given(PLAIN)
def test_plain_text_is_unchanged(text: str) -> None:
    assert clean(text) == text
    assert clean_line(text) == text.replace("\n", " ").replace("\t", " ")


def case_strings(case: Case) -> list[str]:
    """Every string of a parsed case that a reader may show."""
    strings = [case.id, case.title, case.body, case.lang, case.status or "", case.date or "",
               case.entity_type or "", *case.tags, *case.aliases]
    strings += [part for pair in case.entities for part in pair]
    strings += [v or "" for s in case.sources for v in (s.title, s.url, s.date)]
    strings += [v or "" for link in case.links for v in (link.target, link.label)]
    return strings


def assert_sound(text: str, case: Case, problems: list[Problem]) -> None:
    """Problems are located inside the file, and every output string is clean."""
    last_line = text.count("\n") + 1
    for problem in problems:
        assert problem.line is None or 1 <= problem.line <= last_line, problem
        assert is_clean(problem.path) and is_clean(problem.message) and "\n" not in problem.message
    for string in case_strings(case):
        assert is_clean(string), repr(string)
    for link in case.links:
        assert 1 <= link.line <= last_line


@BOUNDED
@given(TEXT)
def test_parse_case_accepts_any_text(text: str) -> None:
    case, problems = parse_case(text, "any/case.md")
    assert_sound(text, case, problems)


@BOUNDED
@given(TEXT, TEXT)
def test_parse_case_accepts_any_front_matter_text(yaml_text: str, body: str) -> None:
    text = f"---\n{yaml_text}\n---\n{body}"
    case, problems = parse_case(text, "case.md")
    assert_sound(text, case, problems)


SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(ANY_CHAR.filter(
    lambda c: not "\ud800" <= c <= "\udfff"), max_size=20),
    st.sampled_from(["2017-13-45", "2017-06", "!!python/name:os.system"]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
KEYS = st.sampled_from(["id", "title", "date", "status", "tags", "lang", "entities", "sources",
                        "type", "name", "aliases", "other"])


@BOUNDED
@given(st.dictionaries(KEYS, VALUE, max_size=8), TEXT)
def test_parse_case_accepts_any_front_matter_data(meta: dict[str, Any], body: str) -> None:
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    case, problems = parse_case(text, "case.md")
    assert_sound(text, case, problems)
