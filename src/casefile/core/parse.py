"""Text of one Markdown file -> a Case (or entity page) plus the problems found in it.

Bodies are scanned line by line rather than with a full markdown-it parse: the
scanner only needs to know which lines are fenced code and where inline code spans
are (hashtags and wiki-links there do not count), and it is many times faster on
50,000 files. Rendering, where the whole CommonMark grammar matters, uses
markdown-it-py in the reader.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from casefile.core import frontmatter
from casefile.core.confine import leaves_folder, wiki_target_leaves
from casefile.core.model import Case, Link, Problem, Severity, Source
from casefile.core.sanitize import clean, clean_line, first_unsafe

MAX_LINKS_PER_FILE = 5000
MAX_TAGS_PER_FILE = 1000
MAX_TITLE_CHARS = 300
MAX_NAME_CHARS = 300
"""Longer wiki-link targets and hashtags are not links or tags (bounded work per line)."""
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]{1,%d})(?:\|([^\[\]\n]{0,%d}))?\]\]" % (MAX_NAME_CHARS, MAX_NAME_CHARS))
_MARKDOWN_HREF = re.compile(r"\]\(\s*<?([^\s)>]{1,2000})|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]{0,2000})>")
_HASHTAG = re.compile(r"(?<![\w&/#:.@\-])#(\w[\w\-]{0,%d})(?![\w\-])" % MAX_NAME_CHARS)
# Linear on any line: the closing `#`s are stripped in Python (a regex with a lazy
# title and optional closer was quadratic on a heading full of spaces).
_HEADING = re.compile(r"^ {0,3}#[ \t]+(.*)$")
_LANG = re.compile(r"^[a-z]{2}$")


@dataclass(slots=True)
class _Collector:
    """Problems of one file, each located and sanitized."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, code: str, message: str, severity: Severity = "error") -> None:
        """Record one problem."""
        self.problems.append(Problem(clean_line(self.path), line, code, clean_line(message), severity))


def parse_case(text: str, path: str) -> tuple[Case, list[Problem]]:
    """Parse the text of the file at `path` (relative, `/` separated) into a Case."""
    found = _Collector(path)
    if (unsafe := first_unsafe(text)) is not None:
        found.add(text.count("\n", 0, unsafe) + 1, "control-characters",
                  "terminal control characters or bidi overrides; shown as \ufffd", "warning")
    split = frontmatter.split(text)
    meta: dict[str, Any] = {}
    if split.yaml_text is not None:
        try:
            meta = frontmatter.load(split.yaml_text)
        except frontmatter.FrontMatterError as exc:
            found.add(exc.line + 1, "front-matter-invalid", str(exc))
    elif split.too_long:
        found.add(1, "front-matter-invalid", f"no closing '---' within {frontmatter.MAX_FRONT_MATTER_CHARS:,} "
                  "characters; the whole file is read as text", "warning")
    fields = _Fields(meta, split.yaml_text or "", found)
    body = clean(split.body)  # safe for every reader; line numbers are unchanged
    scan = scan_body(body, split.body_line)
    if len(scan.links) > MAX_LINKS_PER_FILE:
        found.add(scan.links[MAX_LINKS_PER_FILE].line, "too-many-links",
                  f"more than {MAX_LINKS_PER_FILE} wiki-links; the rest are ignored", "warning")
    _report_outside_links(scan, path, found)
    entity_type = fields.string("type")
    stem = PurePosixPath(path).name.removesuffix(".md")
    title = (fields.string("name") if entity_type else None) or fields.string("title")
    case = Case(
        id=fields.string("id") or clean_line(path.removesuffix(".md")),
        path=path,
        title=_shorten(clean_line(title or scan.heading or stem).strip() or clean_line(stem)),
        body=body,
        body_line=split.body_line,
        kind="entity" if entity_type else "case",
        date=fields.date(),
        status=fields.string("status"),
        tags=tuple(_unique(fields.string_list("tags") + scan.hashtags)[:MAX_TAGS_PER_FILE]),
        lang=fields.lang(),
        entities=fields.entities(),
        sources=fields.sources(),
        links=tuple(scan.links[:MAX_LINKS_PER_FILE]),
        entity_type=entity_type,
        aliases=tuple(_unique(fields.string_list("aliases"))),
    )
    return case, found.problems


