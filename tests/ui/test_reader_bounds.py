"""The reader stays responsive on hostile bodies: rendering runs in a worker (issue 10, finding 7)."""

from __future__ import annotations

import threading

import pytest
from test_reader_view import ReaderApp, case

from casefile.ui.widgets import case_body, case_view
from casefile.ui.widgets.find_bar import FindBar


def header_only_table(columns: int) -> str:
    """A Markdown table with a header row and no data."""
    return "|" + "|".join(f"c{n}" for n in range(columns)) + "|\n|" + "-|" * columns + "\n"


async def test_keys_work_while_a_wide_table_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    on_ui_thread: list[bool] = []
    render = case_view.render_markdown

    def held_render(*args: object, **kwargs: object) -> object:
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(timeout=5)  # released by the test once a key has been handled
        return render(*args, **kwargs)

    monkeypatch.setattr(case_view, "render_markdown", held_render)
    wide = case("# Wide\n\n" + header_only_table(6000), "wide.md")  # ~45 KB, one line
    app = ReaderApp(wide)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("wide")
        app.view.body.focus()
        await pilot.press("slash")
        assert app.query_one(FindBar).display and not gate.is_set()  # handled while rendering waits
        assert app.view.has_class("-loading")
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert on_ui_thread == [False]
        assert "table" in {block.kind for block in app.view.body.document.blocks}
        assert not app.view.has_class("-loading")


async def test_keys_work_while_a_resized_long_body_is_laid_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    on_ui_thread: list[bool] = []
    real_layout = case_body.layout

    def held_layout(document: object, width: int) -> object:
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(timeout=5)  # released by the test once a key has been handled
        return real_layout(document, width)

    paragraphs = "\n\n".join(f"Paragraph {n}: " + "words that wrap " * 30 for n in range(120))  # ~60 KB
    app = ReaderApp(case("# Long\n\n" + paragraphs, "long.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("long")
        await app.workers.wait_for_complete()
        await pilot.pause()
        body = app.view.body
        body.focus()
        before = len(body.lines)
        monkeypatch.setattr(case_body, "layout", held_layout)
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        await pilot.press("j")
        assert body.scroll_y == 1 and not gate.is_set()  # the key was handled while the layout waits
        assert len(body.lines) == before  # the old lines stay on screen meanwhile
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert on_ui_thread and not any(on_ui_thread)
        assert len(body.lines) > before and body._line_width == body.text_width
        texts = [body.document.blocks[line.block].text[line.start:line.end].rstrip() for line in body.lines]
        assert max(map(len, texts)) <= body.text_width < 80
