"""A note's language found by itself: English or Spanish from its function words."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from casefile.config import SAMPLE_CASES
from casefile.core.archive.facade import Archive
from casefile.core.read.parse import parse_case
from casefile.core.text.language import guess

ROOT = Path(__file__).resolve().parents[2]
BILINGUAL = ROOT / "tests" / "data" / "bilingual"
_LANG_LINE = re.compile(r"^lang: *(\w+) *\n", re.MULTILINE)


def _corpus_module():  # bench/corpus.py: the generator the benchmarks use
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_notes_get_the_language_they_were_written_in(tmp_path: Path) -> None:
    truth: dict[str, str] = {}
    folder = _corpus_module().generate(tmp_path / "corpus", 400, seed=7, languages=truth)
    for path in truth:  # as if nobody had written `lang:`
        text = (folder / path).read_text(encoding="utf-8")
        (folder / path).write_text(_LANG_LINE.sub("", text), encoding="utf-8")
    cases = {p: parse_case((folder / p).read_text(encoding="utf-8"), p)[0] for p in truth}
    right = [p for p in truth if cases[p].lang == truth[p]]
    assert set(truth.values()) == {"en", "es"} and len(right) / len(truth) >= 0.98
    assert all(cases[p].lang_detected for p in right if truth[p] == "es")


def test_the_bilingual_fixtures_are_detected_as_declared() -> None:
    """Every fixture or sample note that declares its language is detected as that language."""
    declared = {}
    for path in [*BILINGUAL.rglob("*.md"), *SAMPLE_CASES.rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        if (found := _LANG_LINE.search(text)) and found[1] in ("en", "es"):
            case, _ = parse_case(_LANG_LINE.sub("", text), path.name)
            declared[path.name] = (found[1], case.lang)
    assert len(declared) >= 10 and all(want == got for want, got in declared.values()), declared


@pytest.mark.parametrize(("text", "lang"), [
    ("Los periodistas fueron espiados por el gobierno de México con un programa que se "
     "instaló en sus teléfonos.", "es"),
    ("The journalists were targeted by the government with spyware that was installed on "
     "their phones.", "en"),
    ("Carmen Aristegui, R3D, Citizen Lab.", None),  # names only: no evidence either way
    # another script quoting English (obsidian-help's zh/ and ar/ notes): not English
    ("Obsidian URI 是 Obsidian 支持的自定义 URI 协议，可以让你触发各种操作，例如打开笔记或创建笔记。"
     "例如 open the note in the vault 会打开仓库中的笔记；如果 the file is not found，它会创建 a new "
     "note with the text to add 并在新标签页中打开。", None),
    ("‏Obsidian URI هو بروتوكول URI مخصص يدعمه Obsidian ويتيح لك تشغيل إجراءات مختلفة مثل فتح "
     "ملاحظة أو إنشاء ملاحظة جديدة في المخزن الخاص بك. مثال: open the note in the vault of the user "
     "and the file with the text.", None),
    # another Latin-script language quoting a little English: too few function words to be either
    ("Obsidian URI er en tilpasset URI-protokoll støttet av Obsidian som lar deg utløse ulike "
     "handlinger, som å åpne et notat eller opprette et notat. Eksempel: open the vault, then the "
     "file, with the path of the note and the heading in it. Parameteren action er handlingen du "
     "ønsker å utføre. Tilgjengelige handlinger inkluderer åpning, søk, daglige notater, unike "
     "notater og valg av hvelv, og hver handling har egne parametere som beskrives nedenfor.", None),
])
def test_guess(text: str, lang: str | None) -> None:
    assert guess(text).lang == lang


def test_a_declared_language_that_the_text_contradicts_is_reported() -> None:
    body = ("Los periodistas fueron espiados por el gobierno y las autoridades no han dado una "
            "respuesta. La investigación de la fiscalía sobre el caso es para el año que viene y "
            "los abogados de las víctimas dicen que no hay avances en el expediente. ") * 2
    _, problems = parse_case(f"---\nid: A\nlang: en\n---\n# Caso\n\n{body}", "a.md")
    assert [(p.code, p.line, p.severity) for p in problems] == [("lang-mismatch", 3, "warning")]
    _, problems = parse_case(f"---\nid: B\nlang: es\n---\n# Caso\n\n{body}", "b.md")
    assert problems == []
    case, problems = parse_case(f"# Caso\n\n{body}", "c.md")
    assert problems == [] and (case.lang, case.lang_detected) == ("es", True)


def test_stems_of_detected_notes_are_found_as_with_an_explicit_lang(tmp_path: Path) -> None:
    """Recall for Spanish stems is the same whether `lang: es` is written or detected."""
    spanish = ROOT / "tests" / "data" / "spanish"
    explicit = Archive.open(spanish, None)
    explicit.refresh()
    stripped = tmp_path / "stripped"
    stripped.mkdir()
    for path in spanish.glob("*.md"):
        (stripped / path.name).write_text(_LANG_LINE.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    detected = Archive.open(stripped, None)
    detected.refresh()
    for query in ("asesinar", "vigilar", "espiar", "amenazar", "desaparecer", "investigar"):
        found = {hit.id for hit in detected.search(query, limit=None).hits}
        assert found == {hit.id for hit in explicit.search(query, limit=None).hits} and found


def test_show_says_the_language_was_detected(capsys: pytest.CaptureFixture[str]) -> None:
    from casefile.cli import main

    assert main(["show", "notes/glosario", "--json", "--no-disk-index", "--cases", str(SAMPLE_CASES)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["lang"], record["lang_detected"]) == ("es", True)
    assert main(["show", "notes/glosario", "--no-disk-index", "--cases", str(SAMPLE_CASES)]) == 0
    assert "lang: es (detected)" in capsys.readouterr().out


async def test_the_reader_header_says_the_language_was_detected(tmp_path: Path) -> None:
    from casefile.config import load_config
    from casefile.ui.app import make_app

    config = load_config(cases=str(SAMPLE_CASES), no_disk_index=True, env={"CASEFILE_CACHE": str(tmp_path)})
    app = make_app(config, live_interval=None)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press(*"glosario")
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "es (detected)" in app.screen.query_one("CaseHeader").render().plain
