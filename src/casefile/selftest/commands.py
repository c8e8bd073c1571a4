"""The self-test runs every command as a user would (in this process) and checks its output.

Each command's standard output and error are captured: no escape sequence, control
character or bidi override may be in them, a JSON output must hold no such character
once decoded either, the secret behind a symbolic link must never show, and no command
may crash (exit status 3). Output is checked as written without colour (not a terminal).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from casefile.core.text.sanitize import is_clean
from casefile.selftest.sample import READABLE, SECRET

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Any C0 control but tab and newline, DEL, any C1 control, the bidi overrides and isolates."""
CRASHED = 3


def sample_commands() -> list[list[str]]:
    """Every command, over the hostile sample (paths relative to the case folder)."""
    shows = [[*cmd, f"hostile/{name}", *flag] for name in READABLE
             for cmd, flag in ((["show"], []), (["show"], ["--raw"]), (["show"], ["--json"]))]
    return [
        ["index", "--json"], ["check"], ["check", "--json"],
        ["search", "escapeword"], ["search", "referenceword", "--json"], ["search", "hostile", "--json"],
        *shows, ["show", "hostile/symlink-outside.md"],
        ["xref", "LOOP-A"], ["xref", "LOOP-A", "--json"], ["xref", "HOSTILE-REFS", "--json"],
        ["entities"], ["entities", "--json"], ["entities", "--duplicates"],
        ["graph"], ["graph", "--format", "dot"], ["verify"], ["verify", "--json"],
    ]


def user_commands(some_ids: list[str]) -> list[list[str]]:
    """Commands over the user's folder (read-only ones: the index is in the temporary folder)."""
    return [["check"], ["check", "--json"], ["entities", "--json"], ["graph"], ["verify", "--json"],
            *(["show", key] for key in some_ids), *(["show", key, "--json"] for key in some_ids)]


def run_all(commands: list[list[str]], cases: Path, index_dir: Path, *, sample: bool = True) -> str:
    """Run the commands against `cases` with the index in `index_dir`; fails on any leak or crash.

    `sample`: the folder is the self-test's, with the symbolic link to a secret outside it."""
    bad: list[str] = []
    statuses: dict[int, int] = {}
    for command in commands:
        status, out, err = run_one([*command, "--cases", str(cases), "--index", str(index_dir)])
        statuses[status] = statuses.get(status, 0) + 1
        bad += [f"{_name(command)}: {why}" for why in leaks(out + err, command)]
        if status == CRASHED:
            bad.append(f"{_name(command)}: crashed")
    assert not bad, f"{len(bad)} failure(s): " + "; ".join(bad[:4])
    codes = ", ".join(f"{count}x exit {status}" for status, count in sorted(statuses.items()))
    shown = ", the file behind the symbolic link out of the folder never shown" if sample else ""
    return f"{len(commands)} command runs ({codes}): no control character or bidi override, no crash{shown}"


def run_one(argv: list[str]) -> tuple[int, str, str]:
    """Run `casefile ARGV` here; its exit status and what it wrote on stdout and stderr."""
    from casefile.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse
            status = exit_.code if isinstance(exit_.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def leaks(text: str, command: list[str]) -> list[str]:
    """What is wrong with a command's output."""
    found = [f"{ch!r} in output" for ch in sorted(set(FORBIDDEN.findall(text)))[:3]]
    if SECRET in text:
        found.append("the secret behind a symbolic link was shown")
    if "--json" in command or ("--format" not in command and command[0] == "graph"):
        found += [f"{s[:20]!r} in JSON" for s in _json_strings(text) if not is_clean(s)][:3]
    return found


def _json_strings(text: str) -> Iterator[str]:
    """Every string (keys too) of a JSON output; nothing when it is not JSON."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value


def _name(command: list[str]) -> str:
    """A short name of a command for the report."""
    return " ".join(command[:3])
