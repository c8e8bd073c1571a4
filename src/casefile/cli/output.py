"""Safe output for commands: every string passes the sanitizer before it is written."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from casefile.core.text.sanitize import clean, clean_line
from casefile.core.wording import _


def safe_data(value: Any) -> Any:
    """A copy of JSON-able data with every string sanitized (keys included)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean_line(str(k)): safe_data(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return [safe_data(v) for v in value]
    return value


def emit_json(value: Any, stream: TextIO | None = None) -> None:
    """Write `value` as indented JSON, sanitized, with real (non-escaped) accents."""
    stream = stream or sys.stdout
    stream.write(json.dumps(safe_data(value), ensure_ascii=False, indent=2) + "\n")


def emit(text: str = "", stream: TextIO | None = None) -> None:
    """Write one sanitized line (or block) of text."""
    (stream or sys.stdout).write(clean(text) + "\n")


class TrimmedLines(io.TextIOBase):
    """A text stream that drops the spaces ending each line (Rich pads lines to its width,
    which a pipe or a file keeps as trailing blanks)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._partial = ""

    def write(self, text: str) -> int:
        """Pass on every finished line without its trailing spaces."""
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self.stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        """Pass on an unfinished line as it is, then flush."""
        if self._partial:
            self.stream.write(self._partial)
            self._partial = ""
        self.stream.flush()


def wants_color(stream: TextIO, color_allowed: bool) -> bool:
    """Color only on a terminal and when NO_COLOR is not set."""
    return color_allowed and hasattr(stream, "isatty") and stream.isatty()


def report_error(message: str) -> int:
    """Print a user-facing error on stderr; exit status 2."""
    sys.stderr.write(f"casefile: {clean_line(message)}\n")
    return 2


def report_crash(exc: BaseException) -> int:
    """A short message for an unexpected failure: no traceback, locals or file contents."""
    message = _("internal error ({error}). Run again with --debug for the full traceback.")
    sys.stderr.write("casefile: " + message.format(error=type(exc).__name__) + "\n")
    return 3
