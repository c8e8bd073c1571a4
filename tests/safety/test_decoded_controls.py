"""Controls that only appear once text is decoded (`&#x202E;`, `%1B`) never reach the terminal,
and `show` never runs a Pygments lexer on a file's code (issue 10, findings 3 and 4)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from pygments.lexer import RegexLexer

from casefile.cli import main, show
from casefile.core.read.parse import parse_case
from casefile.ui.links import classify_href
from casefile.ui.printed import plain_lines
from casefile.ui.render import render_markdown
from safety.helpers import forbidden_in

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
REFERENCES = (HOSTILE / "entity-references.md").read_text(encoding="utf-8")
BODY = parse_case(REFERENCES, "entity-references.md")[0].body


def test_rendered_blocks_and_links_hold_no_decoded_control() -> None:
    document = render_markdown(BODY, "entity-references.md")
    texts = [b.text for b in document.blocks] + [h.title for h in document.headings]
    texts += [f"{link.target} {link.label}" for link in document.links]
    assert forbidden_in("\n".join(texts)) == []
    assert "\ufffdreversed" in document.headings[0].title  # decoded, then shown as a placeholder


@pytest.mark.parametrize("href", ["#%E2%80%AEx", "a%1B%5B2J%E2%80%AE.md", "notes/%C2%9B31m.md"])
def test_percent_decoded_link_targets_are_clean(href: str) -> None:
    assert forbidden_in(classify_href(href, "cases/x.md").target) == []


@pytest.mark.parametrize("color", [False, True])
def test_show_prints_references_as_placeholders(color: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    show.render(parse_case(REFERENCES, "entity-references.md")[0], color)
    printed = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # Rich's own colours
    assert forbidden_in(printed) == [] and "\ufffdreversed" in printed


def test_show_never_runs_a_lexer_on_file_code(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("a Pygments lexer ran on code from a file")

    monkeypatch.setattr(RegexLexer, "get_tokens_unprocessed", refuse)
    code = main(["show", "code-backtracking", "--no-disk-index", "--cases", str(HOSTILE)])
    assert code == 0 and "\\" * 60 in capsys.readouterr().out


def test_show_prints_a_body_of_very_many_headings_as_plain_text() -> None:
    case = parse_case("# Many\n\n" + "## h\n" * 20_000, "many.md")[0]
    lines = list(plain_lines(render_markdown(case.body, case.path, case.title), 80))
    assert lines[:3] == ["# Many", "", "## h"] and lines.count("## h") == 20_000
