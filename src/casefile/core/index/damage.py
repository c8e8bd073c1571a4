"""Reading the index's files: decoding errors become IndexDamaged where they happen.

Whoosh reports a truncated or garbled file with whatever the decoding hit (TypeError,
KeyError, AttributeError...). Every read of the index's files goes through `reading`,
so those errors are damage there and only there; the same errors raised anywhere else
are bugs and propagate (a silent rebuild would hide them behind minutes of indexing).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from casefile.core.engine import IndexDamaged

CORRUPTION = (OSError, EOFError, ValueError, IndexError, KeyError, TypeError, AttributeError,
              AssertionError, MemoryError, ImportError, struct.error, pickle.UnpicklingError, zlib.error)
"""What a truncated or garbled index file raises while it is decoded."""


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Run a read of the index's files; a decoding error in it raises IndexDamaged."""
    try:
        yield
    except CORRUPTION as exc:
        raise IndexDamaged(f"{what}: {type(exc).__name__}: {exc}") from exc
