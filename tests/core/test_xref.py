"""Every list of the cross-reference on the fixture folder tests/data/xref (see its files)."""

from __future__ import annotations

import pytest
from xref_helpers import folder_store

from casefile.core.xref.store import XrefStore


@pytest.fixture(scope="module")
def store() -> XrefStore:
    return folder_store()


def test_entity_registry_holds_pages_and_listed_names_never_dangling_targets(store: XrefStore) -> None:
    kinds = {e.name: e.type for e in store.entities()}
    assert kinds == {
        "Citizen Lab": "organization", "Enrique Peña Nieto": "person", "Mexico City": "place",
        "Mexico": "place", "R3D": "organization", "SocialTIC": "organization",
        "Carmen Aristegui": "person", "Emilio Aristegui": "person",
    }
    assert [(row.name, row.links) for row in store.dangling_names()] == [("Nobody Knows This Name", 1)]
    assert [e.name for e in store.entities("place")] == ["Mexico City", "Mexico"]


def test_cases_listing_an_entity_include_accent_variants(store: XrefStore) -> None:
    # reckless.md lists "Enrique Pena Nieto", without the tilde.
    assert [c.id for c in store.entity("Enrique Peña Nieto").cases_listing] == ["MX-2017-002"]
    assert [c.id for c in store.entity("citizen lab").cases_listing] == ["MX-2017-004", "MX-2017-001", "MX-2017-002"]


def test_cases_linking_carry_line_and_context(store: XrefStore) -> None:
    linking = store.entity("Citizen Lab").cases_linking
    assert [(o.id, o.line) for o in linking] == [("MX-2017-001", 12), ("MX-2017-002", 12)]
    assert "[[Munk School Citizen Lab]] published" in linking[1].context
    epn = store.entity("EPN").cases_linking
    assert [(o.id, o.line) for o in epn] == [("MX-2017-004", 12)]


def test_unlinked_mentions_are_whole_words_accent_insensitive_outside_code(store: XrefStore) -> None:
    mentions = store.entity("Enrique Peña Nieto").unlinked_mentions
    # bitter-sweet.md says "Peña Nieto" (an alias) on line 13 and the full name only in code.
    assert [(o.id, o.line, o.context) for o in mentions] == [
        ("MX-2017-001", 13, "The president, Peña Nieto, said nothing.")]
    lab = store.entity("Citizen Lab").unlinked_mentions
    # "Citizen Labs" and "Citizen Laboratory" (aristegui.md) are not the name; the page's own text is not either.
    assert [(o.id, o.line) for o in lab] == [("cases/notes", 3)]


def test_longest_name_wins_and_aliases_count_as_mentions(store: XrefStore) -> None:
    city = store.entity("Mexico City").unlinked_mentions
    assert [(o.id, o.line) for o in city] == [("MX-2017-002", 14), ("cases/notes", 3)]
    country = store.entity("Mexico").unlinked_mentions
    # "Mexico City" in bitter-sweet.md and notes.md is not a mention of Mexico.
    assert {o.id for o in country} == {"MX-2017-002", "entities/citizen-lab", "entities/pena-nieto"}
    assert {o.id: o.kind for o in country}["entities/pena-nieto"] == "entity"
    assert {o.id: o.kind for o in country}["MX-2017-002"] == "case"


def test_cooccurring_entities_with_counts(store: XrefStore) -> None:
    counts = {c.name: c.count for c in store.entity("Citizen Lab").cooccurring}
    assert counts == {"Carmen Aristegui": 2, "Enrique Peña Nieto": 2, "R3D": 2, "Emilio Aristegui": 1,
                      "Mexico City": 1, "SocialTIC": 1}  # a dangling name is no entity: it co-occurs with none
    assert [c.count for c in store.entity("Citizen Lab").cooccurring] == sorted(counts.values(), reverse=True)


def test_timeline_is_in_date_order_undated_last(store: XrefStore) -> None:
    assert [(c.id, c.date) for c in store.entity("Citizen Lab").timeline] == [
        ("MX-2017-001", "2017-02-11"), ("MX-2017-004", "2017-06"), ("MX-2017-002", "2017-06-19")]
    assert [c.id for c in store.entity("Emilio Aristegui").timeline] == ["MX-2017-004", "MX-2016-001", "cases/notes"]


def test_case_entities_are_typed_and_say_how_they_are_referred_to(store: XrefStore) -> None:
    entities = {e.name: (e.type, e.listed, e.linked) for e in store.case("MX-2017-002").entities}
    assert entities == {
        "Carmen Aristegui": ("person", True, True), "Enrique Peña Nieto": ("person", True, False),
        "Citizen Lab": ("organization", True, True), "R3D": ("organization", True, False),
    }  # its link to "Nobody Knows This Name" is a dangling link (test_case_links_and_backlinks), not an entity


def test_case_links_and_backlinks(store: XrefStore) -> None:
    case = store.case("MX-2017-002")
    assert [(link.target, link.line, link.resolution.kind) for link in case.links] == [
        ("Munk School Citizen Lab", 12, "entity"), ("MX-2017-001", 13, "case"),
        ("Carmen Aristegui", 13, "entity"), ("Nobody Knows This Name", 15, "dangling")]
    # aristegui.md links it by title; the Citizen Lab page by id.
    assert [(o.id, o.line) for o in case.backlinks] == [("MX-2017-004", 12), ("entities/citizen-lab", 8)]


def test_related_cases_ranked_by_shared_entities(store: XrefStore) -> None:
    related = store.case("MX-2017-002").related
    assert [(r.id, r.shared) for r in related] == [("MX-2017-004", 3), ("MX-2017-001", 2), ("MX-2016-001", 1)]
    assert set(related[0].names) == {"Carmen Aristegui", "Enrique Peña Nieto", "Citizen Lab"}


def test_only_the_dangling_link_is_a_problem(store: XrefStore) -> None:
    assert [(p.path, p.line, p.code) for p in store.problems()] == [("cases/2017/reckless.md", 15, "dangling-link")]


def test_graph_edges_count_shared_cases(store: XrefStore) -> None:
    graph = store.graph()
    edges = {frozenset((e.source, e.target)): e.weight for e in graph.edges}
    assert edges[frozenset(("entities/citizen-lab.md", "R3D"))] == 2  # a page's node is keyed by its path
    assert edges[frozenset(("Emilio Aristegui", "R3D"))] == 1
    assert len({n.id for n in graph.nodes}) == len(store.entities())
    assert all(e.weight >= 2 for e in store.graph(min_weight=2).edges)
