"""Rendering costs work linear in the body: counted in function calls, never timed (issue 10)."""

from __future__ import annotations

from typing import Any

from safety.helpers import calls

from casefile.ui.render import PLAIN_LINE_LIMIT, render_markdown
from casefile.ui.tables import aligned, stacked


def rows(columns: int, data_rows: int = 1) -> list[list[tuple[str, list[Any]]]]:
    """A header and `data_rows` rows of `columns` cells."""
    return [[(f"{kind}{n}", []) for n in range(columns)] for kind in ["h", *["v"] * data_rows]]


def header_only_table(columns: int) -> str:
    """A Markdown table with a header row and no data."""
    return "|" + "|".join(f"c{n}" for n in range(columns)) + "|\n|" + "-|" * columns + "\n"


def test_aligned_and_stacked_tables_are_linear_in_columns() -> None:
    for form in (aligned, stacked):
        small, large = calls(form, rows(500)), calls(form, rows(2000))
        assert large < 5 * small, form.__name__  # quadratic would be 16 times


def test_a_wide_header_only_table_renders_in_linear_work() -> None:
    small = calls(render_markdown, header_only_table(1000))
    large = calls(render_markdown, header_only_table(4000))
    assert large < 5 * small


def test_a_body_of_very_many_lines_is_plain_text() -> None:
    document = render_markdown("#\n" * (PLAIN_LINE_LIMIT + 1))  # ~30 us a heading to parse
    assert [block.kind for block in document.blocks] == ["plain"] and not document.headings
    assert len(render_markdown("# a\n" * 10).headings) == 10


def test_a_body_of_very_many_inline_markers_is_plain_text() -> None:
    for hostile in ("[[" * 74_000, "*_" * 74_000, "![" * 20_000):  # 0.8-2 s each to parse
        assert [block.kind for block in render_markdown(hostile).blocks] == ["plain"]
    code = "```c\n" + "*p[i] = a_b | c & ~d;\n" * 3000 + "```\n"  # markers in fenced code are cheap
    assert [block.kind for block in render_markdown(code).blocks] == ["code"]
    assert "strong" in {span.role for block in render_markdown("**bold** " * 3000).blocks for span in block.spans}
