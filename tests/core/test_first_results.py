"""A big refresh in two passes (archive/staging.py): the newest files are searchable before
the rest is sniffed, and the final index is the one a single pass gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_index_build import outcome

from casefile.core.archive import parallel, updater
from casefile.core.archive.facade import Archive

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The cross-reference folder, its cases newer than its entity pages: the first pass
    indexes cases naming the Citizen Lab before its page (alias "Munk School Citizen Lab") is read."""
    target = tmp_path / "cases"
    shutil.copytree(DATA / "xref", target)
    for number, path in enumerate(sorted(target.rglob("*.md"), key=lambda p: ("entities" in p.parts, str(p)))):
        os.utime(path, ns=(10**18 - number * 10**9, 10**18 - number * 10**9))
    return target


def build(folder: Path, index: Path, first_stage: int, monkeypatch: pytest.MonkeyPatch) -> Archive:
    """A full build with a first stage of `first_stage` files."""
    monkeypatch.setattr(updater, "FIRST_STAGE", first_stage)
    archive = Archive.open(folder, index)
    archive.refresh()
    return archive


@pytest.mark.parametrize("in_workers", [False, True])
def test_two_passes_give_the_index_one_pass_gives(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  in_workers: bool) -> None:
    one = outcome(build(folder, tmp_path / "one", 10**6, monkeypatch))
    if in_workers:
        monkeypatch.setattr(updater, "PARALLEL_FROM", 2)
        monkeypatch.setattr(parallel, "start_method", lambda: "fork")
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    archive = build(folder, tmp_path / "two", 3, monkeypatch)
    assert outcome(archive) == one
    munk = archive.search("entity:munk", limit=None)
    assert {hit.path for hit in munk.hits} >= {"cases/2017/reckless.md", "cases/2017/bitter-sweet.md"}
    assert archive.refresh().changed_anything is False


def test_the_newest_files_are_searchable_before_the_rest_is_sniffed(folder: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(updater, "FIRST_STAGE", 3)
    newest = max(folder.rglob("*.md"), key=lambda path: path.stat().st_mtime_ns).relative_to(folder).as_posix()
    sniffed = updater.sniff_all
    seen: list[tuple[int, int]] = []

    def sniff_all(root: Path, stats: list[Any], *args: Any) -> Any:
        if newest not in {stat.path for stat in stats}:  # the rest: the first files are committed by now
            other = Archive.open(folder, tmp_path / "index")
            seen.append((len(stats), len(other.paths_of(newest))))
            other.close()
        return sniffed(root, stats, *args)

    monkeypatch.setattr(updater, "sniff_all", sniff_all)
    report = Archive.open(folder, tmp_path / "index").refresh()
    total = len(list(folder.rglob("*.md")))
    assert report.added == total
    assert seen == [(total - 3, 1)]


def test_a_big_incremental_refresh_in_two_passes_gives_a_fresh_build(folder: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    archive = build(folder, tmp_path / "index", 3, monkeypatch)
    page = folder / "entities" / "citizen-lab.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Munk School Citizen Lab", "Toronto Lab Group"),
                    encoding="utf-8")
    os.utime(page, ns=(1, 1))  # the oldest: in the second pass, after cases naming it
    for number, path in enumerate(sorted((folder / "cases").rglob("*.md"))):
        path.write_text(path.read_text(encoding="utf-8") + "\nTouched.\n", encoding="utf-8")
        os.utime(path, ns=(2 * 10**18 - number, 2 * 10**18 - number))
    report = archive.refresh()
    assert report.changed == 6 and not report.added
    fresh = build(folder, tmp_path / "fresh", 10**6, monkeypatch)
    assert outcome(archive) == outcome(fresh)
    paths = {query: {hit.path for hit in archive.search(query, limit=None).hits}
             for query in ("entity:munk", "entity:toronto")}
    assert "cases/2017/bitter-sweet.md" in paths["entity:toronto"] - paths["entity:munk"]  # named "Citizen Lab"
