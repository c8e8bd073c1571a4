"""A store's name counts on disk: a base file, and in the header the counts changed since.

The counts (how many files name each key, how many mention it) span the whole archive,
tens of thousands of keys; the header is written on every save, so it carries only the
counts changed since the base `COUNTS_FILE` was written, and a new base is written once
more than RECENT_LIMIT keys changed. A base not of the generation the header names (a
crash between the two writes) makes the store invalid, as a shard newer than its header does.
"""

from __future__ import annotations

import marshal
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.core.xref.files import FORMAT, read_marshal, write_atomic

COUNTS_FILE = f"xref-v{FORMAT}.counts.marshal"
RECENT_LIMIT = 4000
"""Changed keys the header carries at most (~100 KB); past it a new base is written."""


class Tally(Counter[str]):
    """A Counter remembering which keys changed since its base was written."""

    def __init__(self, *args: Any) -> None:
        self.changed: set[str] = set()
        super().__init__(*args)
        self.changed = set()

    def __setitem__(self, key: str, value: int) -> None:
        super().__setitem__(key, value)
        self.changed.add(key)

    def __delitem__(self, key: object) -> None:
        super().__delitem__(key)
        self.changed.add(str(key))

    def pop(self, key: str, *default: Any) -> Any:
        self.changed.add(key)
        return super().pop(key, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Counter.update, noting the keys (an empty Counter's update skips __setitem__)."""
        super().update(*_noted(self.changed, args), **kwargs)
        self.changed.update(kwargs)

    def subtract(self, *args: Any, **kwargs: Any) -> None:
        """Counter.subtract, noting the keys."""
        super().subtract(*_noted(self.changed, args), **kwargs)
        self.changed.update(kwargs)


def _noted(changed: set[str], args: tuple[Any, ...]) -> list[Any]:
    """The arguments of update/subtract with any iterator read once, their keys added to `changed`."""
    found = [arg if arg is None or isinstance(arg, Mapping) else list(arg) for arg in args]
    for arg in found:
        changed.update(arg or ())
    return found


def loaded(header: dict[str, Any], directory: Path) -> tuple[Tally, Tally, int | None]:
    """(names, mentioned, base generation) as the header says (raises on malformed data)."""
    if "names" in header:  # a store saved before the counts had a file of their own
        return Tally(header["names"]), Tally(header["mentioned"]), None
    base = read_marshal(directory / COUNTS_FILE)
    if not isinstance(base, dict) or base.get("gen") != header["counts"]:
        raise ValueError("the counts' base is missing, damaged or not the header's")
    names, mentioned = Tally(base["names"]), Tally(base["mentioned"])
    _apply(names, header["names_recent"])
    _apply(mentioned, header["mentioned_recent"])
    names.changed, mentioned.changed = set(header["names_recent"]), set(header["mentioned_recent"])
    return names, mentioned, int(header["counts"])


def _apply(counts: Tally, recent: Mapping[str, int]) -> None:
    """Set the counts changed since the base (0: gone)."""
    for key, count in recent.items():
        if int(count) > 0:
            dict.__setitem__(counts, str(key), int(count))
        else:
            dict.pop(counts, key, None)


def header_fields(directory: Path, names: Tally, mentioned: Tally, base: int | None, generation: int) -> int:
    """Write a new base when there is none or too much changed (its generation: `generation`,
    the header's about to be written); the base generation the header must name."""
    if base is None or len(names.changed) + len(mentioned.changed) > RECENT_LIMIT:
        write_atomic(directory / COUNTS_FILE, marshal.dumps(
            {"gen": generation, "names": dict(+names), "mentioned": dict(+mentioned)}))
        names.changed, mentioned.changed = set(), set()
        return generation
    return base


def recent(counts: Tally) -> dict[str, int]:
    """The counts changed since the base, as the header keeps them (0: gone)."""
    return {key: max(counts.get(key, 0), 0) for key in counts.changed}
