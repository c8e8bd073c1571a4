"""Fixtures for the reader's pilot tests: a copy of a small case folder, an in-memory app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_helpers import config_for

from casefile.ui.app import CasefileApp, make_app

UI_DATA = Path(__file__).parent.parent / "data" / "ui" / "cases"


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/ui/cases (tests may add or edit files in it)."""
    target = tmp_path / "cases"
    shutil.copytree(UI_DATA, target)
    return target.resolve()


@pytest.fixture
def app(case_dir: Path) -> CasefileApp:
    """The app on the fixture folder, without the folder watch (tests refresh explicitly)."""
    return make_app(config_for(case_dir), live_interval=None)
