"""A matched range of text, as character offsets: what a highlight marks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A matched range in a snippet, as character offsets [start, end)."""

    start: int
    end: int
