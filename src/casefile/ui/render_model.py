"""The reader's rendered form of a case body: plain blocks of text with styled spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from casefile.ui.links import LinkTarget


@dataclass(slots=True)
class Span:
    """A styled range [start, end) of a block's text; `link` indexes `Document.links`."""

    start: int
    end: int
    role: str
    link: int | None = None


@dataclass(slots=True)
class Block:
    """One paragraph, heading, code block, table, rule or blank line, ready to wrap."""

    text: str
    kind: str
    """paragraph, heading, code, table, rule, blank, plain."""
    first_prefix: str = ""
    rest_prefix: str = ""
    spans: list[Span] = field(default_factory=list)
    level: int = 0
    """Heading level (1-6), 0 otherwise."""
    fits: int = 0
    """0: always shown; > 0: only where at least this wide; < 0: only where narrower than -fits."""


@dataclass(frozen=True, slots=True)
class Heading:
    """An outline entry: a heading and the block that holds it."""

    level: int
    title: str
    block: int
    slug: str


@dataclass(slots=True)
class Document:
    """A rendered body: blocks, the links they point into, the outline."""

    blocks: list[Block] = field(default_factory=list)
    links: list[LinkTarget] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
