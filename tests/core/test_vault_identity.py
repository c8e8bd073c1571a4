"""Identity is a path (issue 13): same-named notes and entity pages in sibling folders
never merge, and every lookup from a note prefers the file nearest it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casefile.cli import main
from casefile.core.archive.facade import Archive
from casefile.ui.embeds import gather

VAULT = Path(__file__).parent.parent / "data" / "vault"


@pytest.fixture(scope="module")
def archive() -> Archive:
    opened = Archive.open(VAULT, None)
    opened.refresh()
    return opened


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """A command's JSON output on the vault (no index written)."""
    assert main([*args, "--json", "--no-disk-index", "--cases", str(VAULT)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("from_path", "path"), [
    ("de/Hilfe.md", "de/Obsidian URI.md"),
    ("ar/ملاحظة.md", "ar/Obsidian URI.md"),
])
def test_the_store_resolves_a_name_nearest_the_linking_file(archive: Archive, from_path: str, path: str) -> None:
    assert archive.xref.resolve("Obsidian URI", from_path).path == path


def test_an_embed_is_the_same_named_note_nearest_the_embedding_one(archive: Archive) -> None:
    hilfe = archive.case("de/Hilfe.md")
    assert hilfe is not None
    assert [embedded.path for embedded in gather(archive, hilfe).values()] == ["de/Obsidian URI.md"]


def curie_rows(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, int]]:
    """(page, cases, mentions) of each entity named Marie Curie."""
    rows = run_json(capsys, "entities")["entities"]
    return sorted((row["page"], row["cases"], row["mentions"]) for row in rows if row["name"] == "Marie Curie")


def test_same_named_entity_pages_are_two_entities(capsys: pytest.CaptureFixture[str]) -> None:
    # de/Hilfe links the German page; en/Lab lists and links the name, en/Help mentions it: the English page's
    assert curie_rows(capsys) == [("de/Marie Curie", 1, 0), ("en/Marie Curie", 1, 1)]


def test_each_page_has_its_own_links_mentions_and_cooccurrence(capsys: pytest.CaptureFixture[str]) -> None:
    german = run_json(capsys, "xref", "de/Marie Curie")
    english = run_json(capsys, "xref", "en/Marie Curie")
    assert (german["page"], german["cases_listing"], german["cases_linking"], german["unlinked_mentions"]) == \
        ("de/Marie Curie", [], ["de/Hilfe"], [])
    assert (english["page"], english["cases_listing"], english["cases_linking"], english["unlinked_mentions"]) == \
        ("en/Marie Curie", ["en/Lab"], ["en/Lab"], ["en/Help"])
    assert german["cooccurring"] == [{"name": "Pierre Curie", "type": "person", "count": 1}]
    assert english["cooccurring"] == []
    pierre = run_json(capsys, "xref", "Pierre Curie")
    assert [(row["name"], row["count"]) for row in pierre["cooccurring"]] == [("Marie Curie", 1)]


def test_a_case_links_the_page_nearest_it(capsys: pytest.CaptureFixture[str]) -> None:
    hilfe = run_json(capsys, "xref", "de/Hilfe")
    assert {link["target"]: link["ref"] for link in hilfe["link_details"]}["Obsidian URI"] == "de/Obsidian URI"
    assert run_json(capsys, "xref", "de/Obsidian URI")["backlinks"] == ["de/Hilfe"]
    assert run_json(capsys, "xref", "ar/Obsidian URI")["backlinks"] == []


@pytest.mark.parametrize(("target", "path"), [("../Home.md", "Home.md"),
                                              ("../attachments/diagram.png", "attachments/diagram.png"),
                                              ("./Beta.md", "Sub Folder/Beta.md")])
def test_a_relative_target_resolves_from_the_linking_file_as_check_does(archive: Archive, target: str,
                                                                        path: str) -> None:
    # what the reader asks of a Markdown link's target (the header's attachments): never dangling
    # where `check` finds the file
    assert archive.xref.resolve(target, "Sub Folder/Beta.md").path == path


def test_the_entity_table_tells_same_named_entities_apart_by_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entities", "--no-disk-index", "--cases", str(VAULT)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "Curie" in line]
    assert len(rows) == 3
    assert sum("(de/Marie Curie)" in row for row in rows) == sum("(en/Marie Curie)" in row for row in rows) == 1
    assert not any("(de/Pierre Curie)" in row for row in rows)  # a unique name needs no page
