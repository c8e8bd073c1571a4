"""The body scanner's work does not grow with the number of lines: counted in calls, never timed.

A body of 300,000 lines cost 1.5-3 s per read when the scanner ran Python code per line
(issue 10); whole-text regular expressions make it a few C passes per run of prose.
"""

from __future__ import annotations

import pytest
from safety.helpers import calls

from casefile.core.model import Link
from casefile.core.read.scan import prose_lines, prose_segments, scan_body
from casefile.core.xref import mentions
from casefile.core.xref.mentions import Matcher


@pytest.mark.parametrize("line", ["#\n", "## heading\n", "| a | b |\n", "plain words here\n", "- item `code`\n"])
def test_scanning_many_lines_makes_a_bounded_number_of_calls(line: str) -> None:
    assert calls(scan_body, line * 100_000) < 100


def test_fenced_code_costs_calls_per_fence_not_per_line() -> None:
    body = ("text #tag [[Link]]\n```\n" + "code #no [[No]]\n" * 1000 + "```\n") * 10
    assert calls(scan_body, body) < 2000  # ~110 a fence (the link grammar makes a few calls a link); 10,000 code lines
    scan = scan_body(body)
    assert scan.hashtags == ["tag"] * 10 and [link.line for link in scan.links] == list(range(1, 10_000, 1003))


def test_segments_and_lines_keep_line_numbers_across_fences() -> None:
    body = "a\n```\ncode\n```\nb `x` c\n~~~~\n~~~\nd\n~~~~\n\n"
    assert list(prose_segments(body, 5)) == [(5, "a"), (9, "b   c"), (14, "\n")]
    assert list(prose_lines(body, 5)) == [(5, "a"), (9, "b   c"), (14, ""), (15, "")]


def test_headings_hashtags_and_links_are_found_on_their_lines() -> None:
    body = "#\n# \n#tag one\n# Title #not-a-tag\n#12 and #x-1\n[[A|label]] [[ B ]]\n[t](../up) <https://x.org>\n"
    scan = scan_body(body, 3)
    assert (scan.heading, scan.heading_line) == ("Title #not-a-tag", 6)
    assert scan.hashtags == ["tag", "x-1"]
    assert scan.links == [Link("A", "label", 8), Link("B", None, 8)]
    assert scan.hrefs == [(9, "../up"), (9, "https://x.org")]


def test_mentions_cost_calls_per_paragraph_holding_a_name_not_per_line() -> None:
    matcher = Matcher.of(["citizen lab", "r3d"])
    filler = "## heading\n" * 50_000
    body = filler + "Report by\nCitizen Lab.\n" + filler + "R3D again\n" + filler
    assert calls(mentions.scan_body, body, 1, matcher, set()) < 1000
    scan = mentions.scan_body(body, 1, matcher, set())
    assert scan.mentions == [("citizen lab", 50_002, "Citizen Lab."), ("r3d", 100_003, "R3D again")]
    assert {"heading", "report", "citizen", "lab"} <= scan.words


def test_names_the_file_itself_lists_are_not_matched_again_on_every_line() -> None:
    matcher = Matcher.of(["citizen lab"])
    assert calls(mentions.scan_body, "- Citizen Lab\n" * 100_000, 1, matcher, {"citizen lab"}) < 100


def test_a_fence_on_every_line_costs_few_calls_per_fence() -> None:
    assert calls(scan_body, "```\n" * 100_000) < 10 * 100_000  # a fence: its match and groups (was 15)
    assert list(prose_segments("```\n" * 4 + "a\n", 1)) == [(5, "a\n")]


def test_a_link_target_repeated_in_a_file_is_checked_for_leaving_the_folder_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from casefile.core.read import parse

    checked: list[str] = []
    real = parse.wiki_target_leaves
    monkeypatch.setattr(parse, "wiki_target_leaves", lambda target: checked.append(target) or real(target))
    _case, problems = parse.parse_case("[[a]] [[../b]] " * 10_000, "x.md")
    assert sorted(checked) == ["../b", "a"]
    assert [p.code for p in problems if p.code == "link-outside"] == ["link-outside"]
    message = next(p.message for p in problems if p.code == "link-outside")
    assert "point outside the case folder are never followed: 10,000" in message


def test_a_tag_repeated_on_a_long_line_is_listed_once() -> None:
    assert scan_body("#t #u " * 100_000 + "\n#T").hashtags == ["t", "u", "T"]
