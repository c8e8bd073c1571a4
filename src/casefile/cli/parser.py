"""argparse in the user's language: the only module that knows argparse's own words.

argparse words its headings, usage prefix and errors in English through the
process-wide gettext domain, which follows the environment only; casefile's language
can also come from `--lang` or the config file. So the parser here titles its groups,
prefixes its usage and words its errors through `casefile.core.wording`. The argparse
names it relies on (`_positionals`, `_optionals`, its error sentences) are pinned by
tests/cli/test_cli_spanish.py, which fails if a Python release changes them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from casefile.core.wording import N_, _

_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<args>.*)"),
     N_("the following arguments are required: {args}")),
    (re.compile(r"unrecognized arguments: (?P<args>.*)"), N_("unrecognized arguments: {args}")),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
     N_("argument {arg}: invalid choice: {value} (choose from {choices})")),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>.*)"),
     N_("argument {arg}: invalid {type} value: {value}")),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), N_("argument {arg}: expected one argument")),
    (re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>.*)"),
     N_("argument {arg}: not allowed with argument {other}")),
)
"""argparse's error sentences (Python 3.11-3.13) and ours for them."""


def error_text(message: str) -> str:
    """An argparse error message in the user's language (as it came when unknown)."""
    for pattern, template in _ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return _(template).format(**found.groupdict())
    return message


class Formatter(argparse.HelpFormatter):
    """argparse's formatter with the usage prefix in the user's language."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:
        """Add the usage line, prefixed "usage: " in the user's language."""
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (headings, -h, errors) are in the user's language."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False  # -h is added below, with its help in the user's language
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help and exit"))

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the user's language; exit status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=error_text(message)) + "\n")
