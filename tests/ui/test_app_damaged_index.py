"""An index that cannot be read: the search reports it, the app rebuilds it once, in its
refresh worker, and the query is answered (a search itself never writes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pilot_helpers import settle, type_query, wait_until
from test_app_search import hit_ids

from casefile.config import Config
from casefile.core.archive.facade import Archive
from casefile.ui.app import make_app

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


def garble(index: Path) -> None:
    """Overwrite the middle of each segment, keeping sizes (a refresh's check sees nothing)."""
    for segment in index.glob("MAIN_*.seg"):
        data = bytearray(segment.read_bytes())
        middle = len(data) * 3 // 4 - len(data) // 4
        data[len(data) // 4: len(data) * 3 // 4] = (bytes(range(256)) * (middle // 256 + 1))[:middle]
        segment.write_bytes(bytes(data))


async def test_a_damaged_index_is_rebuilt_by_the_app_and_the_query_answered(tmp_path: Path) -> None:
    cases, index = tmp_path / "cases", tmp_path / "index"
    shutil.copytree(BILINGUAL, cases)
    Archive.open(cases, index).refresh()
    garble(index)
    damaged = set(index.glob("MAIN_*.seg"))
    app = make_app(Config(cases_dir=cases, index_dir=index), live_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_query(pilot, "R3D")
        await wait_until(pilot, lambda: "MX-2017-004" in hit_ids(app))
        assert {"MX-2017-004", "MX-2017-005"} <= set(hit_ids(app))
    assert damaged and not damaged & set(index.glob("MAIN_*.seg"))  # rebuilt: new segments
    archive = Archive.open(cases, index)
    try:
        assert archive.search("R3D").total >= 2  # the rebuilt index reads again
    finally:
        archive.close()
