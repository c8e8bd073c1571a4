"""Resolution of links and names: case id, entity name or alias, case title; dangling."""

from __future__ import annotations

from xref_helpers import case, page, store_of

from casefile.core.text.sanitize import is_clean


def test_case_id_wins_over_entity_name_and_title() -> None:
    store = store_of({
        "r3d.md": case("R3D", title="Some case"),
        "entities/r3d.md": page("R3D", "organization"),
        "other.md": case("X-1", title="R3D report"),
    })
    resolution = store.resolve("r3d")
    assert (resolution.kind, resolution.case_id) == ("case", "R3D")


def test_entity_name_wins_over_case_title() -> None:
    store = store_of({
        "lab.md": case("X-1", title="Citizen Lab"),
        "entities/lab.md": page("Citizen Lab", "organization"),
    })
    resolution = store.resolve("Citizen Lab")
    assert (resolution.kind, resolution.entity) == ("entity", "Citizen Lab")


def test_case_title_when_no_id_or_entity_matches() -> None:
    store = store_of({"a.md": case("X-1", title="Reckless Exploit"),
                      "b.md": case("X-2", body="See [[reckless  EXPLOIT]].")})
    resolution = store.resolve("Reckless Exploit")
    assert (resolution.kind, resolution.case_id) == ("case", "X-1")
    backlinks = store.case("X-1").backlinks
    assert [(o.id, o.line) for o in backlinks] == [("X-2", 4)]


def test_case_accents_and_spaces_are_ignored() -> None:
    store = store_of({"entities/epn.md": page("Enrique Peña Nieto", aliases="Peña Nieto, EPN")})
    for spelling in ("enrique pena nieto", "  ENRIQUE   PEÑA NIETO ", "pena nieto", "Péña Niéto"):
        assert store.resolve(spelling).entity == "Enrique Peña Nieto", spelling


def test_alias_maps_to_its_entity() -> None:
    store = store_of({"entities/epn.md": page("Enrique Peña Nieto", aliases="EPN"),
                      "a.md": case("A", body="[[epn]] again")})
    entity = store.entity("EPN")
    assert entity is not None and entity.name == "Enrique Peña Nieto"
    assert [o.id for o in entity.cases_linking] == ["A"]


def test_a_name_beats_another_pages_alias() -> None:
    store = store_of({"entities/a.md": page("Alpha", aliases="Beta"), "entities/b.md": page("Beta")})
    assert store.resolve("Beta").entity == "Beta"


def test_entity_page_id_resolves_to_its_entity() -> None:
    store = store_of({"entities/lab.md": page("Citizen Lab", "organization")})
    resolution = store.resolve("entities/lab")
    assert (resolution.kind, resolution.entity) == ("entity", "Citizen Lab")


def test_dangling_link_is_kept_marked_and_reported_with_its_line() -> None:
    store = store_of({"a.md": case("A", body="one\n[[Nobody Knows]] two")})
    assert store.resolve("nobody knows").kind == "dangling"
    entity = store.entity("Nobody Knows")
    assert entity is not None and entity.dangling and entity.type == "dangling"
    assert store.entities() == [] and [row.name for row in store.dangling_names()] == ["Nobody Knows"]
    link = store.case("A").links[0]
    assert link.resolution.kind == "dangling"
    problems = store.problems()
    assert [(p.path, p.line, p.code, p.severity) for p in problems] == [("a.md", 5, "dangling-link", "warning")]


def test_a_linked_name_listed_elsewhere_is_not_dangling_whatever_the_order() -> None:
    store = store_of({"a.md": case("A", body="[[Carmen Aristegui]]"),
                      "b.md": case("B", listed="person: [Carmen Aristegui]")})
    assert store.problems() == []
    entity = store.entity("carmen aristegui")
    assert entity is not None and entity.type == "person" and not entity.dangling


def test_unknown_name_resolves_to_nothing() -> None:
    store = store_of({"a.md": case("A")})
    resolution = store.resolve("Nothing At All")
    assert resolution.kind == "dangling" and resolution.entity is None
    assert store.entity("Nothing At All") is None and store.case("Nothing At All") is None


def test_listed_name_equal_to_a_case_id_refers_to_the_case() -> None:
    store = store_of({"a.md": case("A", listed="event: [B]"), "b.md": case("B")})
    assert store.entity("B") is None
    assert [o.id for o in store.case("B").backlinks] == ["A"]


def test_a_case_is_found_by_id_or_by_relative_path() -> None:
    store = store_of({"dir/a.md": case("A-1"), "dir/b.md": "# No front matter\n"})
    assert store.case("a-1").path == "dir/a.md"
    assert store.case("dir/a.md").id == "A-1"
    assert store.case("dir/b").title == "No front matter"


def test_link_targets_are_kept_sanitized() -> None:
    store = store_of({"a.md": case("A", body="[[Evil\x1b[31m Name]] and [[Bidi\u202e Name]]")})
    names = [row.name for row in store.dangling_names()]
    assert len(names) == 2 and all(is_clean(name) for name in names)
    assert all(is_clean(link.target) for link in store.case("A").links)
