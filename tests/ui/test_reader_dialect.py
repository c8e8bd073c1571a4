"""The Obsidian dialect in the reader (format v1.1): comments, highlights, callouts, tasks, footnotes, math."""

from __future__ import annotations

from casefile.ui.render import Document, render_markdown


def texts(doc: Document) -> list[tuple[str, str, str]]:
    """(kind, first prefix, text) of every non-blank block."""
    return [(b.kind, b.first_prefix, b.text) for b in doc.blocks if b.kind != "blank"]


def roles(doc: Document) -> list[tuple[str, str]]:
    """(role, text) of every span."""
    return [(s.role, b.text[s.start:s.end]) for b in doc.blocks for s in b.spans]


def test_comments_are_hidden_inline_and_over_lines() -> None:
    doc = render_markdown("Seen %%secret one%% seen.\n\n%%\nsecret two\nsecret three\n%%\n\nAfter.\n")
    shown = " ".join(text for _k, _p, text in texts(doc))
    assert "secret" not in shown and "%%" not in shown
    assert texts(doc) == [("paragraph", "", "Seen  seen."), ("paragraph", "", "After.")]


def test_an_unclosed_comment_hides_nothing() -> None:
    assert texts(render_markdown("Cost 50%% of it.\n\n%%\nstill here\n")) == [
        ("paragraph", "", "Cost 50%% of it."), ("paragraph", "", "%% still here")]


def test_highlight_is_a_styled_span_with_inline_markup_inside() -> None:
    doc = render_markdown("A ==marked **bold**== word, a == b, x==y.\n")
    assert texts(doc) == [("paragraph", "", "A marked bold word, a == b, x==y.")]
    assert ("mark", "marked bold") in roles(doc) and ("strong", "bold") in roles(doc)


def test_callouts_are_framed_with_their_type_and_title_and_folded_ones_still_shown() -> None:
    doc = render_markdown("> [!note] My title\n> body line\n\n> [!warning]-\n> folded body\n")
    blocks = texts(doc)
    assert blocks[0] == ("callout", "┃ ", "Note: My title") and blocks[1] == ("paragraph", "┃ ", "body line")
    assert blocks[2][0] == "callout" and blocks[2][2].startswith("Warning") and "▸" in blocks[2][2]
    assert blocks[3] == ("paragraph", "┃ ", "folded body")
    assert "[!" not in " ".join(text for _k, _p, text in blocks)


def test_task_lists_show_boxes_not_brackets() -> None:
    doc = render_markdown("- [ ] open task\n- [x] done task\n- plain\n")
    assert texts(doc) == [("paragraph", "☐ ", "open task"), ("paragraph", "☑ ", "done task"),
                          ("paragraph", "• ", "plain")]


def test_footnotes_show_a_reference_and_the_note_at_the_end() -> None:
    doc = render_markdown("Claim[^src].\n\n[^src]: The source.\n")
    assert ("footnote", "[src]") in roles(doc)
    assert texts(doc)[-1] == ("paragraph", "[src] ", "The source.")


def test_math_and_mermaid_are_code_and_money_is_not_math() -> None:
    doc = render_markdown("Paid $5 and $6. Also $x^2$.\n\n$$\nE=mc^2\n$$\n\n```mermaid\ngraph TD; A-->B\n```\n")
    assert texts(doc) == [("paragraph", "", "Paid $5 and $6. Also x^2."), ("code", "", "E=mc^2"),
                          ("code", "", "graph TD; A-->B")]
    assert ("code", "x^2") in roles(doc)
