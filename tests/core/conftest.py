"""Fixtures shared by the core tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.core.archive.facade import Archive

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


@pytest.fixture(scope="module")
def archive() -> Iterator[Archive]:
    """The small bilingual fixture folder indexed in memory once for the module."""
    opened = Archive.open(BILINGUAL, None)
    opened.refresh()
    yield opened
    opened.close()