def _shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _report_outside_links(scan: BodyScan, path: str, found: _Collector) -> None:
    """One warning per file for links that point outside the case folder."""
    outside = [(line, href) for line, href in scan.hrefs if leaves_folder(href, path)]
    outside += [(link.line, link.target) for link in scan.links if wiki_target_leaves(link.target)]
    if outside:
        line, href = min(outside)
        found.add(line, "link-outside",
                  f"{len(outside)} link(s) point outside the case folder and are never followed "
                  f"(first: {_shorten(clean_line(href), 80)})", "warning")


def _unique(items: list[str]) -> list[str]:
    """Items without repeats (compared case-insensitively), first spelling kept."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@dataclass(slots=True)
class BodyScan:
    """What the body scanner found outside code."""

    heading: str | None = None
    hashtags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    hrefs: list[tuple[int, str]] = field(default_factory=list)
    """Markdown link destinations and autolinks, with their lines."""


def scan_body(body: str, first_line: int = 1) -> BodyScan:
    """Find the first `# ` heading, hashtags and wiki-links outside code."""
    scan = BodyScan()
    for number, line in _prose_lines(body, first_line):
        heading = _HEADING.match(line)
        if heading and scan.heading is None:
            scan.heading = _heading_text(heading.group(1))
        elif heading:
            pass  # later headings: their `#`s are not hashtags
        elif "#" in line:  # `#word` at a line start is a hashtag: a heading needs `# `
            scan.hashtags.extend(m.group(1) for m in _HASHTAG.finditer(line)
                                 if not m.group(1).replace("-", "").isdigit())
        if "[[" in line:
            for match in _WIKI_LINK.finditer(line):
                target = " ".join(match.group(1).split())
                label = match.group(2).strip() if match.group(2) is not None else None
                if target:
                    scan.links.append(Link(target, label or None, number))
        if "](" in line or "<" in line:
            scan.hrefs.extend((number, m.group(1) or m.group(2)) for m in _MARKDOWN_HREF.finditer(line))
    return scan


def _heading_text(raw: str) -> str | None:
    """An ATX heading's text without its closing `#` sequence; None when empty."""
    text = raw.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    return text.strip() or None


def strip_inline_code(line: str) -> str:
    """`line` with each inline code span replaced by a space (linear, CommonMark pairing).

    A span opens at a run of N backticks and closes at the next run of exactly N.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    next_same: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        next_same[i], latest[length] = latest.get(length), i
    parts, pos, i = [], 0, 0
    while i < len(runs):
        closer = next_same[i]
        if closer is None:
            i += 1
            continue
        parts += [line[pos:runs[i][0]], " "]
        pos, i = runs[closer][1], closer + 1
    parts.append(line[pos:])
    return "".join(parts)


def _prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines outside fenced code, inline code removed."""
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        opener = _FENCE_OPEN.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip()[len(opener.group(1)):].strip():
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        if "`" in line:
            line = strip_inline_code(line)
        yield first_line + offset, line


