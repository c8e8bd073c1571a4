"""Parsing one file: every fallback of the format, front matter types, links, hashtags."""

from __future__ import annotations

import pytest

from casefile.core.read.parse import parse_case, valid_date

FULL = """---
id: MX-2017-004
title: "Pegasus: infections of journalists"
date: 2017-06-19
status: open
tags: [mexico, surveillance]
lang: es
entities:
  person: [Carmen Aristegui, Rafael Cabrera]
  organization: [Citizen Lab]
  place: Ciudad de México
sources:
  - title: Reckless Exploit
    url: https://example.org/report
    date: 2017-06-19
  - https://example.org/other
---
# Heading that is not the title

Periodistas vigilados por [[Citizen Lab]] y [[MX-2017-001|el caso anterior]]. #pegasus
"""


def codes(problems: list) -> list[str]:
    return [p.code for p in problems]


def test_full_front_matter() -> None:
    case, problems = parse_case(FULL, "mx/2017/pegasus.md")
    assert problems == []
    assert case.id == "MX-2017-004"
    assert case.title == "Pegasus: infections of journalists"
    assert case.date == "2017-06-19"
    assert case.status == "open"
    assert case.lang == "es"
    assert case.tags == ("mexico", "surveillance", "pegasus")
    assert case.entities == (
        ("person", "Carmen Aristegui"), ("person", "Rafael Cabrera"),
        ("organization", "Citizen Lab"), ("place", "Ciudad de México"),
    )
    assert [s.title for s in case.sources] == ["Reckless Exploit", "https://example.org/other"]
    assert case.sources[0].url == "https://example.org/report"
    assert [(link.target, link.label, link.line) for link in case.links] == [
        ("Citizen Lab", None, 20), ("MX-2017-001", "el caso anterior", 20)]
    assert case.kind == "case" and not case.is_entity
    assert case.body_line == 18


def test_title_falls_back_to_first_heading() -> None:
    case, _ = parse_case("Intro line\n\n# The real title #1\n\n# Second\n", "a/b.md")
    assert case.title == "The real title #1"


def test_title_falls_back_to_file_name() -> None:
    case, problems = parse_case("no heading here\n", "2017/mx-004.md")
    assert (case.title, case.id, problems) == ("mx-004", "2017/mx-004", [])


def test_id_falls_back_to_relative_path_and_defaults() -> None:
    case, _ = parse_case("---\ntitle: Only a title\n---\ntext\n", "nested/deep/case.md")
    assert case.id == "nested/deep/case"
    assert (case.date, case.status, case.lang, case.tags) == (None, None, "en", ())


@pytest.mark.parametrize("written", ["2017", "2017-06", "2017-06-19", "2016-02-29"])
def test_dates_as_written(written: str) -> None:
    case, problems = parse_case(f"---\ndate: {written}\n---\n", "c.md")
    assert (case.date, problems) == (written, [])


@pytest.mark.parametrize("written", ["2017-13-45", "2017-02-30", "19/06/2017", "June 2017", "17-06"])
def test_invalid_dates_are_located_problems(written: str) -> None:
    case, problems = parse_case(f"---\ntitle: t\ndate: {written}\n---\nbody\n", "c.md")
    assert case.date is None
    assert [(p.code, p.line, p.severity) for p in problems] == [("date-invalid", 3, "error")]


def test_valid_date_rejects_impossible_days() -> None:
    assert valid_date("2017-02-28") and not valid_date("2017-02-29")


def test_hashtags_outside_code_only() -> None:
    body = (
        "# Title\n#linestart is a hashtag: a heading needs a space\n"
        "Text #pegasus and #Periodistas, not `#inline` nor page#anchor nor &#123; nor #2017.\n"
        "```\n#fenced [[Hidden]]\n```\n~~~python\n#tilde\n~~~\nafter #desaparición\n"
    )
    case, _ = parse_case(body, "t.md")
    assert case.tags == ("linestart", "pegasus", "Periodistas", "desaparición")
    assert case.links == ()


def test_front_matter_tags_and_hashtags_are_merged_without_repeats() -> None:
    case, _ = parse_case("---\ntags: [pegasus, mexico]\n---\nA #Pegasus case #nso\n", "t.md")
    assert case.tags == ("pegasus", "mexico", "nso")


def test_wiki_links_with_labels_and_lines() -> None:
    text = "line one\n[[ Citizen  Lab ]] and [[Enrique Peña Nieto|the president]]\n\n[[]] [[X|]]\n"
    case, _ = parse_case(text, "t.md")
    assert [(link.target, link.label, link.line) for link in case.links] == [
        ("Citizen Lab", None, 2), ("Enrique Peña Nieto", "the president", 2), ("X", None, 4)]


def test_entity_page() -> None:
    text = ("---\ntype: organization\nname: Citizen Lab\n"
            "aliases: [The Citizen Lab, Munk School Citizen Lab]\n---\nLab.\n")
    case, problems = parse_case(text, "entities/citizen-lab.md")
    assert problems == []
    assert case.is_entity and case.entity_type == "organization"
    assert case.title == "Citizen Lab"
    assert case.aliases == ("The Citizen Lab", "Munk School Citizen Lab")


def test_entity_page_name_falls_back_to_heading() -> None:
    case, _ = parse_case("---\ntype: person\n---\n# Carmen Aristegui\n", "p.md")
    assert (case.kind, case.title) == ("entity", "Carmen Aristegui")


@pytest.mark.parametrize(
    ("front", "code", "line"),
    [
        ("title: [unclosed", "front-matter-invalid", 2),
        ("a: !!python/object/apply:os.system [echo]", "front-matter-invalid", 2),
        ("a: &x [1]\nb: *x", "front-matter-invalid", 2),
        ("- just\n- a list", "front-matter-invalid", 2),
        ("title: t\nentities: [A, B]", "field-invalid", 3),
        ("title: t\ntags: {a: 1}", "field-invalid", 3),
        ("title: t\naliases: {a: 1}", "field-invalid", 3),
        ("title: t\nlang: spanish", "field-invalid", 3),
        ("title: t\nsources: nope", "field-invalid", 3),
    ],
)
def test_front_matter_problems_are_located_and_the_rest_is_used(front: str, code: str, line: int) -> None:
    case, problems = parse_case(f"---\n{front}\n---\n# Heading\nbody #tag [[Link]]\n", "bad.md")
    assert [(p.code, p.line, p.path) for p in problems] == [(code, line, "bad.md")]
    assert case.links[0].target == "Link" and "tag" in case.tags


def test_tags_as_string_are_still_used() -> None:
    case, _ = parse_case("---\ntags: pegasus, mexico\n---\n", "t.md")
    assert case.tags == ("pegasus", "mexico")


def test_unclosed_front_matter_is_plain_markdown_with_a_warning() -> None:
    case, problems = parse_case("---\ntitle: x\n# Heading\n", "t.md")
    assert (case.title, codes(problems)) == ("Heading", ["front-matter-unclosed"])


def test_year_only_date_written_as_number() -> None:
    case, _ = parse_case("---\ndate: 2014\n---\n", "t.md")
    assert case.date == "2014"
