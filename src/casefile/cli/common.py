"""Helpers shared by the commands: opening the archive, brought up to date; reading a case."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from casefile.cli.output import emit
from casefile.config import Config
from casefile.core.archive.lookup import duplicate_notice
from casefile.core.text.sanitize import clean_line

if TYPE_CHECKING:
    from casefile.core.archive.facade import Archive
    from casefile.core.model import Case


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
    from casefile.core.archive.facade import Archive

    show_debug(config)
    archive = Archive.open(config.cases_dir, config.index_dir, config.max_file_bytes)
    try:
        report = archive.refresh()
        if report.notice:
            emit(f"casefile: {report.notice}", sys.stderr)
        yield archive
    finally:
        archive.close()


def warn_duplicates(key: str, paths: list[str]) -> None:
    """Say on stderr that `key` names several files (a duplicate id), and which one is read."""
    notice = duplicate_notice(key, paths)
    if notice:
        sys.stderr.write(f"casefile: {clean_line(notice)}\n")


def read_case(archive: Archive, key: str) -> Case | None:
    """The case `key` (an id or a path) names; the first by path when an id is duplicated."""
    paths = archive.paths_of(key)
    warn_duplicates(key, paths)
    return archive.case(paths[0]) if paths else None
