"""Same-named notes in different folders (issue 13) in `graph`, `xref NAME` and
`entities --duplicates`: two pages are two things, and a name several files share
says which one it shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from casefile.cli import main

VAULT = Path(__file__).resolve().parent.parent / "data" / "vault"


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    """The fixture vault, plus an English note listing the English Marie Curie with another person."""
    folder = tmp_path / "vault"
    shutil.copytree(VAULT, folder)
    (folder / "en" / "Notebook.md").write_text(
        "---\nentities:\n  person: [Marie Curie, Paul Langevin]\n---\n# Notebook\n", encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[str, str]:
    """A command's stdout and stderr on `folder` (no index written)."""
    assert main([*args, "--no-disk-index", "--cases", str(folder)]) == 0
    out, err = capsys.readouterr()
    return out, err


def run_json(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> Any:
    """A command's JSON output."""
    return json.loads(run(capsys, folder, *args, "--json")[0])


# graph ---------------------------------------------------------------------------


def test_graph_keeps_same_named_pages_apart_and_their_edges_too(capsys, vault: Path) -> None:
    graph = json.loads(run(capsys, vault, "graph")[0])
    ids = [node["id"] for node in graph["nodes"]]
    assert len(ids) == len(set(ids))
    curies = {node["id"]: node for node in graph["nodes"] if node["name"] == "Marie Curie"}
    assert set(curies) == {"de/Marie Curie.md", "en/Marie Curie.md"}
    assert curies["de/Marie Curie.md"]["label"] == "Marie Curie (de/Marie Curie.md)"
    assert curies["en/Marie Curie.md"]["path"] == "en/Marie Curie.md"
    edges = {frozenset((edge["source"], edge["target"])) for edge in graph["edges"]}
    # de/Hilfe links the German page with Pierre Curie; en/Notebook lists the English one with Langevin
    assert edges == {frozenset(("de/Marie Curie.md", "de/Pierre Curie.md")),
                     frozenset(("en/Marie Curie.md", "Paul Langevin"))}
    pierre = next(node for node in graph["nodes"] if node["name"] == "Pierre Curie")
    assert pierre["label"] == "Pierre Curie"  # a name no other node has needs no path


def test_graph_dot_has_one_node_per_page_labelled_with_its_path_when_shared(capsys, vault: Path) -> None:
    dot = run(capsys, vault, "graph", "--format", "dot")[0].splitlines()
    assert '  "de/Marie Curie.md" [label="Marie Curie (de/Marie Curie.md)", type="person", cases=1];' in dot
    assert '  "en/Marie Curie.md" [label="Marie Curie (en/Marie Curie.md)", type="person", cases=2];' in dot
    assert '  "de/Pierre Curie.md" [label="Pierre Curie", type="person", cases=1];' in dot
    assert '  "de/Marie Curie.md" -- "de/Pierre Curie.md" [weight=1];' in dot
    assert '  "en/Marie Curie.md" -- "Paul Langevin" [weight=1];' in dot


def test_graph_min_weight_keeps_nodes_by_key(capsys, vault: Path) -> None:
    (vault / "en" / "Notebook 2.md").write_text(
        "---\nentities:\n  person: [Marie Curie, Paul Langevin]\n---\n# Notebook 2\n", encoding="utf-8")
    graph = json.loads(run(capsys, vault, "graph", "--min-weight", "2")[0])
    assert [node["id"] for node in graph["nodes"]] == ["en/Marie Curie.md", "Paul Langevin"]


# xref NAME -----------------------------------------------------------------------


def test_xref_names_the_files_sharing_a_note_name_and_which_it_shows(capsys, vault: Path) -> None:
    out, err = run(capsys, vault, "xref", "Obsidian URI", "--json")
    assert json.loads(out)["path"] == "ar/Obsidian URI.md"
    assert json.loads(out)["also"] == ["de/Obsidian URI.md"]
    assert err == ("casefile: name 'Obsidian URI' is shared by 2 files: ar/Obsidian URI.md, de/Obsidian URI.md; "
                   "showing ar/Obsidian URI.md (give a path to choose)\n")


def test_xref_names_the_pages_sharing_an_entity_name(capsys, vault: Path) -> None:
    out, err = run(capsys, vault, "xref", "Marie Curie", "--json")
    data = json.loads(out)
    assert (data["page"], data["path"], data["also"]) == ("de/Marie Curie", "de/Marie Curie.md", ["en/Marie Curie.md"])
    assert "de/Marie Curie.md, en/Marie Curie.md; showing de/Marie Curie.md" in err
    text, err_text = run(capsys, vault, "xref", "Marie Curie")
    assert err_text == err and text.startswith("Marie Curie  [")


@pytest.mark.parametrize("key", ["de/Obsidian URI.md", "de/Obsidian URI"])
def test_a_path_chooses_one_of_the_namesakes_quietly(capsys, vault: Path, key: str) -> None:
    out, err = run(capsys, vault, "xref", key, "--json")
    assert (json.loads(out)["path"], json.loads(out)["also"], err) == ("de/Obsidian URI.md", [], "")


def test_a_name_only_one_file_has_says_nothing(capsys, vault: Path) -> None:
    out, err = run(capsys, vault, "xref", "Pierre Curie", "--json")
    assert (json.loads(out)["also"], err) == ([], "")


def test_xref_of_a_case_lists_the_page_each_entity_is(capsys, vault: Path) -> None:
    data = run_json(capsys, vault, "xref", "en/Notebook")
    assert {e["name"]: e["page"] for e in data["entities"]} == {"Marie Curie": "en/Marie Curie.md",
                                                                "Paul Langevin": None}


# entities --duplicates -------------------------------------------------------------


def test_same_named_pages_are_not_suggested_as_duplicates(capsys, vault: Path) -> None:
    assert run_json(capsys, vault, "entities", "--duplicates") == {"possible_duplicates": []}


def test_spelling_variants_and_a_page_against_a_listed_name_still_are(capsys, vault: Path) -> None:
    (vault / "x" / "José Pérez.md").write_text("---\ntype: person\n---\n# José Pérez\n", encoding="utf-8")
    (vault / "y" / "Jose Perez.md").write_text("---\ntype: person\n---\n# Jose Perez\n", encoding="utf-8")
    (vault / "y" / "Lab 2.md").write_text("---\nentities:\n  person: [Marie Curi]\n---\n# Lab 2\n", encoding="utf-8")
    found = run_json(capsys, vault, "entities", "--duplicates")["possible_duplicates"]
    assert sorted((*row["names"], *row["paths"]) for row in found) == [
        ("Jose Perez", "José Pérez", "y/Jose Perez.md", "x/José Pérez.md"),
        ("Marie Curi", "Marie Curie", None, "de/Marie Curie.md"),
        ("Marie Curi", "Marie Curie", None, "en/Marie Curie.md")]
    text = run(capsys, vault, "entities", "--duplicates")[0]
    assert "Marie Curi  ~  Marie Curie (en/Marie Curie.md)" in text  # two pages share the name: say which


def test_the_help_explains_the_rule(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["entities", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "same name" in text and "different files" in text


def test_a_name_many_files_share_names_a_few_and_counts_the_rest(capsys, vault: Path) -> None:
    for language in ("fr", "es", "it", "pt", "ru", "ja", "ko", "zh"):
        (vault / language).mkdir(exist_ok=True)
        (vault / language / "Obsidian URI.md").write_text("# Obsidian URI\n", encoding="utf-8")
    out, err = run(capsys, vault, "xref", "Obsidian URI", "--json")
    assert len(json.loads(out)["also"]) == 9  # the JSON names every other file
    assert "shared by 10 files: ar/Obsidian URI.md, de/Obsidian URI.md," in err
    assert "pt/Obsidian URI.md and 2 more (--json lists them); showing ar/Obsidian URI.md" in err
