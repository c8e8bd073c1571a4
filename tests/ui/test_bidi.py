"""Right-to-left text never turns a screen line (borders, other panes) right to left."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pilot_helpers import screen_lines, settle, started

from casefile.ui.app import CasefileApp
from casefile.ui.widgets.xref_panel import XrefPanel

ARABIC = ("---\nid: AR-{n}\ntitle: منصور {n}\nentities:\n  person: [Citizen Lab]\n---\n"
          "أحمد منصور [[Citizen Lab]] في الإمارات.\n")
HEBREW = "---\nid: HE-1\ntitle: קבוצת NSO\n---\nקבוצת NSO מכרה את [[Citizen Lab]] פגסוס.\n"


def first_strong(line: str) -> str | None:
    """The bidi class of the line's first strong character (which sets a terminal line's direction)."""
    return next((cls for ch in line if (cls := unicodedata.bidirectional(ch)) in ("L", "R", "AL")), None)


async def test_rtl_rows_keep_every_screen_line_left_to_right(app: CasefileApp, case_dir: Path) -> None:
    for n in range(3):
        (case_dir / f"ar{n}.md").write_text(ARABIC.format(n=n), encoding="utf-8")
    (case_dir / "he.md").write_text(HEBREW, encoding="utf-8")
    async with app.run_test(size=(200, 50)) as pilot:
        await started(pilot)
        # (no Arabic query: what the user types in the search bar is theirs, shown as typed)
        app.service.load_entity("Citizen Lab", reply_to=app.reading)
        await settle(pilot)
        panel = app.query_one(XrefPanel)
        assert panel.entity_xref is not None and panel.entity_xref.name == "Citizen Lab"
        lines = screen_lines(app)
        assert any("منصور" in line for line in lines)
        assert [line for line in lines if first_strong(line) not in (None, "L")] == []
