"""The CSV export: cases.csv, entities.csv and links.csv, UTF-8 with a header row.

A cell that a spreadsheet would run as a formula (it starts with = + - @, a tab or a
carriage return) gets a leading apostrophe: case files are untrusted, and a formula such
as `=WEBSERVICE(...)` would make LibreOffice or Excel open a connection.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from casefile.core.export.files import new_file, prepare_folder
from casefile.core.export.records import Edge, EntityRow, Export
from casefile.core.model import Case

FILES = ("cases.csv", "entities.csv", "links.csv")
CASE_COLUMNS = ("id", "title", "date", "status", "lang", "tags", "sources", "path", "sha256")
ENTITY_COLUMNS = ("name", "type", "aliases", "page", "cases")
LINK_COLUMNS = ("case", "entity", "kind", "line", "context")
JOIN = "; "
"""Between the values of a list in one cell (tags, sources, aliases)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(export: Export, folder: Path, cases_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the three files in `folder` (see `files.prepare_folder`); their paths."""
    replace = prepare_folder(folder, cases_dir, force=force)
    cases_of = _case_counts(export.edges)
    tables = {
        "cases.csv": (CASE_COLUMNS, map(case_row, export.cases)),
        "entities.csv": (ENTITY_COLUMNS, (entity_row(e, cases_of.get(e.key, 0)) for e in export.entities)),
        "links.csv": (LINK_COLUMNS, map(link_row, export.edges)),
    }
    for name, (columns, rows) in tables.items():
        _write_table(folder / name, cases_dir, columns, rows, replace)
    return [folder / name for name in FILES]


def _write_table(path: Path, cases_dir: Path, columns: Sequence[str], rows: Iterable[Sequence[object]],
                 replace: bool) -> None:
    """One CSV file, header first."""
    with new_file(path, cases_dir, force=replace) as stream:
        writer = csv.writer(stream, lineterminator="\n")  # no carriage return: no control character but newline
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)


def _cell(value: object) -> str:
    """A value as a spreadsheet-safe cell (None is empty)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def case_row(case: Case) -> tuple[object, ...]:
    """One line of cases.csv."""
    urls = [source.url or source.title for source in case.sources]
    return (case.id, case.title, case.date, case.status, case.lang, JOIN.join(case.tags),
            JOIN.join(urls), case.path, case.sha256)


def entity_row(entity: EntityRow, cases: int) -> tuple[object, ...]:
    """One line of entities.csv."""
    return (entity.name, entity.type, JOIN.join(entity.aliases), entity.page.id if entity.page else None, cases)


def link_row(edge: Edge) -> tuple[object, ...]:
    """One line of links.csv."""
    return (edge.case_id, edge.entity_name, edge.kind, edge.line, edge.context)


def _case_counts(edges: Iterable[Edge]) -> dict[str, int]:
    """Entity key -> number of exported cases that refer to it."""
    seen = {(edge.entity_key, edge.case_path) for edge in edges}
    counts: dict[str, int] = {}
    for key, _path in seen:
        counts[key] = counts.get(key, 0) + 1
    return counts
