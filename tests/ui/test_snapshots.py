"""Layout snapshots on the sample archive (cases/), through pytest-textual-snapshot.

Each test drives the app to one screen, then compares Textual's SVG screenshot with
the file under __snapshots__/test_snapshots/. Nothing on screen may depend on the
machine or on timing: fixed terminal size and theme, the repository's own sample
folder (folder-relative paths only), workers finished, cursor blink frozen, toasts
cleared. After an intended change of layout, refresh them with
`pytest tests/ui/test_snapshots.py --snapshot-update` and look at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from pilot_helpers import config_for, freeze_blink, settle, started, type_query
from textual.pilot import Pilot

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.widgets.search_pane import SETTLE_SECONDS

SAMPLE = Path(__file__).resolve().parents[2] / "cases"
"""The sample archive of the repository (read only: the app runs with an in-memory index)."""
THEME = "textual-dark"
SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[object]], Awaitable[None]]


def sample_app() -> CasefileApp:
    """The app on the sample archive, in English, writing nothing, without the folder watch."""
    return make_app(config_for(SAMPLE), live_interval=None)


def prepared(steps: Steps) -> Steps:
    """Start the app, run `steps`, then wait until nothing more can change on screen."""
    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        app.theme = THEME
        await started(pilot)
        freeze_blink(app)
        await steps(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)  # a highlighted hit is previewed after a pause
        await settle(pilot)
        freeze_blink(app)  # inputs of a dialog opened by `steps`
        app.clear_notifications()  # a toast leaves after a timeout: never in a snapshot
        await pilot.pause()
    return run_before


def test_main_layout_with_results_and_a_preview(snap_compare: SnapCompare) -> None:
    async def steps(pilot: Pilot[object]) -> None:
        await type_query(pilot, "pegasus")

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=prepared(steps))


def test_reader_beside_the_cross_reference_pane(snap_compare: SnapCompare) -> None:
    async def steps(pilot: Pilot[object]) -> None:
        await type_query(pilot, "khashoggi")
        pilot.app.open_case("international/khashoggi.md", focus=True)
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(160, 45), run_before=prepared(steps))


def test_reader_with_the_cross_reference_pane_asked_for(snap_compare: SnapCompare) -> None:
    async def steps(pilot: Pilot[object]) -> None:
        pilot.app.open_case("mexico/pegasus/ejercito-espia.md", focus=True)
        await settle(pilot)
        await pilot.press("f3")  # hidden by default at this width: shown, and read now
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=prepared(steps))


def test_problems_screen(snap_compare: SnapCompare) -> None:
    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=prepared(steps))


def test_narrow_reader(snap_compare: SnapCompare) -> None:
    async def steps(pilot: Pilot[object]) -> None:
        pilot.app.open_case("mexico/pegasus/2017-06-reckless-exploit.md", focus=True)
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(80, 24), run_before=prepared(steps))
