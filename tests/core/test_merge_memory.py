"""The background merge's memory does not grow with the index (index/merge.py).

Counted, not timed: the bytes of index files the merge maps into memory (every page of a
map that is read counts as the process's memory: the whole new segment, once assembled),
and what tracemalloc sees the merge hold at its largest, on two index sizes.
"""

from __future__ import annotations

import mmap
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from casefile.core.index import STEMMERS, join, merge, store, writing
from casefile.core.index.documents import document
from casefile.core.index.merge import merge_segments
from casefile.core.read.parse import parse_case


def _case(number: int) -> dict[str, Any]:
    """A document with a few common words and a dozen words of its own (new terms)."""
    own = " ".join(f"palabra{number}x{k}" for k in range(12))
    text = f"---\ntitle: caso {number}\ndate: {2000 + number % 20}\nlang: es\n---\n\nderechos gobierno {own}\n"
    return document(parse_case(text, f"c{number:05}.md")[0], {}, STEMMERS)


def _index(folder: Path, count: int, segments: int = 2) -> Any:
    """An index on disk of `count` documents in `segments` segments."""
    folder.mkdir(exist_ok=True)
    ix = store.create(store.open_storage(folder))
    share = count // segments
    for start in range(0, count, share):
        w = writing(ix)
        for number in range(start, start + share):
            w.add(_case(number))
        w.commit()
    assert len(ix._segments()) == segments
    return ix


def test_a_merge_maps_no_segment_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = _index(tmp_path, 400)
    mapped: list[str] = []
    real = mmap.mmap

    def recorded(fileno: int, *args: Any, **kwargs: Any) -> mmap.mmap:
        mapped.append(os.readlink(f"/proc/self/fd/{fileno}"))
        return real(fileno, *args, **kwargs)

    monkeypatch.setattr(mmap, "mmap", recorded)
    assert merge_segments(ix)
    assert len(ix._segments()) == 1
    # before: the new segment's files, each mapped whole (and so read) to assemble them
    assert [name for name in mapped if not name.endswith(".toc")] == []


def _merge_peak(folder: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(tracemalloc's peak while merging an index of `count` documents, its terms)."""
    ix = _index(folder, count)
    with ix.reader() as reader:
        terms = sum(1 for _ in reader.all_terms())
    monkeypatch.setattr(merge, "SPILL", 1 << 14)  # buffers of a fixed size, far below the index's
    monkeypatch.setattr(join, "CHUNK", 1 << 12)
    tracemalloc.start()
    try:
        assert merge_segments(ix)
        return tracemalloc.get_traced_memory()[1], terms
    finally:
        tracemalloc.stop()


def test_a_merge_holds_a_few_bytes_a_term(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, small_terms = _merge_peak(tmp_path / "small", 300, monkeypatch)
    big, big_terms = _merge_peak(tmp_path / "big", 1200, monkeypatch)
    assert big_terms > 3 * small_terms
    # a hash and a position a term until the term table's close (before: ~170 bytes, as objects)
    assert (big - small) / (big_terms - small_terms) < 40, (small, big)
