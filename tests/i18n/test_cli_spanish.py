"""The command line in both languages: help, messages, problems, counts, dates and
argparse's own words follow the locale, `--lang` and the config file; --json, problem
codes and query syntax stay the same whatever the language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
UI_CASES = DATA / "ui" / "cases"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main(argv): exit code, stdout, stderr (`--help` exits through SystemExit)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def spanish_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """LANG=es_MX.UTF-8, no config file; the index goes to tmp_path."""
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    monkeypatch.setenv("CASEFILE_CONFIG", str(tmp_path / "none.toml"))
    return tmp_path


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["usage: casefile search", "options:", "show this help and exit", "what to search for"]),
    ("es", ["uso: casefile search", "opciones:", "mostrar esta ayuda y salir", "qué buscar"]),
])
def test_search_help_is_in_the_chosen_language(capsys, lang: str, words: list[str]) -> None:
    code, out, _err = run(capsys, "search", "--lang", lang, "--help")
    assert code == 0
    assert all(word in out for word in words), out
    assert out.count("opciones:") + out.count("options:") == 1, "one options heading, not two"


def test_the_locale_chooses_spanish_and_lang_en_overrides_it(capsys, spanish_locale: Path) -> None:
    assert "Lee, busca y cruza referencias" in run(capsys, "--help")[1]
    assert "Read, search and cross-reference" in run(capsys, "--lang", "en", "--help")[1]


def test_the_config_file_chooses_the_language_over_the_locale(capsys, monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('lang = "es"\n', encoding="utf-8")
    monkeypatch.setenv("CASEFILE_CONFIG", str(tmp_path / "config.toml"))
    assert "uso: casefile" in run(capsys, "--help")[1]
    assert "usage: casefile" in run(capsys, "--lang", "en", "--help")[1]


def test_argparse_errors_are_in_spanish(capsys, spanish_locale: Path) -> None:
    code, _out, err = run(capsys, "search", "x", "--limit", "lots")
    assert code == 2
    assert "uso: casefile search" in err
    assert "casefile search: error: argumento --limit: valor int no válido: 'lots'" in err
    code, _out, err = run(capsys, "search")
    assert code == 2 and "faltan los argumentos obligatorios: query" in err
    code, _out, err = run(capsys, "search", "x", "--sort", "size")
    assert code == 2 and "opción no válida: 'size' (elija entre 'relevance', 'date')" in err


def test_check_words_problems_in_spanish_with_the_same_codes(capsys, spanish_locale: Path) -> None:
    index = str(spanish_locale / "ix")
    code, out, _err = run(capsys, "check", "--cases", str(UI_CASES), "--index", index)
    assert code == 1
    assert "broken.md:2: error [front-matter-invalid] el encabezado no es YAML válido: " in out
    assert "hostile.md:2: aviso [control-characters] el encabezado 'title' contiene caracteres de control" in out
    assert out.rstrip().endswith(f"1 error, 1 aviso en {UI_CASES.resolve()}")


def test_json_output_is_the_same_in_both_languages(capsys, monkeypatch, tmp_path: Path) -> None:
    where = ["--cases", str(UI_CASES), "--index", str(tmp_path / "ix")]
    english = [run(capsys, command, *args, "--json", *where)[1] for command, *args in
               (("check",), ("search", "pegasus"), ("show", "MX-2017-004"), ("entities",))]
    spanish = [run(capsys, command, *args, "--json", "--lang", "es", *where)[1] for command, *args in
               (("check",), ("search", "pegasus"), ("show", "MX-2017-004"), ("entities",))]
    assert english == spanish
    assert json.loads(spanish[0])["errors"][0]["message"].startswith("front matter is not valid YAML")


def test_spanish_field_names_search_the_same_fields(capsys, tmp_path: Path) -> None:
    where = ["--cases", str(DATA / "bilingual"), "--index", str(tmp_path / "ix"), "--json"]
    pairs = [("tag:mexico", "etiqueta:mexico"), ("org:citizen", "organización:citizen"),
             ("org:citizen", "ORGANIZACION:citizen"), ("person:aristegui", "persona:aristegui"),
             ("date:2017", "fecha:2017"), ("status:open", "estado:open"), ("place:mexico", "lugar:mexico")]
    for english, spanish in pairs:
        found = json.loads(run(capsys, "search", english, *where)[1])
        same = json.loads(run(capsys, "search", spanish, *where)[1])
        assert [hit["path"] for hit in same["results"]] == [hit["path"] for hit in found["results"]], spanish
        assert same["query"] == spanish  # the query is reported as typed
    assert json.loads(run(capsys, "search", "tag:mexico", *where)[1])["total"] > 0


def test_a_quoted_spanish_field_name_stays_a_phrase(capsys, tmp_path: Path) -> None:
    from casefile.core.text.query_fields import english_fields

    assert english_fields('"etiqueta: x" etiqueta:mx') == '"etiqueta: x" tag:mx'
    assert english_fields("mi_etiqueta:x estado:open") == "mi_etiqueta:x status:open"


def test_counts_plurals_numbers_and_dates_in_spanish(capsys, spanish_locale: Path) -> None:
    where = ["--cases", str(DATA / "bilingual"), "--index", str(spanish_locale / "ix")]
    _code, out, _err = run(capsys, "search", "mexico", "--limit", "1", *where)
    assert "resultados, se muestran 1" in out and "results" not in out
    _code, out, _err = run(capsys, "show", "MX-2017-004", *where)
    assert "fecha: 19 de junio de 2017" in out
    _code, out, _err = run(capsys, "search", "id:MX-2017-004", *where)
    assert "\n1 resultado\n" in out


def test_index_summary_uses_spanish_decimals_and_plurals(capsys, spanish_locale: Path) -> None:
    code, out, err = run(capsys, "index", "--cases", str(DATA / "bilingual"), "--index", str(spanish_locale / "ix"))
    assert code == 0 and out == ""
    assert err.startswith("12 archivos: 12 nuevos, 0 modificados, 0 eliminados (")
    assert err.rstrip().endswith(" s)") and "," in err.rsplit("(", 1)[1]


def test_errors_at_the_edge_are_in_spanish(capsys, spanish_locale: Path) -> None:
    code, _out, err = run(capsys, "show", "no-such-case", "--cases", str(UI_CASES),
                          "--index", str(spanish_locale / "ix"))
    assert code == 2 and "no hay ningún caso con id o ruta 'no-such-case'" in err
    code, _out, err = run(capsys, "check", "--cases", str(spanish_locale / "missing"))
    assert code == 2 and "no se encontró la carpeta de casos" in err
