"""Helpers shared by the safety tests: child-process environments, output checks."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

NONET_DIR = Path(__file__).resolve().parent.parent / "nonet"
# Any C0 control but \t and \n, DEL, any C1 control, and the bidi overrides.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def offline_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """Environment for a child Python process that starts with network sockets blocked."""
    env = dict(os.environ if base is None else base)
    previous = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(NONET_DIR), previous) if p)
    env.update(extra)
    return env


def forbidden_in(text: str) -> list[str]:
    """The control characters (as reprs) found in `text`, for a readable assertion."""
    return sorted({repr(ch) for ch in FORBIDDEN.findall(text)})


def forbidden_bytes(data: bytes) -> list[str]:
    """Control bytes in raw output (C1 is checked on the decoded text)."""
    return sorted({repr(b) for b in FORBIDDEN_BYTES.findall(data)})


def calls(function: Callable[..., Any], *args: Any) -> int:
    """How many Python and C calls (generator steps) `function(*args)` makes: work counted, not timed."""
    count = 0

    def profile(_frame: Any, _event: str, _arg: Any) -> None:
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than `seconds`.

    A guard against quadratic or worse behaviour on hostile input, not a speed target.
    """

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds} s: unbounded work on hostile input")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
