"""The reader's pure layers: Markdown -> blocks, links, wrapping, find, history."""

from __future__ import annotations

import time

import pytest

from casefile.ui.find import find_matches, first_at_or_after, fold_in_place
from casefile.ui.history import History
from casefile.ui.layout import LinkIndex, layout, wrap
from casefile.ui.links import classify_href
from casefile.ui.progressive import merge, split_body
from casefile.ui.render import PLAIN_TEXT_LIMIT, render_markdown


def texts(markdown: str) -> list[str]:
    """Each non-blank block as prefix + text."""
    return [b.first_prefix + b.text for b in render_markdown(markdown).blocks if b.kind != "blank"]


def test_wiki_links_become_link_spans_with_labels() -> None:
    doc = render_markdown("See [[Citizen Lab]] and [[MX-2017-001|the first case]].")
    block = doc.blocks[0]
    assert block.text == "See Citizen Lab and the first case."
    assert [(link.kind, link.target) for link in doc.links] == [("wiki", "Citizen Lab"), ("wiki", "MX-2017-001")]
    spans = [(block.text[s.start:s.end], s.link) for s in block.spans if s.link is not None]
    assert spans == [("Citizen Lab", 0), ("the first case", 1)]


def test_wiki_links_inside_code_stay_literal() -> None:
    doc = render_markdown("`[[not a link]]`\n\n```\n[[nor this]]\n```")
    assert doc.links == []
    assert "[[not a link]]" in doc.blocks[0].text


@pytest.mark.parametrize(("href", "kind"), [
    ("https://example.org/a", "url"),
    ("mailto:someone@example.org", "url"),
    ("other.md", "case"),
    ("sub/other.md#part", "case"),
    ("#section-two", "anchor"),
    ("../outside.md", "blocked"),
    ("sub/../../outside.md", "blocked"),
    ("/etc/passwd.md", "blocked"),
    ("file:///etc/passwd", "blocked"),
    ("javascript:alert(1)", "blocked"),
    ("C:\\Windows\\x.md", "blocked"),
    ("//evil.example/x.md", "blocked"),
    ("report.pdf", "file"),
])
def test_hrefs_are_classified(href: str, kind: str) -> None:
    assert classify_href(href, "2017/case.md").kind == kind


def test_relative_case_links_resolve_against_the_case_folder() -> None:
    assert classify_href("mx-002.md", "2017/mx-001.md").target == "2017/mx-002"
    assert classify_href("my%20case.md", "").target == "my case"


def test_blocked_links_are_not_followable_and_say_why() -> None:
    target = classify_href("../../etc/passwd.md", "case.md")
    assert not target.followable and "../" in target.reason


def test_markup_and_escapes_show_literally() -> None:
    hostile = "[link=file:///etc/passwd]x[/link] [/ [bold]red \x1b[31mX\x1b]0;title\x07 \x9b2J"
    doc = render_markdown(hostile)
    shown = "".join(b.text for b in doc.blocks)
    assert "[link=file:///etc/passwd]x[/link]" in shown and "[/ [bold]" in shown
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown


def test_deep_nesting_keeps_the_text_and_is_fast() -> None:
    for source in ("> " * 10_000 + "deep", "- " * 10_000 + "deep", ">" * 10_000 + "deep"):
        started = time.perf_counter()
        doc = render_markdown(source)
        assert any("deep" in b.text for b in doc.blocks)
        assert all(len(b.first_prefix) < 40 for b in doc.blocks)
        assert time.perf_counter() - started < 2  # a hang guard, not a speed target


