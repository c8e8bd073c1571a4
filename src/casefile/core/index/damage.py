"""Telling a damaged index from a programming error, so only the first triggers a rebuild.

Whoosh reports a truncated or garbled file with whatever the decoding hit (TypeError,
KeyError, AttributeError...). Those generic errors count as damage only when raised
inside Whoosh or casefile's decoders of its files (blocks.py, postings.py); raised
elsewhere in casefile they are bugs and propagate (the CLI shows a short crash line),
where a silent rebuild would hide them behind minutes of indexing.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib

_READERS = (os.path.dirname(__import__("whoosh").__file__) + os.sep,
            *(os.path.join(os.path.dirname(__file__), name) for name in ("blocks.py", "postings.py")))
"""Whoosh, and casefile's own decoders of Whoosh's files (they run inside Whoosh's reads too)."""
_READING = (OSError, EOFError, MemoryError, struct.error, pickle.UnpicklingError, zlib.error)
"""Errors that only reading bytes raises: damage wherever they come from."""


class Damaged(Exception):
    """Index data that casefile's own readers cannot decode."""


def is_damage(exc: BaseException) -> bool:
    """True when `exc` comes from reading a damaged index rather than from a bug."""
    if isinstance(exc, (*_READING, Damaged)):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_filename.startswith(_READERS)
