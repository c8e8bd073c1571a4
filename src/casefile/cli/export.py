"""`casefile export --format ftm|csv|json`: hand the archive to Aleph or a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from casefile.cli.common import open_archive
from casefile.cli.output import emit
from casefile.config import Config
from casefile.core.model import CasefileError, Problem
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, counted

if TYPE_CHECKING:
    from casefile.core.export import Export

FORMATS = ("ftm", "csv", "json")


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `export` command."""
    parser = subparsers.add_parser(
        "export", parents=[parent], help=_("export cases, entities and links as FtM, CSV or JSON"),
        description=_("Export the archive (or the cases --query finds, with the entities they touch) as "
                      "FollowTheMoney entities (JSON lines, for Aleph), three CSV files, or one JSON document. "
                      "Files with errors (see `casefile check`) are left out and listed on stderr."),
    )
    parser.add_argument("--format", choices=FORMATS, required=True, help=_("ftm, csv or json"))
    parser.add_argument("--out", metavar="PATH",
                        help=_("file to create (default: stdout); for csv, a folder (required)"))
    parser.add_argument("--query", metavar="QUERY", help=_("export only the cases this search finds"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace an existing file, or write in a folder casefile did not make"))


def run(args: argparse.Namespace, config: Config) -> int:
    """Export; 2 when the output is refused or the ftm extra is missing."""
    if args.format == "csv" and not args.out:
        raise CasefileError(_("--format csv needs --out DIR (a new or empty folder)"))
    if args.format == "ftm":
        from casefile.core.export.ftm import library

        library()  # before any work: say at once what to install
    from casefile.core.export import collect

    with open_archive(config) as archive:
        export = collect(archive, args.query)
    report_skipped(export.skipped)
    if export.notice:
        sys.stderr.write(f"casefile: {clean_line(export.notice)}\n")
    if args.format == "csv":
        from casefile.core.export.tables import write_csv

        for path in write_csv(export, Path(args.out), config.cases_dir, force=args.force):
            emit(_("wrote {path}").format(path=path), sys.stderr)
        return 0
    if args.out:
        from casefile.core.export.files import new_file

        with new_file(Path(args.out), config.cases_dir, force=args.force) as stream:
            write(args.format, export, stream)
        emit(_("wrote {path}").format(path=args.out), sys.stderr)
    else:
        write(args.format, export, sys.stdout)
    return 0


def write(fmt: str, export: Export, stream: TextIO) -> None:
    """Write the export in `fmt` (ftm or json) to `stream`."""
    if fmt == "ftm":
        from casefile.core.export.ftm import write_ftm

        write_ftm(export, stream)
    else:
        from casefile.core.export.document import write_json

        write_json(export, stream)


def report_skipped(problems: tuple[Problem, ...]) -> None:
    """Name each file left out, with its problem, as `casefile check` does."""
    from casefile.cli.check import format_problem

    for problem in problems:
        sys.stderr.write(clean_line("casefile: " + _("skipped {problem}").format(problem=format_problem(problem)))
                         + "\n")
    files = len({problem.path for problem in problems})
    if files:
        sys.stderr.write("casefile: " + counted(files, "{n} file with errors was not exported (see `casefile check`)",
                                                "{n} files with errors were not exported (see `casefile check`)")
                         + "\n")
