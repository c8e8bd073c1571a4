"""Unlinked-mention matching and possible duplicates."""

from __future__ import annotations

import pytest
from xref_helpers import case, page, store_of

from casefile.core.text.names import name_words, normalize_name
from casefile.core.xref.mentions import CONTEXT_CHARS, Matcher, context, line_words, mention_key, name_key, scan_body


@pytest.mark.parametrize("line", [
    "Plain ASCII line, with punctuation; and R3D's report.",
    "Peña Nieto y la Procuraduría General de la República (PGR).",
    "ÁNGEL, l'été and Scott-Railton’s ½ ligature ﬁle straße",
    "Pen\u0303a written decomposed",
    "Ｆｕｌｌｗｉｄｔｈ and \u00a0non-breaking\u2003spaces",
    "",
])
def test_line_words_and_name_key_fold_like_names_module(line: str) -> None:
    assert line_words(line) == name_words(line)
    assert name_key(f"  {line}\t ") == normalize_name(line)


def test_matcher_finds_whole_words_leftmost_longest() -> None:
    matcher = Matcher.of(mention_key(n) for n in ("Mexico", "Mexico City", "Citizen Lab", "Lab"))
    words = line_words("In Mexico City the Citizen Laboratory and Citizen Lab met; Mexico too.")
    found = [key for _start, key in matcher.find(words)]
    assert found == ["mexico city", "citizen lab", "mexico"]


def test_a_matcher_changed_name_by_name_finds_what_a_new_one_finds() -> None:
    names = ["mexico", "mexico city", "citizen lab", "lab", "the"]
    matcher = Matcher.of(names)
    matcher.remove("mexico city")
    matcher.remove("lab")
    matcher.remove("the")
    matcher.add("r3d")
    words = line_words("In Mexico City the Citizen Lab and R3D met in a lab.")
    assert list(matcher.find(words)) == list(Matcher.of(["mexico", "citizen lab", "r3d"]).find(words))
    assert [key for _start, key in matcher.find(words)] == ["mexico", "citizen lab", "r3d"]


def test_names_of_stop_words_only_are_not_matched() -> None:
    matcher = Matcher.of(["the", "de la"])
    assert list(matcher.find(line_words("the house de la calle"))) == []


def test_scan_skips_code_links_and_own_names() -> None:
    body = "Citizen Lab\n```\nR3D in code\n```\n[[R3D]] and `R3D` inline\nEPN here\n"
    matcher = Matcher.of(["citizen lab", "r3d", "epn"])
    scan = scan_body(body, 10, matcher, {"epn"})
    assert scan.mentions == [("citizen lab", 10, "Citizen Lab")]
    assert "citizen" in scan.words and "r3d" not in scan.words


def test_context_is_trimmed_around_the_name_and_sanitized() -> None:
    line = "word " * 60 + "\x1b[31mCarmen Aristegui\x1b[0m said " + "more " * 60
    text = context(line, "carmen")
    assert "Carmen Aristegui" in text and "\x1b" not in text
    assert len(text) <= CONTEXT_CHARS + 2 and text.startswith("…") and text.endswith("…")


def test_mention_is_not_unlinked_when_the_case_lists_the_entity_under_an_alias() -> None:
    store = store_of({
        "entities/epn.md": page("Enrique Peña Nieto", aliases="EPN"),
        "a.md": case("A", body="Enrique Pena Nieto spoke.", listed="person: [EPN]"),
        "b.md": case("B", body="Then ENRIQUE PEÑA NIETO spoke."),
    })
    assert [o.id for o in store.entity("EPN").unlinked_mentions] == ["B"]


def test_possible_duplicates_subset_and_misspelling_never_merged() -> None:
    store = store_of({
        "a.md": case("A", listed="person: [Enrique Peña Nieto, Carmen Aristegui]"),
        "b.md": case("B", listed="person: [Peña Nieto, Carmen Aristegi, enrique pena nieto]"),
        "c.md": case("C", listed="place: [Mexico, Mexico City]"),
        "d.md": case("D", body="[[MX-2015-001]] [[MX-2016-001]]"),
    })
    pairs = {(s.first, s.second): s.reason for s in store.duplicates()}
    assert pairs == {("Peña Nieto", "Enrique Peña Nieto"): "subset",
                     ("Carmen Aristegi", "Carmen Aristegui"): "similar"}
    # Accent-only spellings are one entity; suggested pairs stay two.
    names = {e.name for e in store.entities()}
    assert {"Enrique Peña Nieto", "Peña Nieto", "Carmen Aristegi", "Carmen Aristegui"} <= names
    assert "enrique pena nieto" not in names


def test_a_single_surname_is_a_possible_duplicate_of_a_person_only() -> None:
    store = store_of({"a.md": case("A", listed="person: [Aristegui, Carmen Aristegui]"),
                      "b.md": case("B", listed="organization: [Prodh, Centro Prodh]")})
    assert [(s.first, s.second) for s in store.duplicates()] == [("Aristegui", "Carmen Aristegui")]


def test_a_name_wrapped_across_two_lines_is_found_on_its_first_line() -> None:
    matcher = Matcher.of(["pena nieto", "carmen aristegui"])
    body = "intro\nla crisis del sexenio de Peña\nNieto en 2014.\n\n- Carmen\n- Aristegui\n"
    scan = scan_body(body, 5, matcher, set())
    assert scan.mentions == [("pena nieto", 6, "la crisis del sexenio de Peña")]


def test_same_named_pages_are_no_duplicates_but_spelling_variants_of_pages_are() -> None:
    store = store_of({"de/curie.md": page("Marie Curie"), "en/curie.md": page("Marie Curie"),
                      "x/perez.md": page("José Pérez"), "y/perez.md": page("Jose Perez")})
    assert [(s.first, s.second, s.first_path, s.second_path) for s in store.duplicates()] == \
        [("Jose Perez", "José Pérez", "y/perez.md", "x/perez.md")]
