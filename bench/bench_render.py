"""How long the reader takes to show a case: rendered and scrollable.

`python bench/bench_render.py [--words 5000] [--folder DIR] [--compare]` prints a
table. Measured in a headless pilot: `show_case` until the first frame is painted
(render + layout + paint; long cases render their first part first), until the whole
case is laid out, and a painted jump to the end (scrollable); medians of runs.
`--folder` also measures the folder's longest case; `--compare` adds Textual's own
Markdown widget on the same text, for reference. `bench_render(words)` returns the
figures for bench/bench_ui.py.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from casefile.core.model import Case
from casefile.core.read.library import FileStat, read_case
from casefile.core.read.parse import parse_case
from casefile.ui.layout import layout
from casefile.ui.render import render_markdown
from casefile.ui.widgets.case_view import CaseView

TCSS = Path(__file__).resolve().parent.parent / "src" / "casefile" / "ui" / "casefile.tcss"
SIZE = (120, 40)
WORDS = ("the government surveillance journalist report court evidence witness phone spyware "
         "infection investigation prosecutor activists el gobierno periodista vigilancia "
         "fiscalía pruebas testigos derechos humanos").split()


def synthetic_case(words: int = 5000, seed: int = 7) -> Case:
    """A case of about `words` words: sections, paragraphs, lists, quotes, links, code."""
    rng = random.Random(seed)
    out = ["---\ntitle: Long case\ndate: 2020-01-01\ntags: [bench]\n---\n# Long case\n"]
    count = 0
    while count < words:
        if rng.random() < 0.08:
            out.append(f"\n## Section {count}\n")
        sentence = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        for index in rng.sample(range(len(sentence)), 3):
            sentence[index] = rng.choice(["[[Citizen Lab]]", "**key**", "`code`", "[src](https://example.org)",
                                          "[[MX-2017-001|a case]]", "*emphasis*"])
        out.append("\n" + " ".join(sentence) + ".\n")
        if rng.random() < 0.1:
            out.append("\n- first item [[Pegasus]]\n- second item\n- third item\n")
        if rng.random() < 0.05:
            out.append("\n> a quoted source that says something important\n")
        count += len(sentence)
    return parse_case("".join(out), "bench.md")[0]


class _Bench(App[None]):
    """A CaseView alone, the way the reader shows it."""

    CSS_PATH = str(TCSS)

    def compose(self) -> ComposeResult:
        yield CaseView()


class _MarkdownBench(App[None]):
    """Textual's Markdown widget, for comparison."""

    def compose(self) -> ComposeResult:
        yield Markdown(open_links=False)


async def _time_case_view(case: Case, runs: int) -> dict[str, float]:
    """Medians: to the first painted screen, to the whole case laid out (scrollable to its end),
    and for a painted jump to the end."""
    firsts, wholes, ends = [], [], []
    app = _Bench()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(CaseView)
        painted: list[float] = []
        paint = view.body.render_line

        def spy(y: int) -> object:
            if y == view.body.size.height - 1 and not painted:
                painted.append(time.perf_counter())
            return paint(y)

        laid_out: list[float] = []
        set_document = view.body.set_document

        def spy_set(*args: object, **kwargs: object) -> None:
            set_document(*args, **kwargs)  # type: ignore[arg-type]
            laid_out.append(time.perf_counter())

        view.body.render_line = spy  # type: ignore[method-assign]
        view.body.set_document = spy_set  # type: ignore[method-assign]
        for _ in range(runs):
            painted.clear()
            laid_out.clear()
            started = time.perf_counter()
            view.show_case(case, lambda target: None)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            wholes.append(laid_out[-1] - started)
            firsts.append(painted[0] - started if painted else wholes[-1])
            started = time.perf_counter()
            view.body.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            ends.append(time.perf_counter() - started)
    return {"first_paint": statistics.median(firsts), "whole_case": statistics.median(wholes),
            "jump_to_end": statistics.median(ends)}


async def _time_markdown_widget(case: Case) -> float:
    """Seconds for Textual's Markdown widget to build and paint the same body."""
    app = _MarkdownBench()
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        await app.query_one(Markdown).update(case.body)
        await pilot.pause()
        return time.perf_counter() - started


def measure(case: Case, runs: int = 5, compare: bool = False) -> dict[str, float]:
    """Every figure for one case, in seconds (and its size)."""
    started = time.perf_counter()
    document = render_markdown(case.body, case.path)
    parsed = time.perf_counter() - started
    started = time.perf_counter()
    lines = layout(document, SIZE[0] - 2)
    laid = time.perf_counter() - started
    figures = {"words": float(len(case.body.split())), "lines": float(len(lines)),
               "render": parsed, "layout": laid, **asyncio.run(_time_case_view(case, runs))}
    if compare:
        figures["textual_markdown"] = asyncio.run(_time_markdown_widget(case))
    return figures


def bench_render(words: int = 5000, runs: int = 5) -> dict[str, float]:
    """Figures for a synthetic case of `words` words (for bench/bench_ui.py)."""
    return measure(synthetic_case(words), runs)


def longest_case(folder: Path) -> Case | None:
    """The largest Markdown file below `folder`, read like the reader does."""
    files = sorted(folder.rglob("*.md"), key=lambda p: p.stat().st_size, reverse=True)
    if not files:
        return None
    path = files[0]
    stat = FileStat(path.relative_to(folder).as_posix(), path.stat().st_size, path.stat().st_mtime_ns)
    return read_case(folder, stat)[0]


def table(rows: dict[str, dict[str, float]]) -> str:
    """A fixed-width table, one row per measured case."""
    columns = ["words", "lines", "render", "layout", "first_paint", "whole_case", "jump_to_end",
               "textual_markdown"]
    used = [c for c in columns if any(c in r for r in rows.values())]
    lines = ["case".ljust(22) + "".join(c.rjust(17) for c in used)]
    for name, row in rows.items():
        cells = [f"{row[c]:.0f}" if c in ("words", "lines") else f"{row[c] * 1000:.1f} ms" if c in row else "-"
                 for c in used]
        lines.append(name.ljust(22) + "".join(cell.rjust(17) for cell in cells))
    return "\n".join(lines)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    rows = {f"synthetic {args.words} words": measure(synthetic_case(args.words), args.runs, args.compare)}
    if args.folder and (case := longest_case(args.folder.resolve())) is not None:
        rows[f"longest: {case.path[:14]}"] = measure(case, args.runs, args.compare)
    print(f"reader render, {SIZE[0]}x{SIZE[1]}, median of {args.runs} runs (target: 5,000 words <= 300 ms)")
    print(table(rows))


if __name__ == "__main__":
    sys.exit(main())
