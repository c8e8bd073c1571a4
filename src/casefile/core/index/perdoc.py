"""Copying a segment's per-document data (stored fields, lengths, columns) as bytes.

Whoosh's copy (SegmentWriter.write_per_doc) decompresses and unpickles each document's
stored fields, then pickles and compresses them again, and writes every length and column
value one call at a time: a third of a merge. A segment without deleted documents keeps
its documents in order, so here each column's values are appended as the bytes they are
on disk, and the field totals (BM25's mean length) are the segment's own exact ones.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield
from whoosh.columns import (
    CompressedBytesColumn,
    NumericColumn,
    VarBytesColumn,
    WrappedColumn,
    WrappedColumnWriter,
)

STORED = "_stored"
"""The column of each document's stored fields (W3PerDocWriter's name)."""


def copy_documents(pdw: Any, schema: Any, reader: Any, base: int) -> bool:
    """Append every document of `reader` (a segment without deleted documents) to the
    per-document writer `pdw` as docnums `base`...; False, with nothing written, when the
    segment has data of a kind not copied here (vectors, other column types)."""
    columns = _columns(schema, reader)
    if columns is None or reader.has_deletions():
        return False
    count = reader.doc_count_all()
    for name, column in columns:
        if not pdw._has_column(name):
            pdw._create_column(name, column)
        raw = reader._perdoc.column_reader(name, _raw(column))
        _append(_inner_writer(pdw._get_column(name)), raw, base)
    for docnum in range(base, base + count):  # the writer's own document count moves on
        pdw.start_doc(docnum)
        pdw.finish_doc()
    for name in schema.names():
        if length := reader.field_length(name):
            pdw._fieldlengths[name] += length
    return True


def _columns(schema: Any, reader: Any) -> list[tuple[str, Any]] | None:
    """(name, column type) of every column the segment has; None if one cannot be copied."""
    perdoc = reader._perdoc
    found = [(STORED, STORED_COLUMN)] if perdoc.has_column(STORED) else []
    for name in schema.names():
        field = schema[name]
        if field.vector:
            return None
        if field.column_type is not None and perdoc.has_column(name):
            found.append((name, field.column_type))
        if perdoc.has_column(_lenfield(name)):
            found.append((_lenfield(name), LENGTHS_COLUMN))
    plain = all(type(_inner(column)) in (VarBytesColumn, CompressedBytesColumn, NumericColumn)
                for _name, column in found)
    return found if plain else None


def _inner(column: Any) -> Any:
    """The column under any wrappers (pickling, translating): the bytes on disk are its own."""
    while isinstance(column, WrappedColumn):
        column = column._child
    return column


def _raw(column: Any) -> Any:
    """The column type that reads its values as the bytes stored (none decompressed)."""
    inner = _inner(column)
    return inner if isinstance(inner, NumericColumn) else VarBytesColumn()


def _inner_writer(writer: Any) -> Any:
    """The writer under any wrappers: it takes the bytes as they are stored."""
    while isinstance(writer, WrappedColumnWriter):
        writer = writer._child
    return writer


def _append(out: Any, raw: Any, base: int) -> None:
    """A source column's values, as bytes, after the `base` documents `out` has."""
    if isinstance(raw, NumericColumn.Reader):  # fixed-size values: one read, one write
        if raw._count:
            out.fill(base)  # the defaults of documents before these (as Whoosh fills them)
            out._dbfile.write(raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen))
            out._count = base + raw._count
        return
    add = VarBytesColumn.Writer.add  # the stored bytes (compressed pickles) as they are
    for docnum, value in enumerate(raw, base):
        if value:
            add(out, docnum, value)
