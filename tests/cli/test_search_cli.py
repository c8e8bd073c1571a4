"""`casefile search` and `casefile index` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


def test_search_json_has_the_fixed_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["search", "Munk", "--cases", str(BILINGUAL), "--index", str(tmp_path / "ix"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "total", "results"} and data["query"] == "Munk"
    assert data["total"] == len(data["results"]) >= 2
    for result in data["results"]:
        assert set(result) == {"id", "title", "path", "date", "tags", "score", "snippet", "kind"}
        assert result["kind"] in ("case", "entity")
    assert {r["id"]: r["kind"] for r in data["results"]}["MX-2017-004"] == "case"


def test_search_text_has_no_escape_codes_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "periodista", "--cases", str(BILINGUAL), "--no-disk-index", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "MX-2017-005" in out and "\x1b" not in out and "1 result" in out


def test_search_limit_and_date_sort(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["search", "mexico", "--cases", str(BILINGUAL), "--no-disk-index", "--json", "--limit", "1",
            "--sort", "date"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]) == 1 and data["total"] > 1


def test_bad_query_is_a_notice_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "colour:red", "--cases", str(BILINGUAL), "--no-disk-index", "--json"]) == 0
    captured = capsys.readouterr()
    assert "colour:" in captured.err and json.loads(captured.out)["total"] == 0


def test_index_command_reports_and_rebuilds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    assert main(["index", "--cases", str(BILINGUAL), "--index", index, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 12
    assert main(["index", "--cases", str(BILINGUAL), "--index", index, "--json", "--rebuild"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 12
    assert main(["index", "--cases", str(BILINGUAL), "--index", index]) == 0
    assert capsys.readouterr().out == ""