def test_lists_quotes_code_and_tables() -> None:
    shown = texts("- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
                  "```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert shown[:5] == ["• one", "• two", "1. first", "2. second", "▌ quoted"]
    assert shown[5] == "code"
    assert shown[6].splitlines()[0] == "a │ b" and shown[6].splitlines()[2] == "1 │ 2"


def test_headings_make_the_outline_with_slugs() -> None:
    doc = render_markdown("# Title\n\ntext\n\n## Second part\n\n### Détails\n")
    assert [(h.level, h.title, h.slug) for h in doc.headings] == [
        (1, "Title", "title"), (2, "Second part", "second-part"), (3, "Détails", "détails")]
    assert doc.blocks[doc.headings[1].block].text == "Second part"


def test_huge_bodies_are_plain_text() -> None:
    doc = render_markdown("# not a heading\n" + "word " * (PLAIN_TEXT_LIMIT // 5 + 10))
    assert [b.kind for b in doc.blocks] == ["plain"] and doc.headings == []


def test_wrap_respects_width_words_and_wide_characters() -> None:
    text = "alpha beta gamma delta " + "x" * 30
    pieces = [text[s:e].rstrip() for s, e in wrap(text, 12)]
    assert pieces[:3] == ["alpha beta", "gamma delta", "x" * 12]
    assert "".join(text[s:e] for s, e in wrap(text, 12)) == text
    wide = "漢字漢字漢字"
    assert [wide[s:e] for s, e in wrap(wide, 5)] == ["漢字", "漢字", "漢字"]


def test_layout_marks_first_lines_and_prefixes_shrink_the_width() -> None:
    doc = render_markdown("> " + "word " * 30)
    lines = layout(doc, 20)
    assert lines[0].first and not lines[1].first
    assert all(len(doc.blocks[0].text[line.start:line.end].rstrip()) <= 18 for line in lines)


def test_find_ignores_case_and_accents_and_keeps_offsets() -> None:
    doc = render_markdown("Peña Nieto met PENA nieto.\n\nNothing here.")
    matches = find_matches(doc, "pena")
    assert [(b, doc.blocks[b].text[s:e]) for b, s, e in matches] == [(0, "Peña"), (0, "PENA")]
    assert len(fold_in_place("Straße İ")) == len("Straße İ")
    assert first_at_or_after(matches, 1) == 0


def test_history_moves_back_and_forward_and_drops_forward_on_push() -> None:
    history: History[str] = History()
    for key in ("a", "b", "c"):
        history.push(key)
    assert history.back() == "b" and history.back() == "a" and not history.can_back
    assert history.back() is None
    assert history.forward() == "b" and history.can_forward
    history.push("d")
    assert not history.can_forward and history.back() == "b"
    history.push("b")
    assert len(history) == 3


def test_history_is_bounded() -> None:
    history: History[int] = History(limit=3)
    for key in range(10):
        history.push(key)
    assert len(history) == 3 and history.back() == 8


def long_body(sections: int = 40) -> str:
    """A long body with sections, lists, fenced code holding a fake heading, and links."""
    parts = []
    for number in range(sections):
        parts.append(f"## Part {number}\n\n" + f"words and [[Link {number}]] more words. " * 30
                     + "\n\n- item\n- item [x](other.md)\n\n```\n\n# not a heading\n```\n\n")
    return "".join(parts)


def test_progressive_halves_render_like_the_whole() -> None:
    body = long_body()
    head, tail = split_body(body, head_chars=2000)
    assert tail and head + tail == body and tail.startswith("## Part")
    whole = render_markdown(body)
    merged = merge(render_markdown(head), render_markdown(tail))
    assert [b.text for b in merged.blocks if b.kind != "blank"] == [b.text for b in whole.blocks if b.kind != "blank"]
    assert [link.target for link in merged.links] == [link.target for link in whole.links]
    assert ([(h.title, merged.blocks[h.block].text) for h in merged.headings]
            == [(h.title, h.title) for h in whole.headings])
    last = merged.blocks[merged.headings[-1].block + 2]
    assert next(merged.links[s.link].target for s in last.spans if s.link is not None) == "Link 39"


@pytest.mark.parametrize("body", [
    "short body\n\n## heading\n",
    "x" * 30_000,
    "[ref]: https://example.org\n\n" + "para\n\n## h\n\n" * 3000,
    "```\n" + "\n## inside code\n" * 3000 + "```\n",
])
def test_bodies_that_cannot_be_cut_stay_whole(body: str) -> None:
    assert split_body(body, head_chars=1000) == (body, "")


def test_tables_are_aligned_when_they_fit_and_stacked_when_not() -> None:
    long_cell = "a role described in many words " * 3
    doc = render_markdown(f"| Person | Role |\n|---|---|\n| Ana | {long_cell.strip()} |\n| Bo | Lawyer |\n")
    wide = [doc.blocks[line.block].text[line.start:line.end] for line in layout(doc, 200)]
    assert wide[0].startswith("Person │ Role") and wide[2].startswith("Ana    │ a role")
    narrow = [doc.blocks[line.block].text[line.start:line.end].rstrip() for line in layout(doc, 40)]
    assert narrow[0] == "Person: Ana" and narrow[-1] == "Role: Lawyer"
    assert "".join(narrow).count("many words") == 3  # nothing is cut


def test_link_index_orders_links_and_steps_past_the_ends() -> None:
    doc = render_markdown("[[A]] and a long line " + "word " * 20 + "[[B|a label that wraps over lines]]\n\n[[C]]")
    index = LinkIndex(doc, layout(doc, 24))
    assert index.order() == [0, 1, 2]
    assert index.step(None, +1, 0) == 0 and index.step(0, +1, 0) == 1 and index.step(2, +1, 0) is None
    assert index.step(None, -1, 0) == 2 and index.step(0, -1, 0) is None
    assert index.line_of(2) == len(index.lines) - 1
    assert index.step(None, +1, index.line_of(1) or 0) == 1
