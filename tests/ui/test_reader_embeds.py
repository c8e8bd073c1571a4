"""`![[note]]` embeds framed inline (bounded: depth, size, cycles); attachments as placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_helpers import config_for, screen_lines, settle, started

from casefile.core.archive.facade import Archive
from casefile.ui.app import make_app
from casefile.ui.embeds import MAX_CHARS, MAX_READS, Embedded, gather
from casefile.ui.render import Document, render_markdown
from casefile.ui.widgets.case_view import CaseView

VAULT = Path(__file__).parent.parent / "data" / "vault"


def opened(folder: Path) -> Archive:
    """An in-memory archive of `folder`, read."""
    archive = Archive.open(folder, None)
    archive.refresh()
    return archive


def rendered(archive: Archive, path: str) -> Document:
    """A note rendered with its embeds, as the reader shows it."""
    case = archive.case(path)
    assert case is not None
    return render_markdown(case.body, case.path, case.title, gather(archive, case))


def lines(doc: Document) -> list[str]:
    """Every block as prefix + text."""
    return [block.first_prefix + block.text for block in doc.blocks]


def test_embedded_notes_and_sections_are_framed_and_labelled() -> None:
    shown = lines(rendered(opened(VAULT), "Home.md"))
    frames = [n for n, line in enumerate(shown) if line.startswith("│ ⧉")]
    assert [shown[n] for n in frames] == ["│ ⧉ Embedded: Alpha", "│ ⧉ Embedded: Alpha › Section One"]
    assert "│ A paragraph that can be linked to." in shown[frames[0]:frames[1]]
    assert "│ Alpha" not in shown[frames[1]:]  # the section only, not the whole note


def test_attachments_are_placeholders_with_name_type_and_size() -> None:
    text = "\n".join(lines(rendered(opened(VAULT), "Home.md")))
    size = (VAULT / "attachments" / "diagram.png").stat().st_size
    assert f"[attachment: diagram.png · image/png · {size} B]" in text
    assert "[attachment: report.pdf · application/pdf ·" in text
    assert "!100" not in text


@pytest.fixture
def loops(tmp_path: Path) -> Path:
    """Notes that embed each other in a ring, four deep, and one too long."""
    folder = tmp_path / "loops"
    folder.mkdir()
    (folder / "A.md").write_text("# A\n\nIn A.\n\n![[B]]\n\n![[Big]]\n", encoding="utf-8")
    (folder / "B.md").write_text("# B\n\nIn B.\n\n![[A]]\n\n![[C]]\n", encoding="utf-8")
    (folder / "C.md").write_text("# C\n\nIn C.\n\n![[D]]\n", encoding="utf-8")
    (folder / "D.md").write_text("# D\n\nIn D.\n", encoding="utf-8")
    (folder / "Big.md").write_text("# Big\n\n" + "word " * 3000 + "\n\nTHE END\n", encoding="utf-8")
    return folder


def test_embeds_stop_at_two_levels_cut_cycles_and_long_notes(loops: Path) -> None:
    shown = lines(rendered(opened(loops), "A.md"))
    text = "\n".join(shown)
    assert "│ In B." in shown and "│ │ In C." in shown  # two levels deep
    assert "In D." not in text and "more than two levels deep" in text
    assert "embeds itself here" in text and text.count("In A.") == 1
    assert "THE END" not in text and f"cut at {MAX_CHARS:,} characters" in text
    assert sum(len(line) for line in shown) < 3 * MAX_CHARS


async def test_the_reader_shows_embeds_framed_and_attachments_in_the_header(tmp_path: Path) -> None:
    shutil.copytree(VAULT, tmp_path / "vault")
    app = make_app(config_for(tmp_path / "vault"), live_interval=None)
    async with app.run_test(size=(200, 60)) as pilot:
        await started(pilot)
        app.open_case("Home.md", focus=True)
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        body = "\n".join(lines(app.query_one(CaseView).body.document))
    assert "attachments (3): diagram.png, report.pdf, missing.png (dangling)" in screen
    assert "⧉ Embedded: Alpha › Section One" in screen
    assert "[attachment: report.pdf · application/pdf ·" in body


def test_a_case_reads_a_bounded_number_of_embedded_notes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        (folder / f"N{n}.md").write_text(f"# N{n}\n\n" + "".join(f"![[M{m}]]\n" for m in range(30)), encoding="utf-8")
    for m in range(30):
        (folder / f"M{m}.md").write_text(f"# M{m}\n\nLeaf {m}.\n", encoding="utf-8")
    (folder / "Top.md").write_text("# Top\n\n" + "".join(f"![[N{n}]]\n" for n in range(30)), encoding="utf-8")
    archive = opened(folder)
    case = archive.case("Top.md")
    assert case is not None
    embeds = gather(archive, case)

    def count(found: dict[tuple[str, str], Embedded]) -> int:
        return sum(1 + count(e.nested) for e in found.values() if e.kind == "note")

    assert count(embeds) == MAX_READS
    assert "too many embeds" in "\n".join(lines(render_markdown(case.body, case.path, case.title, embeds)))
