"""Human output: singular and plural counts, thousands separators (never in --json),
a one-line `index` summary when piped, an unknown `--type` named, no padded lines."""

from __future__ import annotations

import gettext
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.cli.search import as_json, print_result
from casefile.core import wording
from casefile.core.model import SearchResult

DATA = Path(__file__).resolve().parents[1] / "data"
REPO_CASES = Path(__file__).resolve().parents[2] / "cases"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_piped_prints_a_one_line_summary_on_stderr(capsys, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "index", "--cases", str(DATA / "bilingual"), "--index", str(tmp_path / "ix"))
    assert code == 0 and out == ""
    assert err.startswith("12 files: 12 added, 0 changed, 0 removed (") and err.count("\n") == 1


def test_entities_with_an_unknown_type_names_the_types_and_exits_2(capsys, tmp_path: Path) -> None:
    where = ["--cases", str(DATA / "xref"), "--index", str(tmp_path / "ix")]
    code, out, err = run_cli(capsys, "entities", "--type", "persona", *where)
    assert code == 2 and out == ""
    assert "no entity has type 'persona'" in err and "organization" in err and "person" in err
    code, out, _ = run_cli(capsys, "entities", "--type", "PERSON", *where)
    assert code == 0 and "Enrique Peña Nieto" in out


def test_one_is_singular(capsys, tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "one.md").write_text("---\nentities:\n  person: [Ana Ruiz]\n---\n# One\n\nAna Ruiz spoke.\n",
                                               encoding="utf-8")
    where = ["--cases", str(tmp_path / "cases"), "--no-disk-index"]
    _, out, _ = run_cli(capsys, "xref", "Ana Ruiz", *where)
    assert "Listed in 1 case:" in out and "Linked from 0 places:" in out
    _, out, _ = run_cli(capsys, "entities", *where)
    assert out.rstrip().endswith("\n1 entity")
    _, out, _ = run_cli(capsys, "search", "spoke", *where)
    assert "\n1 result\n" in out
    _, out, _ = run_cli(capsys, "check", *where)
    assert "0 errors, 0 warnings" in out


def test_thousands_separators_in_text_never_in_json() -> None:
    result = SearchResult("x", 10_000, (), (("mexico", 1234),))
    stream = io.StringIO()
    print_result(result, stream, color=False)
    assert stream.getvalue() == "10,000 results, showing 0\ntags: mexico (1,234)\n"
    assert json.loads(json.dumps(as_json(result)))["total"] == 10_000


class _Spanish(gettext.NullTranslations):
    """A stand-in catalog: Spanish forms for two strings."""

    FORMS = {"{n} result": ("{n} resultado", "{n} resultados")}

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        one, many = self.FORMS.get(msgid1, (msgid1, msgid2))
        return one if n == 1 else many


@pytest.fixture()
def spanish() -> Iterator[None]:
    wording.use_catalog(_Spanish())
    yield
    wording.use_catalog(gettext.NullTranslations())


def test_a_catalog_plugs_in(spanish: None) -> None:
    stream = io.StringIO()
    print_result(SearchResult("x", 0, ()), stream, color=False)
    assert stream.getvalue() == "0 resultados\n"
    assert wording.counted(1, "{n} result", "{n} results") == "1 resultado"


def test_show_piped_has_no_padded_lines(capsys) -> None:
    code, out, _ = run_cli(capsys, "show", "MX-2017-020", "--no-disk-index", "--cases", str(REPO_CASES))
    assert code == 0 and "Javier Valdez" in out
    assert [line for line in out.splitlines() if line != line.rstrip(" ")] == []
