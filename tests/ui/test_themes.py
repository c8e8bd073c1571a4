"""Every theme offered keeps every text the reader paints at a WCAG contrast of 4.5:1 or more."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import painted_strips, settle, started, type_query
from rich.segment import Segment
from textual.color import Color
from textual.pilot import Pilot

from casefile.ui.app import CasefileApp
from casefile.ui.contrast import TARGET, ratio
from casefile.ui.widgets.case_body import CaseBody
from casefile.ui.widgets.result_list import ResultList

STYLED = """---
id: ST-1
title: Styled spyware case
date: 2017-06-19
status: open
tags: [mexico, spyware]
entities:
  organization: [Citizen Lab]
---
# Styled spyware case

## Facts

Plain spyware text, **bold spyware**, *emphasis*, `code`, ~~struck~~, a link to
[[Citizen Lab]], a dangling [[Nobody Named So]], a [report](https://example.org/r)
and a refused [file](../../etc/passwd.md).

> A quoted spyware line.

> [!warning] Callout spyware title
> Inside a callout, ==highlighted spyware== and a footnote[^1].

![[notes]]

[^1]: The spyware footnote.

| Name | Role | Date |
|------|------|------|
| Ana **Ruiz** | [[Citizen Lab]] | 2017 |
| Luis | spyware | 2018 |

```
code block spyware
```
"""
BOX = range(0x2500, 0x25A0)
"""Borders, blocks and scrollbar glyphs: not text."""


def unreadable(segments: list[list[Segment]]) -> list[tuple[str, float]]:
    """(text, contrast) of every visible text segment under `TARGET` (or with unknown colours)."""
    found = []
    for line in segments:
        for segment in line:
            text, style = segment.text.strip(), segment.style
            if not text or style is None or all(ord(ch) in BOX for ch in text):
                continue
            if style.color is None or style.bgcolor is None or style.color.is_default or style.bgcolor.is_default:
                found.append((text, 0.0))
                continue
            fore, back = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            if style.dim:  # as a terminal would: halfway to the background
                fore = fore.blend(back, 0.5)
            if (contrast := ratio(fore, back)) < TARGET:
                found.append((text, round(contrast, 2)))
    return found


async def every_theme(pilot: Pilot[object], app: CasefileApp) -> dict[str, list[tuple[str, float]]]:
    """The unreadable segments on screen under each offered theme."""
    failures = {}
    for theme in app.available_themes:
        app.theme = theme
        await pilot.pause()
        if bad := unreadable(painted_strips(app)):
            failures[theme] = bad[:5]
    return failures


async def test_every_offered_theme_keeps_every_style_readable(app: CasefileApp, case_dir: Path) -> None:
    (case_dir / "styled.md").write_text(STYLED, encoding="utf-8")
    async with app.run_test(size=(200, 50)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")  # highlighted matches in the results
        app.open_case("ST-1", focus=True)
        await settle(pilot)
        await pilot.press("slash", *"spyware", "enter", "tab")  # find matches, current match, a selected link
        await pilot.pause()
        assert app.focused is app.query_one(CaseBody)
        reading = await every_theme(pilot, app)
        app.set_focus(app.query_one(ResultList))  # the focused cursor row
        await pilot.pause()
        results = await every_theme(pilot, app)
    assert len(app.available_themes) >= 10
    assert reading == {} and results == {}


def test_themes_whose_colours_are_unknown_are_not_offered(app: CasefileApp) -> None:
    assert "textual-light" in app.available_themes and "solarized-light" in app.available_themes
    assert not [name for name in app.available_themes if name.startswith("ansi")]
