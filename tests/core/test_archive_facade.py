"""The Archive facade: cases by id or path, problems kept for unchanged files."""

from __future__ import annotations

import shutil
from pathlib import Path

from casefile.core.archive.facade import Archive

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


def test_case_by_id_or_path_with_its_body(tmp_path: Path) -> None:
    archive = Archive.open(BILINGUAL, None)
    archive.refresh()
    by_id = archive.case("mx-2017-004")
    by_path = archive.case("mx-2017-004.md")
    assert by_id is not None and by_path is not None and by_id.path == by_path.path == "mx-2017-004.md"
    assert "Researchers documented" in by_id.body
    assert archive.case("notes/meeting") is not None and archive.case("nope") is None
    archive.close()


def test_problems_survive_runs_and_include_duplicate_ids(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(BILINGUAL, folder)
    (folder / "bad.md").write_text("---\ndate: 2017-13-45\n---\nBad date.\n")
    (folder / "copy.md").write_text("---\nid: MX-2017-004\n---\nSame id.\n")
    first = Archive.open(folder, tmp_path / "ix")
    first.refresh()
    first.close()
    second = Archive.open(folder, tmp_path / "ix")
    assert not second.refresh().changed_anything
    codes = {(p.path, p.code) for p in second.problems()}
    assert ("bad.md", "date-invalid") in codes
    assert any(code == "duplicate-id" for _path, code in codes)
    paths = [p.path for p in second.problems()]
    assert paths == sorted(paths)
    second.close()


def test_report_counts_cases_and_entities() -> None:
    archive = Archive.open(BILINGUAL, None)
    report = archive.refresh()
    assert (report.cases, report.entities, report.total) == (8, 4, 12)
    archive.close()


def test_total_counts_every_match_when_results_are_limited(tmp_path: Path) -> None:
    # scores spread widely, so a top-N search could skip low-scoring postings
    folder = tmp_path / "cases"
    folder.mkdir()
    for number in range(300):
        words = " ".join(["alpha"] * (1 + number % 7) + ["beta"] * (number % 3) + ["filler"] * (number % 50))
        (folder / f"c{number:03}.md").write_text(f"# Case {number}\n\n{words}\n")
    archive = Archive.open(folder, tmp_path / "ix")
    archive.refresh()
    for text in ("alpha", "alpha OR beta", "beta", "alpha -beta"):
        limited, everything = archive.search(text, limit=3), archive.search(text, limit=None)
        assert limited.total == everything.total == len(everything.hits) and len(limited.hits) == 3
    assert archive.search("alpha OR beta", limit=3).total == 300
    archive.close()
