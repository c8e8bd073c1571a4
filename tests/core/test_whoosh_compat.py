"""The Whoosh private names casefile relies on, module by module, pinned to one Whoosh version.

Each module of core/index that reads or writes Whoosh's files directly uses some of
Whoosh's private names (one module per concern: the block layout, reading files, writing
segments, storage and merges). They are listed here and only here; on any other Whoosh
version the first test fails and names what to review, and the others check that every
listed name is still where it was and that no module uses an unlisted one.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path

import pytest

WHOOSH = "2.7.5"
INDEX = Path(importlib.import_module("casefile.core.index").__file__).parent

PRIVATE: dict[str, dict[str, list[str]]] = {
    "blocks.py": {  # the posting block layout (arrays instead of tuples), read and written
        "whoosh.codec.whoosh3.W3PostingsWriter": ["_mini_ids", "_mini_weights", "_mini_values", "_byteids", "_ids",
                                                  "_weights", "_values", "_format"],
        "whoosh.codec.whoosh3.W3LeafMatcher": ["_read_ids", "_read_weights", "_read_values", "_read_data", "_data",
                                               "_blocklength", "_fixedsize", "_byteids", "_maxid"],
    },
    "postings.py": {  # every read of the index's files at search time
        "whoosh.reading.SegmentReader": ["_terms", "_perdoc"],
        "whoosh.codec.whoosh3.W3TermsReader": ["_postfile", "_fieldmap", "_keycoder", "_tindex"],
        "whoosh.codec.whoosh3.W3PerDocReader": ["_cached_reader"],
        "whoosh.columns.FixedBytesColumn.Reader": ["_dbfile", "_basepos", "_count", "_default"],
        "whoosh.codec.whoosh3": ["_lenfield"],
        "whoosh.query.terms.PatternQuery": ["_btexts"],
    },
    "segment.py": {  # writing a segment's terms and postings (FastWriter)
        "whoosh.writing.SegmentWriter": ["_check_state", "_check_fields", "_flush_segment", "_merge_segments",
                                         "_added"],
        "whoosh.codec.whoosh3.W3FieldWriter": ["_postfile", "_tindex", "_fieldmap"],
    },
    "store.py": {  # storage, the codec's inlining, merges, generations
        "whoosh.codec.whoosh3.W3Codec": ["_blocklimit", "_compression", "_inlinelimit"],
        "whoosh.codec.whoosh3.W3PostingsWriter": ["_terminfo", "_ids", "_weights", "_values", "_inlinelimit"],
        "whoosh.filedb.structfile.BufferFile": ["_buf", "_name"],
        "whoosh.index.TOC": ["_latest_generation"],
    },
    "merge.py": {  # merging segments a term at a time (segment.py's writer, its own flush)
        "whoosh.writing.SegmentWriter": ["_flush_segment", "_assemble_segment", "_added"],
        "whoosh.codec.whoosh3.W3FieldWriter": ["_postfile", "_tindex", "_fieldmap"],
        "whoosh.codec.whoosh3.W3TermsReader": ["_postfile"],
        "whoosh.reading.SegmentReader": ["_terms"],
        "whoosh.index.FileIndex": ["_segments"],
    },
    "join.py": {  # a merge reads term tables straight and copies posting blocks
        "whoosh.reading.SegmentReader": ["_terms"],
        "whoosh.codec.whoosh3.W3TermsReader": ["_fieldmap", "_keycoder", "_tindex"],
    },
    "perdoc.py": {  # a merge copies stored fields, lengths and columns as bytes
        "whoosh.reading.SegmentReader": ["_perdoc"],
        "whoosh.codec.whoosh3.W3PerDocWriter": ["_has_column", "_create_column", "_get_column", "_fieldlengths",
                                               "_stored"],
        "whoosh.codec.whoosh3": ["_lenfield"],
        "whoosh.columns.WrappedColumn": ["_child"],
        "whoosh.columns.WrappedColumnWriter": ["_child"],
        "whoosh.columns.NumericColumn.Reader": ["_dbfile", "_basepos", "_count", "_fixedlen"],
        "whoosh.columns.NumericColumn.Writer": ["_dbfile", "_count"],
    },
    "evaluate.py": {  # a date range's terms, as Whoosh tiers them
        "whoosh.query.ranges.NumericRange": ["_compile_query"],
    },
    "batch.py": {  # worker processes write segments without the lock
        "whoosh.writing.SegmentWriter": ["_finalize_segment", "_close_segment", "_added"],
    },
}
OWN = {
    "evaluate.py": {"_deleted", "_postings", "_read", "_scored", "_term"},
    "segment.py": {"_term", "_block"}, "merge.py": {"_term", "_gather"}, "join.py": {"_term", "_block"},
    "store.py": {"_pos", "_reader", "_lengths"}, "stats.py": {"_lengths"},
    "engine.py": {"_parser", "_searcher"},
}
"""casefile's own private attributes that happen to share a name with one of Whoosh's."""
DOCUMENTED = {"_stored_id", "_stored_title"}
"""Public despite the underscore: `add_document(title=..., _stored_title=...)` is Whoosh's
documented way to store another value than the one indexed (IndexWriter.add_document)."""


def _whoosh(path: str) -> object:
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for attribute in parts[end:]:
            found = getattr(found, attribute)
        return found
    raise ImportError(path)


def test_whoosh_is_the_version_these_names_were_checked_on() -> None:
    version = importlib.metadata.version("whoosh-reloaded")
    review = "; ".join(f"core/index/{module}: {', '.join(sorted({n for ns in owners.values() for n in ns}))}"
                       for module, owners in PRIVATE.items())
    assert version == WHOOSH, (f"whoosh-reloaded {version} is installed, casefile was checked on {WHOOSH}. "
                               f"Review these private names before changing the pin: {review}")


@pytest.mark.parametrize(("module", "owner", "name"),
                         [(m, o, n) for m, owners in PRIVATE.items() for o, names in owners.items() for n in names])
def test_every_listed_private_name_is_still_in_whoosh(module: str, owner: str, name: str) -> None:
    source = inspect.getsource(_whoosh(owner))
    assert re.search(rf"\b{name}\b", source), f"core/index/{module} uses {owner}.{name}, which Whoosh no longer has"


@functools.cache
def _whoosh_private_names() -> frozenset[str]:
    """Every private name Whoosh's sources define (methods, attributes, module names)."""
    import whoosh

    found: set[str] = set()
    for source in Path(whoosh.__file__).parent.rglob("*.py"):
        found |= set(re.findall(r"(?:def |class |self\.|\b)(_[a-zA-Z]\w*)\s*[=(:]", source.read_text()))
    return frozenset(found)


@pytest.mark.parametrize("path", sorted(INDEX.glob("*.py")), ids=lambda path: path.name)
def test_no_module_uses_an_unlisted_private_name(path: Path) -> None:
    whoosh_names = _whoosh_private_names()
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"\.(_[a-zA-Z]\w*)\b", text)) | set(re.findall(r"\"(_[a-zA-Z]\w*)\"", text))
    used |= set(re.findall(r"    def (_[a-zA-Z]\w*)\(", text))  # overrides of Whoosh's private methods
    for imported in re.findall(r"from whoosh[\w.]* import \(?([^)]*?)\)?\n", text):
        used |= set(re.findall(r"\b_[a-zA-Z]\w*", imported))
    listed = {name for names in PRIVATE.get(path.name, {}).values() for name in names}
    unlisted = (used & whoosh_names) - listed - OWN.get(path.name, set()) - DOCUMENTED - _own_definitions(text)
    assert not unlisted, f"core/index/{path.name} uses Whoosh private names not listed in PRIVATE: {sorted(unlisted)}"


def _own_definitions(text: str) -> set[str]:
    """Private names a module defines itself at module level (functions, classes, constants)."""
    return set(re.findall(r"^(?:def |class )?(_[a-zA-Z]\w*)", text, re.M))
