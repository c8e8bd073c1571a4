"""`casefile index [--rebuild]`: bring the search index up to date explicitly."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from casefile.cli.common import show_debug
from casefile.cli.output import emit, emit_json
from casefile.config import Config
from casefile.core.wording import _, counted, decimal, number

WAIT_SECONDS = 600.0
"""How long `index` waits for another casefile process that is indexing the same folder."""


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `index` command."""
    parser = subparsers.add_parser(
        "index", parents=[parent], help=_("update (or --rebuild) the search index"),
        description=_("Bring the search index up to date with the case folder. Every command does "
                      "this by itself; this one shows progress and can start over with --rebuild."),
    )
    parser.add_argument("--rebuild", action="store_true", help=_("throw the index away and build it again"))
    parser.add_argument("--json", action="store_true", help=_("print what was done as JSON"))


class ProgressBar:
    """A one-line progress bar on a terminal (stderr); silent elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar."""
        if total <= 0:
            return
        width = 30
        filled = width * done // total
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {number(done)}/{number(total)}"
        self.stream.write("\r" + _("indexing {bar}").format(bar=bar))
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        """Leave the line."""
        if self.shown:
            self.stream.write("\n")


def run(args: argparse.Namespace, config: Config) -> int:
    """Refresh (or rebuild) the index and say what changed."""
    from casefile.core.archive.facade import Archive

    show_debug(config)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    archive = Archive.open(config.cases_dir, config.index_dir, config.max_file_bytes)
    try:
        report = archive.refresh(bar, rebuild=args.rebuild, wait=WAIT_SECONDS)
        archive.finish_merge()  # a big build's segments, merged: every later search is faster
    finally:
        if bar:
            bar.end()
        archive.close()
    if report.notice:
        sys.stderr.write(f"casefile: {report.notice}\n")
    if args.json:
        emit_json({"added": report.added, "changed": report.changed, "removed": report.removed,
                   "total": report.total, "seconds": round(report.seconds, 3)})
    else:  # on stderr, so a pipe or a redirected stdout still gets the one line
        emit(_("{files}: {added} added, {changed} changed, {removed} removed ({seconds} s)").format(
            files=counted(report.total, "{n} file", "{n} files"), added=number(report.added),
            changed=number(report.changed), removed=number(report.removed), seconds=decimal(report.seconds)),
            sys.stderr)
    return 1 if report.notice else 0
