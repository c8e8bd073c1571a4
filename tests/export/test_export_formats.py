"""CSV and JSON exports, byte-identical repeats, and --query against `casefile search`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.export.tables import CASE_COLUMNS, ENTITY_COLUMNS, LINK_COLUMNS
from tests.export.helpers import BILINGUAL, SAMPLES, XREF, export, export_process, ftm_lines


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file through the standard module."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_round_trips_through_the_csv_module(tmp_path: Path, capsys) -> None:
    code, _out, _err = export(capsys, XREF, "--format", "csv", "--out", str(tmp_path / "out"))
    _c, out, _e = export(capsys, XREF, "--format", "json")
    document = json.loads(out)
    cases, entities, links = (read_csv(tmp_path / "out" / name) for name in ("cases.csv", "entities.csv", "links.csv"))
    assert code == 0
    assert list(cases[0]) == list(CASE_COLUMNS) and list(entities[0]) == list(ENTITY_COLUMNS)
    assert list(links[0]) == list(LINK_COLUMNS)
    assert [(r["id"], r["title"], r["path"], r["sha256"]) for r in cases] == \
        [(c["id"], c["title"], c["path"], c["sha256"]) for c in document["cases"]]
    assert [r["name"] for r in entities] == [e["name"] for e in document["entities"]]
    assert [(r["case"], r["entity"], r["kind"], r["line"]) for r in links] == \
        [(e["case"], e["entity"], e["kind"], "" if e["line"] is None else str(e["line"])) for e in document["edges"]]
    assert {r["kind"] for r in links} == {"listed", "linked", "mentioned"}


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tmp_path: Path, capsys) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "f.md").write_text(
        '---\ntitle: "=WEBSERVICE(\\"http://x\\")"\ntags: ["@cmd", plain]\n---\nBody.\n', encoding="utf-8")
    export(capsys, tmp_path / "cases", "--format", "csv", "--out", str(tmp_path / "out"))
    (row,) = read_csv(tmp_path / "out" / "cases.csv")
    assert row["title"] == "'=WEBSERVICE(\"http://x\")" and row["tags"] == "'@cmd; plain"


def test_json_document_holds_cases_entities_and_edges(capsys) -> None:
    code, out, _err = export(capsys, BILINGUAL, "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["format"] == "casefile-export" and document["version"] == 1
    case = next(c for c in document["cases"] if c["id"] == "MX-2017-004")
    assert case["date"] == "2017-06-19" and "pegasus" in case["tags"] and case["body"].startswith("# Pegasus")
    epn = next(e for e in document["entities"] if e["name"] == "Enrique Peña Nieto")
    assert epn["type"] == "person" and "EPN" in epn["aliases"] and epn["page_path"] == "entities/pena-nieto.md"
    assert {"case": "MX-2017-004", "path": "mx-2017-004.md", "entity": "R3D", "kind": "linked", "line": 15,
            "context": "The spyware links arrived by SMS. See [[R3D]] and the earlier contracts case [[MX-2016-001]]."
            } in document["edges"]


@pytest.mark.parametrize("fmt", ["ftm", "json", "csv"])
def test_a_second_export_in_another_process_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        done = export_process(SAMPLES, "--format", fmt, "--out", str(out), seed=seed)
        assert done.returncode == 0, done.stderr
        files = sorted(out.iterdir()) if out.is_dir() else [out]
        outputs.append({path.relative_to(out).as_posix() if out.is_dir() else "out": path.read_bytes()
                        for path in files})
    assert outputs[0] == outputs[1] and all(outputs[0].values())


def search_ids(folder: Path, query: str, capsys) -> set[str]:
    """The ids of the cases `casefile search` finds."""
    assert main(["search", query, "--json", "--limit", "100000", "--no-disk-index", "--cases", str(folder)]) == 0
    found = json.loads(capsys.readouterr().out)
    return {hit["id"] for hit in found["results"] if hit["kind"] == "case"}


@pytest.mark.parametrize("query", ["tag:pegasus", "date:2017", "tag:pegasus date:2017", "periodistas", "nothingatall"])
def test_query_exports_exactly_the_cases_search_finds(query: str, capsys) -> None:
    wanted = search_ids(SAMPLES, query, capsys)
    code, out, _err = export(capsys, SAMPLES, "--format", "json", "--query", query)
    document = json.loads(out)
    assert code == 0 and document["query"] == query
    assert {c["id"] for c in document["cases"]} == wanted
    assert {e["case"] for e in document["edges"]} <= wanted
    touched = {e["entity"] for e in document["edges"]}
    assert touched <= {e["name"] for e in document["entities"]}


def test_query_ftm_holds_only_the_found_cases_and_what_they_touch(capsys) -> None:
    wanted = search_ids(SAMPLES, "tag:pegasus", capsys)
    _code, out, _err = export(capsys, SAMPLES, "--format", "ftm", "--query", "tag:pegasus")
    entities = ftm_lines(out)
    documents = [e for e in entities if e["schema"] == "PlainText"]
    assert len(documents) == len(wanted) > 0
    referenced = {e["properties"]["entity"][0] for e in entities if e["schema"] == "Documentation"}
    others = {e["id"] for e in entities if e["schema"] not in ("PlainText", "Documentation")}
    assert referenced == others


def test_a_query_search_cannot_parse_is_searched_as_words_and_says_so(capsys) -> None:
    wanted = search_ids(SAMPLES, "foo:pegasus", capsys)
    code, out, err = export(capsys, SAMPLES, "--format", "json", "--query", "foo:pegasus")
    assert code == 0 and {c["id"] for c in json.loads(out)["cases"]} == wanted
    assert "unknown field 'foo:'" in err