class _Fields:
    """Typed access to front matter values; a wrong type is a located problem."""

    def __init__(self, meta: dict[str, Any], yaml_text: str, found: _Collector) -> None:
        self.meta = meta
        self.yaml_lines = yaml_text.split("\n")
        self.found = found

    def line_of(self, key: str) -> int:
        """1-based file line of a top-level key (the fence is line 1)."""
        prefix = f"{key}:"
        for number, line in enumerate(self.yaml_lines, start=2):
            if line.startswith(prefix):
                return number
        return 1

    def wrong(self, key: str, expected: str, severity: Severity = "warning") -> None:
        """Report a value of the wrong type."""
        got = type(self.meta.get(key)).__name__
        self.found.add(self.line_of(key), "field-invalid",
                       f"'{key}' should be {expected}, not {got}; it is ignored", severity)

    def string(self, key: str) -> str | None:
        """A scalar value as a non-empty string, or None."""
        value = self.meta.get(key)
        if value is None:
            return None
        text = scalar_text(value)
        if text is None:
            self.wrong(key, "text")
            return None
        return clean_line(text).strip() or None

    def string_list(self, key: str) -> list[str]:
        """A list of scalars; a single string counts as a comma-separated list."""
        value = self.meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            self.found.add(self.line_of(key), "field-invalid",
                           f"'{key}' should be a list ([a, b]); read as comma-separated text", "warning")
            return [clean_line(part).strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            self.wrong(key, "a list")
            return []
        texts = [scalar_text(item) for item in value]
        items = [clean_line(text).strip() for text in texts if text is not None]
        if len(items) != len(value):
            self.found.add(self.line_of(key), "field-invalid",
                           f"'{key}' has entries that are not text; they are ignored", "warning")
        return [item for item in items if item]

    def date(self) -> str | None:
        """The date as written, when it is YYYY, YYYY-MM or YYYY-MM-DD and a real date."""
        value = self.meta.get("date")
        if value is None:
            return None
        text = (scalar_text(value) or "").strip() if not isinstance(value, float) else ""
        if not valid_date(text):
            shown = text or type(value).__name__
            self.found.add(self.line_of("date"), "date-invalid",
                           f"date '{clean_line(shown)[:40]}' is not YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        return text

    def lang(self) -> str:
        """ISO 639-1 language code, default `en`."""
        value = self.string("lang")
        if value is None:
            return "en"
        code = value.lower()
        if not _LANG.match(code):
            self.found.add(self.line_of("lang"), "field-invalid",
                           f"lang '{value[:20]}' is not a two-letter ISO 639-1 code; using en", "warning")
            return "en"
        return code

    def entities(self) -> tuple[tuple[str, str], ...]:
        """Typed entity lists as (type, name) pairs."""
        value = self.meta.get("entities")
        if value is None:
            return ()
        if isinstance(value, list):
            self.wrong("entities", "a mapping of type to names (person: [...])")
            return ()
        if not isinstance(value, dict):
            self.wrong("entities", "a mapping of type to names")
            return ()
        pairs = []
        for kind, names in value.items():
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list):
                self.wrong("entities", "a mapping of type to lists of names")
                continue
            kind_text = clean_line(scalar_text(kind) or "").strip().lower() or "unknown"
            texts = (scalar_text(name) for name in names if not isinstance(name, float))
            pairs.extend((kind_text, clean_line(text).strip()) for text in texts
                         if text is not None and text.strip())
        return tuple(pairs)

    def sources(self) -> tuple[Source, ...]:
        """The `sources:` list; an entry may be a mapping or a bare title or URL."""
        value = self.meta.get("sources")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.wrong("sources", "a list")
            return ()
        found = []
        for item in value:
            if isinstance(item, str):
                is_url = item.startswith(("http://", "https://"))
                found.append(Source(clean_line(item), clean_line(item) if is_url else None))
            elif isinstance(item, dict):
                title, url, date = (scalar_text(item.get(k)) for k in ("title", "url", "date"))
                found.append(Source(clean_line(title or url or "untitled"),
                                    clean_line(url) if url else None,
                                    clean_line(date) if date is not None else None))
        return tuple(found)


def scalar_text(value: Any) -> str | None:
    """A YAML scalar as text; None for lists, mappings, booleans and absurd numbers.

    Integers past ~4,000 digits are refused: `str()` of them raises ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    if isinstance(value, int) and value.bit_length() > 4000:
        return None
    return str(value)


def valid_date(text: str) -> bool:
    """True for `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a real calendar date."""
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        return 1 <= day <= calendar.monthrange(year or 1, month or 1)[1]
    return True
