"""The reader in both languages, the same flows: footer keys, status line, empty state,
case header date, help, problem list, palette commands and notices."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
from pilot_helpers import config_for, screen_lines, settle, started, type_query

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.screens.help import HelpScreen
from casefile.ui.screens.problems import ProblemsScreen
from casefile.ui.widgets.case_view import CaseView

UI_DATA = Path(__file__).resolve().parents[1] / "data" / "ui" / "cases"
WORDS = {
    "en": {"footer": ["Quit", "Help", "Sort", "Tags"], "status": "cases", "empty": "No results.",
           "date": "2017-06-19", "help": "keys and queries", "problems": "warning",
           "problem": "holds terminal control characters", "palette": "Sort by date",
           "dangling": "No case or entity named", "results": "files"},
    "es": {"footer": ["Salir", "Ayuda", "Orden", "Etiquetas"], "status": "casos", "empty": "Sin resultados.",
           "date": "19 de junio de 2017", "help": "teclas y consultas", "problems": "aviso",
           "problem": "contiene caracteres de control", "palette": "Ordenar por fecha",
           "dangling": "No hay ningún caso ni entidad llamado", "results": "archivos"},
}


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    target = tmp_path / "cases"
    shutil.copytree(UI_DATA, target)
    return target.resolve()


def app_in(cases: Path, lang: str) -> CasefileApp:
    return make_app(replace(config_for(cases), lang=lang), live_interval=None)


def text_of(app: CasefileApp) -> str:
    return "\n".join(screen_lines(app))


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_footer_status_and_empty_state(cases: Path, lang: str) -> None:
    words, app = WORDS[lang], app_in(cases, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = text_of(app)
        assert all(word in screen for word in words["footer"]), screen[-400:]
        status = str(app.query_one("#status-index", Static).render())
        assert words["status"] in status
        assert f" {words['results']}" in screen
        await type_query(pilot, "zzzqqq")
        assert words["empty"] in text_of(app)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_case_header_date_and_dangling_notice(cases: Path, lang: str) -> None:
    words, app = WORDS[lang], app_in(cases, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.open_case("MX-2017-004", focus=True)
        await settle(pilot)
        assert words["date"] in text_of(app)
        app.query_one(CaseView).post_message(CaseView.LinkFollowed("Nobody At All"))
        await settle(pilot)
        assert any(words["dangling"] in n.message for n in app._notifications)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_help_and_problem_list(cases: Path, lang: str) -> None:
    words, app = WORDS[lang], app_in(cases, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert words["help"] in text_of(app)
        await pilot.press("escape")
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        screen = text_of(app)
        assert words["problems"] in screen and words["problem"] in screen
        assert "control-characters" in screen  # codes are the same in both languages


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_palette_commands(cases: Path, lang: str) -> None:
    words, app = WORDS[lang], app_in(cases, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.pause(0.3)
        assert words["palette"] in text_of(app)


async def test_spanish_80x24_footer_fits_its_keys(cases: Path) -> None:
    app = app_in(cases, "es")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        footer = screen_lines(app)[-1]
        assert "Salir" in footer and "Ayuda" in footer
        assert "Quit" not in footer and "Help" not in footer
