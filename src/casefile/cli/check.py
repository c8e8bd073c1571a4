"""`casefile check`: report every problem of the case folder; exit 1 on errors."""

from __future__ import annotations

import argparse
from typing import Any

from casefile.cli.common import open_archive
from casefile.cli.output import emit, emit_json
from casefile.config import Config
from casefile.core.model import Problem
from casefile.core.wording import _, counted


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `check` command."""
    parser = subparsers.add_parser(
        "check", parents=[parent], help=_("report problems in the case folder"),
        description=_("Report every problem found in the case folder. Exit status 1 when there are errors."),
    )
    parser.add_argument("--json", action="store_true", help=_("print {errors: [...], warnings: [...]} as JSON"))


def as_record(problem: Problem) -> dict[str, Any]:
    """The JSON record of one problem."""
    return {"path": problem.path, "line": problem.line, "code": problem.code, "message": problem.message}


def format_problem(problem: Problem) -> str:
    """`path:line: severity [code] message`, the compiler-style line editors understand
    (the severity and message in the user's language; the code stays the same)."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    severity = _("error") if problem.severity == "error" else _("warning")
    return f"{where}: {severity} [{problem.code}] {problem.localized}"


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the problems; 1 when any is an error."""
    with open_archive(config) as archive:
        problems = archive.problems()
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if args.json:
        emit_json({"errors": [as_record(p) for p in errors],
                   "warnings": [as_record(p) for p in warnings]})
    else:
        for problem in problems:
            emit(format_problem(problem))
        emit(_("{errors}, {warnings} in {folder}").format(
            errors=counted(len(errors), "{n} error", "{n} errors"),
            warnings=counted(len(warnings), "{n} warning", "{n} warnings"), folder=config.cases_dir))
    return 1 if errors else 0
