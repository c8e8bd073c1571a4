"""`casefile check` and `casefile show` on the sample cases and on small folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casefile import __version__
from casefile.cli import main
from casefile.config import SAMPLE_CASES

REPO_CASES = Path(__file__).resolve().parents[2] / "cases"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def planted_problems() -> list[tuple[str, int, str]]:
    """The problems `cases/PLANTED.txt` documents, as (path, line, code)."""
    import re

    text = (SAMPLE_CASES / "PLANTED.txt").read_text(encoding="utf-8") \
        if (SAMPLE_CASES / "PLANTED.txt").exists() else (REPO_CASES / "PLANTED.txt").read_text(encoding="utf-8")
    return [(m.group(1), int(m.group(2)), m.group(3))
            for m in re.finditer(r"^PROBLEM (\S+):(\d+) (\S+)", text, re.MULTILINE)]


def test_check_json_on_the_sample_cases_reports_only_the_planted_problems(capsys) -> None:
    code, out, _ = run_cli(capsys, "check", "--json", "--no-disk-index", "--cases", str(REPO_CASES))
    report = json.loads(out)
    found = [(p["path"], p["line"], p["code"]) for p in report["errors"] + report["warnings"]]
    assert found == planted_problems()
    assert report["errors"] == [] and code == 0


def test_check_exits_1_on_errors_and_names_every_broken_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.md").write_text("# Good case\n[[Bad date case]]\n", encoding="utf-8")
    (tmp_path / "bad-date.md").write_text("---\ntitle: Bad date case\ndate: 2017-13-45\n---\n", encoding="utf-8")
    (tmp_path / "bad-yaml.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    (tmp_path / "dangling.md").write_text("# D\n\nsee [[Nowhere at all]]\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--json", "--no-disk-index", "--cases", str(tmp_path))
    report = json.loads(out)
    assert code == 1
    assert [(p["path"], p["line"], p["code"]) for p in report["errors"]] == [
        ("bad-date.md", 3, "date-invalid"), ("bad-yaml.md", 2, "front-matter-invalid")]
    assert [(p["path"], p["line"], p["code"]) for p in report["warnings"]] == [
        ("dangling.md", 3, "dangling-link")]


def test_check_text_output_is_compiler_style(tmp_path: Path, capsys) -> None:
    (tmp_path / "bad.md").write_text("---\ndate: 2017-02-30\n---\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--no-disk-index", "--cases", str(tmp_path))
    assert code == 1
    assert out.splitlines()[0].startswith("bad.md:2: error [date-invalid] ")
    assert "1 error, 0 warnings" in out


def test_show_renders_a_case_by_id(capsys) -> None:
    code, out, _ = run_cli(capsys, "show", "MX-2017-020", "--no-disk-index", "--cases", str(REPO_CASES))
    assert code == 0
    assert out.startswith("Asesinato de Javier Valdez Cárdenas en Culiacán\n")
    assert "id: MX-2017-020" in out and "sha256: " in out and "Ríodoce" in out


def test_show_raw_prints_the_source_with_front_matter(capsys) -> None:
    code, out, _ = run_cli(capsys, "show", "MX-2017-020", "--raw", "--no-disk-index", "--cases", str(REPO_CASES))
    source = (REPO_CASES / "mexico/2017/periodistas/javier-valdez.md").read_text(encoding="utf-8")
    assert code == 0 and out == source + "\n"


def test_show_json_and_by_path(capsys) -> None:
    code, out, _ = run_cli(capsys, "show", "notes/glosario", "--json", "--no-disk-index", "--cases", str(REPO_CASES))
    record = json.loads(out)
    assert code == 0 and record["id"] == "notes/glosario" and record["lang"] == "es"  # no lang: detected from the text
    assert "smsfalso" not in record["tags"] and "vigilancia" in record["tags"]


def test_show_unknown_id_is_a_short_error(capsys) -> None:
    code, out, err = run_cli(capsys, "show", "NO-SUCH-ID", "--no-disk-index", "--cases", str(REPO_CASES))
    assert (code, out) == (2, "")
    assert err.startswith("casefile: no case with id") and "Traceback" not in err


def test_missing_case_folder_is_a_short_error(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "check", "--cases", str(tmp_path / "missing"))
    assert code == 2 and "case folder not found" in err


def test_version_and_help_in_a_fresh_process() -> None:
    version = subprocess.run([sys.executable, "-m", "casefile", "--version"],
                             capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"casefile {__version__}"
    helptext = subprocess.run([sys.executable, "-m", "casefile", "--help"],
                              capture_output=True, text=True, check=True)
    assert "search" in helptext.stdout and "--no-disk-index" in helptext.stdout


def test_sample_cases_ship_with_the_package() -> None:
    shipped = sorted(p.relative_to(SAMPLE_CASES).as_posix() for p in SAMPLE_CASES.rglob("*.md"))
    in_repo = sorted(p.relative_to(REPO_CASES).as_posix() for p in REPO_CASES.rglob("*.md"))
    assert len(shipped) >= 40 and shipped == in_repo


def test_a_closed_pipe_is_not_an_error() -> None:
    """`casefile ... | head -1`: no 'internal error', no traceback."""
    command = (f"'{sys.executable}' -m casefile xref 'Pena Nieto' --no-disk-index --cases '{REPO_CASES}'"
               " | head -n 1")
    shell = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert shell.stderr == ""
