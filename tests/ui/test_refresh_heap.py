"""The reader moves what a refresh left alive out of the collector's sight (issue 14: at 100k a
full collection walked ~950k objects of the catalog, manifest and cross-reference every few edits)."""

from __future__ import annotations

import gc

from pilot_helpers import config_for
from test_status_bar import FakeArchive, Recorder

from casefile.ui.messages import IndexDone
from casefile.ui.workers import ArchiveService


def test_what_a_refresh_leaves_alive_is_frozen_for_the_collector(tmp_path) -> None:
    recorder = Recorder()
    service = ArchiveService(recorder, config_for(tmp_path))  # type: ignore[arg-type]
    service.archive = FakeArchive()  # type: ignore[assignment]
    kept = [[number] for number in range(1000)]  # stands in for the archive's loaded state
    gc.unfreeze()
    try:
        service._refresh_body(rebuild=False)
        assert [m for m in recorder.messages if isinstance(m, IndexDone)]
        assert gc.get_freeze_count() >= len(kept)
        assert all(o is not kept[0] for o in gc.get_objects())  # no full collection walks it
    finally:
        gc.unfreeze()
