"""Command line: arguments -> Config -> the reader app or a headless command.

Each command lives in its own module of this package with `register(subparsers)`
and `run(args, config) -> int`; heavy imports (Whoosh, Textual) happen inside `run`
so `casefile --help` and the JSON commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from casefile import __version__
from casefile.cli.output import report_crash, report_error
from casefile.cli.parser import Parser
from casefile.config import Config, choose_language, load_config
from casefile.core.model import CasefileError
from casefile.core.wording import LANGUAGES, _, use_language

COMMANDS = ("check", "show", "index", "search", "xref", "entities", "graph", "verify", "export")


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts (and the app)."""
    parent = argparse.ArgumentParser(add_help=False)  # titles merge into each Parser, which words them
    parent.add_argument("--cases", metavar=_("DIR"),
                        help=_("case folder (default: $CASEFILE_DIR, ./cases, or the samples)"))
    parent.add_argument("--index", metavar=_("DIR"), help=_("where to keep the index (default: the user cache folder)"))
    parent.add_argument("--no-disk-index", action="store_true",
                        help=_("keep the index in memory; write nothing to disk"))
    parent.add_argument("--max-file-size", type=int, metavar=_("BYTES"), help=_("skip case files larger than this"))
    parent.add_argument("--lang", choices=LANGUAGES, help=_("language of casefile's words (default: the locale)"))
    parent.add_argument("--debug", action="store_true", help=_("show full tracebacks on internal errors"))
    return parent


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The top-level parser (app) and the parser of the sub-commands."""
    parent = common_options()
    app = Parser(
        prog="casefile", parents=[parent],
        description=_("Read, search and cross-reference a folder of Markdown case files, offline."),
        epilog=_("commands: {commands} (casefile COMMAND --help)").format(commands=", ".join(COMMANDS)),
    )
    app.add_argument("folder", nargs="?", metavar=_("DIR"), help=_("case folder to open in the reader"))
    app.add_argument("--version", action="version", version=f"casefile {__version__}",
                     help=_("show the version and exit"))
    app.add_argument("--selftest", action="store_true", help=_("check that casefile works offline on this machine"))
    commands = Parser(prog="casefile", parents=[parent])
    subparsers = commands.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"casefile.cli.{name}").register(subparsers, parent)
    return app, commands


def config_from(args: argparse.Namespace) -> Config:
    """Config for parsed arguments."""
    return load_config(
        cases=getattr(args, "folder", None) or args.cases,
        index=args.index,
        no_disk_index=args.no_disk_index,
        max_file_size=args.max_file_size,
        debug=args.debug,
        lang=args.lang,
    )


def _language_flag(argv: list[str]) -> str | None:
    """The value of `--lang` in `argv`, if any (read before the full parser exists)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=LANGUAGES)
    try:
        lang: str | None = early.parse_known_args(argv)[0].lang
        return lang
    except SystemExit:  # a wrong --lang: the full parser says so, in the locale's language
        return None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `casefile` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    use_language(choose_language(_language_flag(argv)))  # before the parser: --help is words too
    app_parser, command_parser = build_parser()
    is_command = bool(argv) and argv[0] in COMMANDS
    args = (command_parser if is_command else app_parser).parse_args(argv)
    try:
        config = config_from(args)
        if is_command:
            module = importlib.import_module(f"casefile.cli.{args.command}")
            return int(module.run(args, config))
        if args.selftest:
            from casefile.cli.selftest import run_selftest

            return run_selftest(config)
        from casefile.ui.app import run_app

        return run_app(config)
    except CasefileError as exc:
        return report_error(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `casefile ... | head`: the reader left, which is fine
        _silence_stdout()
        return 141
    except Exception as exc:  # the edge: one short message, details only with --debug
        if args.debug:
            raise
        return report_crash(exc)
