"""Helpers shared by the commands: opening the archive, brought up to date."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from casefile.cli.output import emit
from casefile.config import Config

if TYPE_CHECKING:
    from casefile.core.archive import Archive


def show_debug(config: Config) -> None:
    """With --debug, casefile's debug messages (a build worker's traceback) go to stderr too."""
    logger = logging.getLogger("casefile")
    if config.debug and not logger.handlers:
        logger.addHandler(logging.StreamHandler(sys.stderr))
        logger.setLevel(logging.DEBUG)


@contextmanager
def open_archive(config: Config) -> Iterator[Archive]:
    """Open the archive for `config`, bring its index up to date, close it after.

    Quietly, unless it could not be brought up to date (another process is writing it):
    then the answer may miss files, and stderr says so.
    """
    from casefile.core.archive import Archive

    show_debug(config)
    archive = Archive.open(config.cases_dir, config.index_dir, config.max_file_bytes)
    try:
        report = archive.refresh()
        if report.notice:
            emit(f"casefile: {report.notice}", sys.stderr)
        yield archive
    finally:
        archive.close()
