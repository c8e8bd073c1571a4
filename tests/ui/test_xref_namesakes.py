"""The cross-reference pane leads to the page it shows, not to the first page of its name (issue 13)."""

from __future__ import annotations

from pathlib import Path

from casefile.core.read.library import load_library
from casefile.core.read.parse import parse_case
from casefile.core.xref.store import XrefStore
from casefile.ui.widgets.xref_panel import XrefPanel

VAULT = Path(__file__).resolve().parent.parent / "data" / "vault"


NOTEBOOK = "---\nentities:\n  person: [Marie Curie, Paul Langevin]\n---\n# Notebook\n"
"""An English note listing the English Marie Curie (the nearest page) with another person."""


def vault_store() -> XrefStore:
    """The cross-reference of the fixture vault (de/ and en/ both have a Marie Curie page) and NOTEBOOK."""
    cases = [*load_library(VAULT).cases, parse_case(NOTEBOOK, "en/Notebook.md")[0]]
    store = XrefStore(None)
    store.update(cases, [], lambda path: None)
    return store


def chosen_page(store: XrefStore, target: tuple[str, str] | None) -> str | None:
    """The page of the entity a row's target opens."""
    assert target is not None and target[0] == "entity"
    entity = store.entity(target[1])
    assert entity is not None
    return entity.page_id


def test_a_case_s_entity_row_opens_the_page_the_case_refers_to() -> None:
    store = vault_store()
    lab = store.case("en/Lab")
    assert lab is not None
    rows = [XrefPanel._entity_ref_row(ref) for ref in lab.entities]
    assert [chosen_page(store, target) for _text, target in rows] == ["en/Marie Curie"]


def test_a_link_row_opens_the_page_the_link_resolves_to() -> None:
    store = vault_store()
    lab = store.case("en/Lab")
    assert lab is not None
    rows = [XrefPanel._outlink_row(link) for link in lab.links]
    assert [chosen_page(store, target) for _text, target in rows] == ["en/Marie Curie"]


def test_a_co_occurring_row_opens_that_page() -> None:
    store = vault_store()
    paul = store.entity("Paul Langevin")
    assert paul is not None
    rows = [XrefPanel._name_count_row(item) for item in paul.cooccurring]
    assert [chosen_page(store, target) for _text, target in rows] == ["en/Marie Curie"]
