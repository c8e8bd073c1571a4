"""Plain, frozen records that cross from the core to the command line and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casefile.core.text.sanitize import clean_line
from casefile.core.text.spans import Span
from casefile.core.wording import _, number

Severity = Literal["error", "warning"]
Kind = Literal["case", "entity"]


class CasefileError(Exception):
    """A real failure (not a problem in one file), reported once at the edge."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in one file of the case folder; data, never an exception."""

    path: str
    """Path relative to the case folder, with `/` separators."""
    line: int | None
    """1-based line in the file, or None when the whole file is concerned."""
    code: str
    """Stable code such as `front-matter-invalid` or `dangling-link`."""
    message: str
    """Human message in English (the source language; --json shows it), already sanitized."""
    severity: Severity = "error"
    template: str = ""
    """`message` with `{name}` placeholders (the catalog's msgid); "" when `message` has no data."""
    params: tuple[tuple[str, str | int], ...] = ()
    """The sanitized values filled into `template` (ints are written for the language)."""

    @property
    def localized(self) -> str:
        """The message in the user's language, translated when shown (the index keeps English)."""
        if not self.template:
            return _(self.message)
        try:
            return _(self.template).format(**{k: number(v) if isinstance(v, int) else v
                                              for k, v in self.params})
        except (KeyError, IndexError, ValueError):  # a broken translation never hides the problem
            return self.message


def problem(path: str, line: int | None, code: str, template: str, /,
            severity: Severity = "error", **params: object) -> Problem:
    """A Problem whose message is `template` filled with `params` (kept for translation)."""
    values = tuple((name, value if type(value) is int else clean_line(str(value)))
                   for name, value in params.items())
    message = template.format(**{k: f"{v:,}" if isinstance(v, int) else v for k, v in values}) \
        if values else template
    return Problem(clean_line(path), line, code, clean_line(message), severity,
                   template if values else "", values)


@dataclass(frozen=True, slots=True)
class Link:
    """A link in a file's body: `[[target#anchor|label]]`, an embed `![[...]]`, or a
    Markdown link to a file of the folder (core/text/wikilinks.py reads them all)."""

    target: str
    """The name or path as written; "" for a link to a heading of the same note."""
    label: str | None
    line: int
    """1-based line in the whole file (front matter included)."""
    anchor: str | None = None
    """`Heading` (of `#Heading`) or `^blockid` (of `#^blockid`), or None."""
    embed: bool = False
    """True for `![[...]]` and `![alt](path)`."""
    markdown: bool = False
    """True for `[text](path)`: `target` is a path relative to the linking file."""


@dataclass(frozen=True, slots=True)
class Source:
    """One entry of a case's `sources:` list."""

    title: str
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One Markdown file of the folder: a case, or an entity page when `kind` is "entity"."""

    id: str
    """Front matter `id`, else the relative path without `.md`."""
    path: str
    """Path relative to the case folder, `/` separated."""
    title: str
    """Front matter `title` (or `name` on entity pages), first `# ` heading, else file name."""
    body: str
    """Markdown after the front matter."""
    body_line: int = 1
    """1-based line of the file on which `body` starts."""
    kind: Kind = "case"
    date: str | None = None
    """As written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; None when absent or invalid."""
    status: str | None = None
    tags: tuple[str, ...] = ()
    """Front matter tags then body hashtags, without `#`, de-duplicated, in order."""
    lang: str = "en"
    """Front matter `lang`, else detected from the text (en or es), else en."""
    lang_detected: bool = False
    """True when `lang` was detected, not declared."""
    entities: tuple[tuple[str, str], ...] = ()
    """Listed entities as (type, name) pairs, in front matter order."""
    sources: tuple[Source, ...] = ()
    links: tuple[Link, ...] = ()
    entity_type: str | None = None
    """On entity pages: the front matter `type`."""
    aliases: tuple[str, ...] = ()
    """Other names of the note (entity pages, and any note's front matter `aliases`)."""
    block_ids: tuple[tuple[str, int], ...] = ()
    """(`blockid`, line) of each paragraph ending in ` ^blockid` (the marker is not in `body`)."""
    sha256: str = ""
    """Hex digest of the file's bytes."""
    size: int = 0
    mtime_ns: int = 0

    @property
    def is_entity(self) -> bool:
        """True for entity pages."""
        return self.kind == "entity"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result, copied out of the index as plain data."""

    id: str
    title: str
    path: str
    kind: Kind
    date: str | None
    tags: tuple[str, ...]
    score: float
    snippet: str
    """Plain text around the matches, no terminal codes."""
    spans: tuple[Span, ...] = ()
    """Where the matched terms are in `snippet`."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query: hits (maybe limited), the total, facets and notes."""

    query: str
    total: int
    hits: tuple[SearchHit, ...]
    tag_counts: tuple[tuple[str, int], ...] = ()
    """Tag facets over the whole result set, most frequent first."""
    notice: str | None = None
    """A message for the user: a parse fallback, an unknown field."""


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """What the index needs to know about one entity page: its type and every name
    (a plain record here, so the no-change check imports no analysis)."""

    type: str
    names: tuple[str, ...]
