"""`casefile xref`, `entities` and `graph` on the fixture folder tests/data/xref."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from casefile.cli import main

XREF_DATA = Path(__file__).resolve().parents[1] / "data" / "xref"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def where(tmp_path: Path) -> list[str]:
    """Options naming the fixture folder and a private index."""
    return ["--cases", str(XREF_DATA), "--index", str(tmp_path / "index")]


def test_xref_entity_json_has_the_agreed_keys(capsys, where: list[str]) -> None:
    code, out, _ = run_cli(capsys, "xref", "pena nieto", "--json", *where)
    data = json.loads(out)
    assert code == 0
    assert {"name", "type", "aliases", "cases_listing", "cases_linking", "unlinked_mentions",
            "cooccurring", "timeline"} <= data.keys()
    assert (data["name"], data["type"]) == ("Enrique Peña Nieto", "person")
    assert data["cases_listing"] == ["MX-2017-002"] and data["cases_linking"] == ["MX-2017-004"]
    assert data["unlinked_mentions"] == ["MX-2017-001"]
    assert data["mentions"][0]["line"] == 13
    assert data["timeline"] == [{"id": "MX-2017-004", "date": "2017-06"}, {"id": "MX-2017-002", "date": "2017-06-19"}]
    assert all(set(c) >= {"name", "count"} for c in data["cooccurring"])


def test_xref_case_json_has_the_agreed_keys(capsys, where: list[str]) -> None:
    code, out, _ = run_cli(capsys, "xref", "MX-2017-002", "--json", *where)
    data = json.loads(out)
    assert code == 0 and {"id", "title", "entities", "links", "backlinks", "related"} <= data.keys()
    assert data["links"] == ["MX-2017-001"]
    assert data["backlinks"] == ["MX-2017-004", "entities/citizen-lab"]
    assert data["related"][0] == {"id": "MX-2017-004", "shared": 3}
    assert {"name": "R3D", "type": "organization", "listed": True, "linked": False, "page": None} in data["entities"]


def test_xref_text_output_and_unknown_name(capsys, where: list[str]) -> None:
    code, out, _ = run_cli(capsys, "xref", "Citizen Lab", *where)
    assert code == 0 and "Mentioned without a link in 1 file:" in out and "cases/notes:3" in out
    code, _, err = run_cli(capsys, "xref", "Citizen Lob", *where)
    assert code == 1 and "no case or entity named 'Citizen Lob'" in err and "Citizen Lab" in err


def test_entities_lists_counts_and_filters_by_type(capsys, where: list[str]) -> None:
    code, out, _ = run_cli(capsys, "entities", "--json", *where)
    rows = {row["name"]: row for row in json.loads(out)["entities"]}
    assert code == 0 and rows["Citizen Lab"]["cases"] == 3 and rows["Citizen Lab"]["mentions"] == 1
    assert "Nobody Knows This Name" not in rows  # a dangling name is listed apart, never as an entity
    assert {"name": "Nobody Knows This Name", "links": 1, "files": 1} in json.loads(out)["dangling"]
    _, out, _ = run_cli(capsys, "entities", "--type", "place", "--json", *where)
    assert [row["name"] for row in json.loads(out)["entities"]] == ["Mexico City", "Mexico"]
    _, out, _ = run_cli(capsys, "entities", "--duplicates", "--json", *where)
    assert json.loads(out) == {"possible_duplicates": []}


def test_graph_json_and_dot(capsys, where: list[str]) -> None:
    _, out, _ = run_cli(capsys, "graph", "--format", "json", *where)
    data = json.loads(out)
    assert {"source": "entities/citizen-lab.md", "target": "R3D", "weight": 2} in data["edges"]  # a page: its path
    assert {"id": "R3D", "name": "R3D", "label": "R3D", "type": "organization", "cases": 3, "path": None} \
        in data["nodes"]
    _, out, _ = run_cli(capsys, "graph", "--format", "dot", "--min-weight", "2", *where)
    assert out.startswith("graph casefile {") and '"entities/citizen-lab.md" -- "R3D" [weight=2];' in out
    assert '"entities/citizen-lab.md" [label="Citizen Lab", type="organization", cases=3];' in out


def test_xref_follows_an_edit_between_runs(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(XREF_DATA, folder)
    where = ["--cases", str(folder), "--index", str(tmp_path / "index")]
    _, out, _ = run_cli(capsys, "xref", "Mexico", "--json", *where)
    assert "MX-2016-001" not in json.loads(out)["unlinked_mentions"]
    path = folder / "cases" / "2016.md"
    path.write_text(path.read_text(encoding="utf-8") + "It happened in México.\n", encoding="utf-8")
    _, out, _ = run_cli(capsys, "xref", "Mexico", "--json", *where)
    assert "MX-2016-001" in json.loads(out)["unlinked_mentions"]
    (folder / "entities" / "mexico.md").unlink()  # Mexico is now only a link target of one page
    _, out, _ = run_cli(capsys, "xref", "Mexico", "--json", *where)
    data = json.loads(out)
    assert data["dangling"] is True and data["type"] == "dangling"


def test_a_hostile_name_is_sanitized_in_every_format(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.md").write_text('---\nid: A\n---\n[[Evil "\x1b[31mName\\]] here\n', encoding="utf-8")
    where = ["--cases", str(folder), "--no-disk-index"]
    for argv in (["entities"], ["entities", "--json"], ["graph", "--format", "dot"], ["xref", "A"]):
        _, out, _ = run_cli(capsys, *argv, *where)
        assert "\x1b" not in out
