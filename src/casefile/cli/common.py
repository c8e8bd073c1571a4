"""Helpers shared by the commands: opening the archive, brought up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from casefile.config import Config

if TYPE_CHECKING:
    from casefile.core.archive import Archive


@contextmanager
def open_archive(config: Config) -> Iterator[Archive]:
    """Open the archive for `config`, bring its index up to date quietly, close it after."""
    from casefile.core.archive import Archive

    archive = Archive.open(config.cases_dir, config.index_dir, config.max_file_bytes)
    try:
        archive.refresh()
        yield archive
    finally:
        archive.close()
