"""`casefile --selftest`: prove on this machine what casefile promises, on hostile input.

The command (cli/selftest.py) makes an owner-only temporary folder, starts a checking
process (child.py) under kernel network and write guards and an audit hook (guards.py), which
writes the bundled and hostile samples there (sample.py), builds the on-disk index
with worker processes, searches, runs every command and the reader headless
(checks.py, commands.py, reader.py); then the command compares the user's folder
with its snapshot (snapshot.py) and removes the temporary folder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

OUTCOMES = "outcomes.jsonl"
"""The checking process's results, one JSON object a line, in the temporary folder."""


@dataclass(frozen=True)
class Outcome:
    """One line of the self-test's table."""

    name: str
    status: str
    """PASS, FAIL or SKIP (a check this machine cannot run; it does not fail the self-test)."""
    detail: str


def record(root: Path, outcome: Outcome) -> None:
    """Append one outcome to the results file (written as it goes: a crash keeps the rest)."""
    with open(root / OUTCOMES, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(outcome)) + "\n")


def recorded(root: Path) -> list[Outcome]:
    """The outcomes the checking process wrote (none when it wrote nothing)."""
    try:
        lines = (root / OUTCOMES).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [Outcome(**json.loads(line)) for line in lines if line.strip()]
