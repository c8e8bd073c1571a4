"""The reader moves what a big refresh left alive out of the collector's sight (issue 14: at 100k a
full collection walked ~950k objects of the catalog, manifest and cross-reference every few edits),
and only then: a cycle frozen while alive is never collected once dropped."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from pilot_helpers import config_for
from test_status_bar import FakeArchive, Recorder

from casefile.core.archive.indexer import RefreshReport
from casefile.ui.messages import IndexDone
from casefile.ui.workers import FREEZE_AFTER, ArchiveService


class Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


class Refreshing(FakeArchive):
    """A fake archive whose refreshes change a given number of files."""

    def __init__(self) -> None:
        self.changes = 0

    def refresh(self, progress, rebuild=False, paths=None):  # type: ignore[no-untyped-def]
        return RefreshReport(0, self.changes, 0, 3, 0.01, cases=3)


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def service_on(tmp_path) -> tuple[ArchiveService, Refreshing, Recorder]:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    service = ArchiveService(recorder, config_for(tmp_path))  # type: ignore[arg-type]
    archive = Refreshing()
    service.archive = archive  # type: ignore[assignment]
    return service, archive, recorder


def test_what_the_first_refresh_leaves_alive_is_frozen_for_the_collector(tmp_path) -> None:
    service, _archive, recorder = service_on(tmp_path)
    kept = [[number] for number in range(1000)]  # stands in for the archive's loaded state
    service._refresh_body(rebuild=False)
    assert [m for m in recorder.messages if isinstance(m, IndexDone)]
    assert gc.get_freeze_count() >= len(kept)
    assert all(o is not kept[0] for o in gc.get_objects())  # no full collection walks it


def test_small_refreshes_freeze_nothing_so_dropped_cycles_are_still_collected(tmp_path) -> None:
    service, archive, _recorder = service_on(tmp_path)
    service._refresh_body(rebuild=False)  # the first: frozen
    frozen = gc.get_freeze_count()
    archive.changes = 1
    cycle = Cycle()
    service._refresh_body(rebuild=False)  # a watch's check or one edit: nothing more frozen
    assert gc.get_freeze_count() <= frozen
    assert any(o is cycle for o in gc.get_objects())  # still in the collector's sight


def test_a_big_refresh_collects_the_cycles_frozen_before_it(tmp_path) -> None:
    service, archive, _recorder = service_on(tmp_path)
    cycle = Cycle()
    service._refresh_body(rebuild=False)  # frozen while alive
    gone = [False]
    weakref.finalize(cycle, lambda: gone.__setitem__(0, True))
    del cycle
    archive.changes = FREEZE_AFTER
    service._refresh_body(rebuild=False)
    assert gone[0]
