"""The FollowTheMoney export: entities as JSON lines, for Aleph and the `ftm` tools.

The only module that imports `followthemoney` (the optional extra `casefile[ftm]`).
Cases become `PlainText` documents, entities the closest schema to their type, and each
(case, entity, kind) a `Documentation` edge whose `role` is listed, linked or mentioned.
Ids are hashes of the case id or entity key, so a second export updates what a first one
loaded instead of adding copies; edges do not depend on line numbers for the same reason.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any, TextIO

from casefile.core.export.records import Edge, EntityRow, Export
from casefile.core.model import Case, CasefileError
from casefile.core.wording import _

INSTALL_HINT = "pip install 'casefile[ftm]'"
PREFIX = "casefile"
CASE_SCHEMA = "PlainText"
FALLBACK_SCHEMA = "LegalEntity"
ELLIPSIS = "\u2026"
TYPE_SCHEMAS = {
    "person": "Person", "organization": "Organization", "organisation": "Organization", "org": "Organization",
    "company": "Company", "public body": "PublicBody", "government": "PublicBody",
    "place": "Address", "location": "Address", "address": "Address", "event": "Event",
    "object": "Asset", "vessel": "Vessel", "vehicle": "Vehicle", "airplane": "Airplane", "aircraft": "Airplane",
}
"""casefile entity type -> FtM schema; any other type is a LegalEntity classified by it."""
Values = dict[str, Iterable[str | None]]
"""Property name -> values (None and empty values are skipped)."""


class MissingExtra(CasefileError):
    """The optional `followthemoney` library is not installed."""


def library() -> ModuleType:
    """The `followthemoney` package, or MissingExtra saying what to install."""
    try:
        import followthemoney
    except ImportError:
        raise MissingExtra(_("the FollowTheMoney export needs the followthemoney library; "
                             "install it with: {command}").format(command=INSTALL_HINT)) from None
    return followthemoney


def write_ftm(export: Export, stream: TextIO) -> int:
    """Write every entity as one JSON line (keys sorted); how many were written."""
    count = 0
    for entity in entities(export):
        stream.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def entities(export: Export) -> Iterator[dict[str, Any]]:
    """The FtM entities of an export as plain dicts: cases, entities, then edges."""
    model = library().model
    body_limit = model.get(CASE_SCHEMA).properties["bodyText"].max_length
    for case in export.cases:
        yield build(model, CASE_SCHEMA, case_parts(case), case_values(case, body_limit))
    for entity in export.entities:
        yield build(model, schema_of(entity.type), entity_parts(entity.key), entity_values(entity))
    for (case_id, key, kind), group in grouped(export.edges).items():
        values: Values = {"document": [entity_id(case_parts_of(case_id))], "entity": [entity_id(entity_parts(key))],
                          "role": [kind], "summary": [contexts(group)]}
        yield build(model, "Documentation", ("edge", case_id.casefold(), key, kind), values)


def build(model: Any, schema: str, parts: tuple[str, ...], values: Values) -> dict[str, Any]:
    """One entity made and cleaned by followthemoney, as a plain dict (empty values left out)."""
    proxy = model.make_entity(schema)
    proxy.id = entity_id(parts)
    for prop, items in values.items():
        limit = proxy.schema.properties[prop].max_length
        for item in items:
            if item:
                proxy.add(prop, fit(item, limit))
    return dict(proxy.to_dict())


@functools.lru_cache(maxsize=65536)  # each case and entity is named by many edges
def entity_id(parts: tuple[str, ...]) -> str:
    """A stable id: FtM's hash of casefile's prefix and `parts`."""
    from followthemoney.util import make_entity_id

    made = make_entity_id(PREFIX, *parts)
    assert made is not None  # parts are never empty
    return made


def case_parts(case: Case) -> tuple[str, ...]:
    """What a case's id is made from."""
    return case_parts_of(case.id)


def case_parts_of(case_id: str) -> tuple[str, ...]:
    """What the id of the case `case_id` is made from (ids are compared ignoring case)."""
    return ("case", case_id.casefold())


def entity_parts(key: str) -> tuple[str, ...]:
    """What an entity's id is made from: its folded name, as casefile identifies it."""
    return ("entity", key)


def schema_of(entity_type: str) -> str:
    """The FtM schema for a casefile entity type."""
    return TYPE_SCHEMAS.get(entity_type.casefold(), FALLBACK_SCHEMA)


def fit(value: str, limit: int) -> str:
    """`value` cut to the property's length limit (FtM rejects longer values), marked with an ellipsis."""
    return value if len(value) <= limit else value[:limit - 1].rstrip() + ELLIPSIS


def case_values(case: Case, body_limit: int) -> Values:
    """A case's document properties."""
    notes = f"casefile case {case.id}\npath: {case.path}\nsha256: {case.sha256}"
    if len(case.body) > body_limit:
        notes += f"\nbody: the first {body_limit:,} of {len(case.body):,} characters (the FtM text limit)"
    return {"title": [case.title], "fileName": [case.path], "mimeType": ["text/markdown"],
            "bodyText": [case.body], "date": [case.date], "language": [case.lang], "keywords": case.tags,
            "sourceUrl": [source.url for source in case.sources],
            "notes": [notes + (f"\nstatus: {case.status}" if case.status else "")]}


def entity_values(entity: EntityRow) -> Values:
    """An entity's properties: names, and its page's text and sources."""
    schema = schema_of(entity.type)
    values: Values = {"name": [entity.name], "alias": entity.aliases}
    if schema == "Address":
        values["full"] = [entity.name]
    if schema == FALLBACK_SCHEMA:
        values["classification"] = [entity.type]
    if entity.page is not None:
        values["notes"] = [entity.page.body.strip()]
        values["sourceUrl"] = [source.url for source in entity.page.sources]
    return values


def grouped(edges: Iterable[Edge]) -> dict[tuple[str, str, str], list[Edge]]:
    """Edges by (case id, entity key, kind), in the export's order."""
    groups: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        groups.setdefault((edge.case_id, edge.entity_key, edge.kind), []).append(edge)
    return groups


def contexts(group: list[Edge]) -> str | None:
    """`line N: text` for each located occurrence, one per line."""
    lines = [f"line {edge.line}: {edge.context}" for edge in group if edge.line is not None]
    return "\n".join(lines) or None
