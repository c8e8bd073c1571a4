"""`casefile export --format ftm`: every entity valid for followthemoney's own model."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from casefile.core.export.ftm import schema_of
from tests.export.helpers import BILINGUAL, SAMPLES, XREF, export, ftm_lines, strict_problems
from tests.safety import hostile

# followthemoney is in the test extra: these tests fail, not skip, when it is missing.


def test_bilingual_fixtures_export_valid_entities_of_every_kind(capsys) -> None:
    code, out, err = export(capsys, BILINGUAL, "--format", "ftm")
    entities = ftm_lines(out)
    assert code == 0 and err == ""
    assert strict_problems(entities) == []
    schemas = {e["schema"] for e in entities}
    assert {"PlainText", "Person", "Organization", "Address", "Documentation"} <= schemas


def test_listings_links_and_mentions_are_documentation_edges_with_a_role(capsys) -> None:
    code, out, _err = export(capsys, XREF, "--format", "ftm")
    entities = ftm_lines(out)
    assert code == 0 and strict_problems(entities) == []
    roles = {e["properties"]["role"][0] for e in entities if e["schema"] == "Documentation"}
    assert roles == {"listed", "linked", "mentioned"}
    mentioned = next(e for e in entities if e["properties"].get("role") == ["mentioned"])
    assert mentioned["properties"]["summary"][0].startswith("line ")


def test_a_case_carries_its_metadata(tmp_path: Path, capsys) -> None:
    (tmp_path / "c.md").write_bytes(
        b"---\nid: MX-2017-004\ntitle: Infecciones\ndate: 2017-06\nlang: es\nstatus: open\n"
        b"tags: [pegasus]\nsources:\n  - title: Reckless\n    url: https://citizenlab.ca/r\n---\n"
        b"# Infecciones\n\nTexto del caso. #mexico\n")
    _code, out, _err = export(capsys, tmp_path, "--format", "ftm")
    (case,) = [e for e in ftm_lines(out) if e["schema"] == "PlainText"]
    props = case["properties"]
    assert props["language"] == ["spa"] and props["date"] == ["2017-06"] and props["title"] == ["Infecciones"]
    assert props["keywords"] == ["pegasus", "mexico"] and props["sourceUrl"] == ["https://citizenlab.ca/r"]
    assert "Texto del caso." in props["bodyText"][0] and props["fileName"] == ["c.md"]
    sha = hashlib.sha256((tmp_path / "c.md").read_bytes()).hexdigest()
    assert props["notes"] == [f"casefile case MX-2017-004\npath: c.md\nsha256: {sha}\nstatus: open"]


def test_aliases_become_aliases_and_edges_join_case_and_entity(capsys) -> None:
    _code, out, _err = export(capsys, BILINGUAL, "--format", "ftm")
    entities = ftm_lines(out)
    by_id = {e["id"]: e for e in entities}
    epn = next(e for e in entities if e["properties"].get("name") == ["Enrique Peña Nieto"])
    assert epn["schema"] == "Person" and "EPN" in epn["properties"]["alias"]
    edges = [e for e in entities if e["schema"] == "Documentation"]
    assert all(by_id[e["properties"]["document"][0]]["schema"] == "PlainText" for e in edges)
    assert any(e["properties"]["entity"] == [epn["id"]] for e in edges)


def test_hostile_folder_exports_only_files_check_finds_no_error_in(tmp_path: Path, capsys) -> None:
    folder = hostile.build(tmp_path / "cases", tmp_path / "outside")
    code, out, err = export(capsys, folder, "--format", "ftm")
    _c, report, _e = _check(capsys, folder)
    errors = {p["path"] for p in report["errors"]}
    exported = {path for e in ftm_lines(out) for path in e["properties"].get("fileName", [])}
    assert code == 0 and strict_problems(ftm_lines(out)) == []
    assert errors and not exported & errors
    assert all(f"skipped {p['path']}" in err for p in report["errors"])
    assert {"good-en.md", "good-es.md", "rich-markup.md", "bidi-override.md"} <= exported
    assert hostile.SECRET not in out


def _check(capsys, folder: Path) -> tuple[int, dict, str]:
    from casefile.cli import main

    code = main(["check", "--json", "--no-disk-index", "--cases", str(folder)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_sample_archive_is_valid_and_every_type_has_a_schema(capsys) -> None:
    code, out, _err = export(capsys, SAMPLES, "--format", "ftm")
    assert code == 0 and strict_problems(ftm_lines(out)) == []


@pytest.mark.parametrize(("kind", "schema"), [("person", "Person"), ("Organization", "Organization"),
                                              ("place", "Address"), ("event", "Event"), ("spyware", "LegalEntity")])
def test_entity_types_map_to_the_closest_schema(kind: str, schema: str) -> None:
    assert schema_of(kind) == schema


def test_ids_follow_the_case_id_and_entity_name_not_lines_or_paths(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.md").write_text("---\nid: A-1\nentities:\n  person: [Ana Pérez]\n---\n# A\n\n"
                                   "See [[Ana Pérez]].\n", encoding="utf-8")
    first = {e["schema"]: e["id"] for e in ftm_lines(export(capsys, tmp_path, "--format", "ftm")[1])}
    (tmp_path / "a.md").unlink()
    (tmp_path / "moved.md").write_text("---\nid: a-1\nentities:\n  person: [ana perez]\n---\n# A, edited\n\n"
                                       "New first line.\n\nSee [[Ana Pérez]] again.\n", encoding="utf-8")
    second = ftm_lines(export(capsys, tmp_path, "--format", "ftm")[1])
    assert {e["schema"]: e["id"] for e in second}.items() >= {"PlainText": first["PlainText"],
                                                               "Person": first["Person"]}.items()
    assert sorted(e["id"] for e in second) == sorted(e["id"] for e in ftm_lines(
        export(capsys, tmp_path, "--format", "ftm")[1]))


def test_a_body_over_the_ftm_text_limit_is_cut_and_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "long.md").write_text("# Long\n\n" + "palabra " * 10_000 + "\n", encoding="utf-8")
    _code, out, _err = export(capsys, tmp_path, "--format", "ftm")
    (case,) = ftm_lines(out)
    body, notes = case["properties"]["bodyText"][0], case["properties"]["notes"][0]
    assert strict_problems([case]) == []
    assert len(body) <= 65_000 and body.endswith("\u2026") and body.startswith("# Long")
    assert "body: the first 65,000 of 80,009 characters" in notes
