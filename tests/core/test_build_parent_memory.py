"""The build parent's side-file work holds a bounded part of what it writes (issue 14).

Counted, not timed: tracemalloc's peak while a new word index (xref/words.py, its runs in
core/spill.py) is merged into its file, and while the dangling links are found, for an
archive four times bigger.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from casefile.core.xref.dangling import Skeleton, dangling_links
from casefile.core.xref.words import WordIndex

COMMON = 600
"""Words every file holds: their rows grow with the archive (4 bytes a file each)."""


def _write_peak(folder: Path, files: int) -> int:
    """tracemalloc's peak while writing the word index of `files` files holding COMMON words each."""
    folder.mkdir()
    words = tuple(f"palabra{n:04}" for n in range(COMMON))
    index = WordIndex(None, runs_dir=folder)
    for start in range(0, files, index.pending_limit):
        index.add({f"c{n:06}.md": words for n in range(start, min(files, start + index.pending_limit))})
    tracemalloc.start()
    try:
        index.write(folder)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_word_index_write_holds_a_bounded_part_of_the_map(tmp_path: Path) -> None:
    small = _write_peak(tmp_path / "small", 1000)
    big = _write_peak(tmp_path / "big", 4000)
    # the map is 2.4 MB, then 9.6 MB: before, a chunk of 2048 rows held all of it (twice, while
    # marshalled), and each run's chunk of 512 rows held the run's whole part
    assert big < small + (1 << 20), (small, big)
    assert big < 4 << 20, big


LINKS = 20
"""Links per file in `_scan_peak`: each names another file's id (none dangles)."""


def _scan_peak(files: int) -> int:
    """tracemalloc's peak while finding the dangling links of `files` skeletons (read anew on
    each walk, as from the shard files)."""
    def skeletons() -> Iterator[Skeleton]:
        for number in range(files):
            others = [f"caso-{(number + k) % files:06}" for k in range(1, LINKS + 1)]
            links = tuple((other, k + 1, None, None, 0) for k, other in enumerate(others))
            yield f"c{number:06}.md", "case", 0, links, (f"caso-{number:06}", f"titulo {number}", *others)

    tracemalloc.start()
    try:
        assert dangling_links(skeletons) == []  # type: ignore[arg-type]  # no context objects here
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_dangling_scan_holds_no_link_of_the_archive() -> None:
    small, big = _scan_peak(1000), _scan_peak(4000)
    # the paths and names stay (a few hundred bytes a file); before, every link did too
    # (20 a file, ~150 bytes each)
    assert (big - small) / 3000 < 1000, (small, big)
