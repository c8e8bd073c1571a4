"""The JSON export: one document of the whole archive (or of the cases a query found)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from casefile.core.export.records import Edge, EntityRow, Export
from casefile.core.model import Case, Problem

FORMAT = "casefile-export"
VERSION = 1


def as_document(export: Export) -> dict[str, Any]:
    """The export as plain JSON data, in a stable order."""
    return {
        "format": FORMAT, "version": VERSION, "query": export.query,
        "cases": [case_json(case) for case in export.cases],
        "entities": [entity_json(entity) for entity in export.entities],
        "edges": [edge_json(edge) for edge in export.edges],
        "skipped": [problem_json(problem) for problem in export.skipped],
    }


def write_json(export: Export, stream: TextIO) -> None:
    """Write the document with one record per line (json's C encoder; indenting everything
    went through its Python encoder, 6 s of a 10k-case export)."""
    document = as_document(export)
    stream.write("{\n")
    for number, (key, value) in enumerate(document.items()):
        comma = "," if number < len(document) - 1 else ""
        if isinstance(value, list) and value:
            items = ",\n".join("    " + _dumps(item) for item in value)
            stream.write(f"  {_dumps(key)}: [\n{items}\n  ]{comma}\n")
        else:
            stream.write(f"  {_dumps(key)}: {_dumps(value)}{comma}\n")
    stream.write("}\n")


def _dumps(value: Any) -> str:
    """Compact JSON, accents as they are."""
    return json.dumps(value, ensure_ascii=False)


def case_json(case: Case) -> dict[str, Any]:
    """One case with its metadata and body."""
    return {
        "id": case.id, "path": case.path, "title": case.title, "date": case.date, "status": case.status,
        "lang": case.lang, "tags": list(case.tags),
        "entities": [{"type": kind, "name": name} for kind, name in case.entities],
        "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in case.sources],
        "sha256": case.sha256, "body": case.body,
    }


def entity_json(entity: EntityRow) -> dict[str, Any]:
    """One entity; its page's id and text when it has a page."""
    page = entity.page
    return {"name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "page": page.id if page else None, "page_path": page.path if page else None,
            "text": page.body if page else None}


def edge_json(edge: Edge) -> dict[str, Any]:
    """One listing, link or mention."""
    return {"case": edge.case_id, "path": edge.case_path, "entity": edge.entity_name, "kind": edge.kind,
            "line": edge.line, "context": edge.context}


def problem_json(problem: Problem) -> dict[str, Any]:
    """A skipped file's problem, as `casefile check --json` shows it."""
    return {"path": problem.path, "line": problem.line, "code": problem.code, "message": problem.message}
