"""The files one update of the cross-reference takes in, held in memory or spilled to disk.

A full build learns every name before it can look for mentions of them, so it must keep
what it read of every file until the last one is read. Held as Case objects, that took
~30 KB a case in the build's parent (1.5 GB at 50,000 files). Spilled, only the names
are counted in memory; each file's record, body and prepared words wait, compressed,
in a nameless temporary file of the index folder (core/spill.py).
"""

from __future__ import annotations

import marshal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casefile.core.model import Case
from casefile.core.spill import Spill
from casefile.core.xref.record import Prepared, Record, bare_record

Row = tuple[Record, str, "Prepared | None"]
"""(the file's record before its mentions are found, its body, its prepared body or None)."""


class Intake:
    """Files read for one update: their names counted as they come, the rest kept for the scan."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        self.paths: list[str] = []
        self.names: Counter[str] = Counter()
        """How many of these files name each mention key (`Record.names`)."""
        self._held: list[Row] = []
        self._spill = Spill(spill_dir, marshal.dumps, marshal.loads) if spill_dir is not None else None
        """Where the rows wait; None: in `_held`."""

    @classmethod
    def of_cases(cls, cases: list[Case], prepared: dict[str, Prepared] | None = None) -> Intake:
        """An in-memory intake of cases (with the prepared bodies build workers made)."""
        intake = cls()
        for case in cases:
            intake.add_case(case, (prepared or {}).get(case.path))
        return intake

    def add_case(self, case: Case, prepared: Prepared | None = None) -> None:
        """Take in a file just read."""
        self.add(bare_record(case), case.body, prepared)

    def add(self, record: Record, body: str, prepared: Prepared | None) -> None:
        """Take in a file's bare record (`bare_record`), body and prepared body."""
        self.paths.append(record.path)
        self.names.update(record.names())
        if self._spill is None:
            self._held.append((record, body, prepared))
        else:
            self._spill.add((record.to_data(), body, (prepared.blocks, prepared.words) if prepared else None))

    def __len__(self) -> int:
        """Files taken in."""
        return len(self.paths)

    def rows(self) -> Iterator[Row]:
        """Every file taken in, in order (may be read more than once)."""
        if self._spill is None:
            yield from self._held
            return
        row: Any
        for row in self._spill:
            yield Record.from_data(row[0]), row[1], Prepared(*row[2]) if row[2] is not None else None

    def records(self) -> Iterator[Record]:
        """The bare record of every file taken in."""
        return (record for record, _body, _ready in self.rows())

    def close(self) -> None:
        """Let the spilled rows go."""
        if self._spill is not None:
            self._spill.close()
        self._held = []
