"""Export of the archive: plain records (records.py) written as CSV, JSON or FollowTheMoney.

`collect(archive, query)` gathers what to export, sanitized, from the archive's catalog,
files and cross-reference; `tables`, `document` and `ftm` each write one format;
`files` creates the output files (new, owner-only, never inside the case folder).
`ftm` is the only module that imports `followthemoney` (an optional extra).
"""

from __future__ import annotations

from casefile.core.export.records import Edge, EntityRow, Export, collect

__all__ = ["Edge", "EntityRow", "Export", "collect"]
