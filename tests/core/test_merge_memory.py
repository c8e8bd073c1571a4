"""The background merge's memory does not grow with the index (index/merge.py).

Counted, not timed: the bytes of index files the merge maps into memory (every page of a
map that is read counts as the process's memory: the whole new segment, once assembled),
and what tracemalloc sees the merge hold at its largest, on two index sizes.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import Any

import pytest

from casefile.core.index import STEMMERS, store, writing
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
