"""Helpers for the cross-reference tests: stores built from texts or folders."""

from __future__ import annotations

from pathlib import Path

from casefile.core.model import Case
from casefile.core.read.library import load_library
from casefile.core.read.parse import parse_case
from casefile.core.xref.store import XrefStore

XREF_DATA = Path(__file__).resolve().parent.parent / "data" / "xref"


def cases_of(files: dict[str, str]) -> list[Case]:
    """Cases parsed from {relative path: text}."""
    return [parse_case(text, path)[0] for path, text in sorted(files.items())]


def store_of(files: dict[str, str]) -> XrefStore:
    """An in-memory store holding these files."""
    cases = cases_of(files)
    bodies = {case.path: case.body for case in cases}
    store = XrefStore.load(None)
    store.update(cases, [], bodies.get)
    return store


def folder_store(root: Path = XREF_DATA) -> XrefStore:
    """An in-memory store of a whole folder."""
    library = load_library(root)
    bodies = {case.path: case.body for case in library.cases}
    store = XrefStore.load(None)
    store.update(library.cases, [], bodies.get)
    return store


def page(name: str, kind: str = "person", aliases: str = "", body: str = "") -> str:
    """The text of an entity page."""
    extra = f"aliases: [{aliases}]\n" if aliases else ""
    return f"---\ntype: {kind}\nname: {name}\n{extra}---\n{body}\n"


def case(case_id: str, body: str = "", listed: str = "", title: str = "", date: str = "") -> str:
    """The text of a case; `listed` is a YAML flow mapping body like `person: [A, B]`."""
    lines = ["---", f"id: {case_id}"]
    lines += [f"title: {title}"] if title else []
    lines += [f"date: {date}"] if date else []
    lines += ["entities:", f"  {listed}"] if listed else []
    return "\n".join([*lines, "---", body]) + "\n"
