"""Text of one Markdown file -> a Case (or entity page) plus the problems found in it.

Bodies are scanned line by line rather than with a full markdown-it parse: the
scanner only needs to know which lines are fenced code and where inline code spans
are (hashtags and wiki-links there do not count), and it is many times faster on
50,000 files. Rendering, where the whole CommonMark grammar matters, uses
markdown-it-py in the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from casefile.core import frontmatter, language
from casefile.core.confine import leaves_folder, wiki_target_leaves
from casefile.core.fields import Collector, Fields, valid_date
from casefile.core.model import Case, Link, Problem
from casefile.core.names import normalize_name, without_invisible
from casefile.core.sanitize import clean, clean_line, first_unsafe, has_invisible, show_invisible
from casefile.core.wording import N_
from casefile.core.xref_model import MAX_COOCCURRING

MAX_LINKS_PER_FILE = 5000
MAX_TAGS_PER_FILE = 1000
MAX_TITLE_CHARS = 300
MAX_NAME_CHARS = 300
"""Longer wiki-link targets and hashtags are not links or tags (bounded work per line)."""
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]{1,%d})(?:\|([^\[\]\n]{0,%d}))?\]\]" % (MAX_NAME_CHARS, MAX_NAME_CHARS))
_MARKDOWN_HREF = re.compile(r"\]\(\s*<?([^\s)>]{1,2000})|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]{0,2000})>")
_HASHTAG = re.compile(r"(?<![\w&/#:.@\-])#(\w[\w\-]{0,%d})(?![\w\-])" % MAX_NAME_CHARS)
# Linear on any line: the closing `#`s are stripped in Python (a regex with a lazy
# title and optional closer was quadratic on a heading full of spaces).
_HEADING = re.compile(r"^ {0,3}#[ \t]+(.*)$")
_INVISIBLE = {
    "file name": N_("zero-width characters, bidi marks or line separators in the file name '{name}'; "
                    "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
    "id": N_("zero-width characters, bidi marks or line separators in the id '{name}'; "
             "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
    "title": N_("zero-width characters, bidi marks or line separators in the title '{name}'; "
                "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
    "entity": N_("zero-width characters, bidi marks or line separators in the entity '{name}'; "
                 "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
    "alias": N_("zero-width characters, bidi marks or line separators in the alias '{name}'; "
                "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
    "link": N_("zero-width characters, bidi marks or line separators in the link '{name}'; "
               "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared"),
}
"""The warning for invisible characters in one name, by what the name is."""
_INVISIBLE_MANY = N_("zero-width characters, bidi marks or line separators in {count} names (first: '{name}'); "
                     "shown as marks like \u27e8ZWSP\u27e9 and ignored when names and ids are compared")
_READS_SPANISH = N_("lang is '{lang}' but the text reads as Spanish ({english} English and {spanish} "
                    "Spanish function words)")
_READS_ENGLISH = N_("lang is '{lang}' but the text reads as English ({english} English and {spanish} "
                    "Spanish function words)")


def parse_case(text: str, path: str) -> tuple[Case, list[Problem]]:
    """Parse the text of the file at `path` (relative, `/` separated) into a Case."""
    found = Collector(path)
    if (unsafe := first_unsafe(text)) is not None:
        found.report(text.count("\n", 0, unsafe) + 1, "control-characters",
                     "terminal control characters or bidi overrides; shown as \ufffd", "warning")
    split = frontmatter.split(text)
    meta: dict[str, Any] = {}
    if split.yaml_text is not None:
        try:
            meta = frontmatter.load(split.yaml_text)
        except frontmatter.FrontMatterError as exc:
            found.report(exc.line + 1, "front-matter-invalid", exc.template, **exc.params)
    elif split.too_long:
        found.report(1, "front-matter-invalid", "no closing '---' within {limit} characters; the whole "
                     "file is read as text", "warning", limit=frontmatter.MAX_FRONT_MATTER_CHARS)
    elif split.unclosed:
        found.report(1, "front-matter-unclosed", "front matter opened with '---' is never closed; "
                     "the whole file is read as plain Markdown", "warning")
    fields = Fields(meta, split.yaml_text or "", found)
    if unsafe is None:  # escapes written in YAML (`"\e[31m"`) are invisible in the file
        fields.report_unsafe_values()
    body = clean(split.body)  # safe for every reader; line numbers are unchanged
    scan = scan_body(body, split.body_line)
    if len(scan.links) > MAX_LINKS_PER_FILE:
        found.report(scan.links[MAX_LINKS_PER_FILE].line, "too-many-links",
                     "more than {limit} wiki-links; the rest are ignored", "warning", limit=MAX_LINKS_PER_FILE)
    _report_outside_links(scan, path, found)
    declared = fields.lang()
    lang = _language(declared, body, fields, found)
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
        lang=lang or "en",
        lang_detected=lang is not None and declared is None,
        entities=fields.entities(),
        sources=fields.sources(),
        links=tuple(scan.links[:MAX_LINKS_PER_FILE]),
        entity_type=entity_type,
        aliases=tuple(_unique(fields.string_list("aliases"))),
    )
    title_key = "name" if entity_type and meta.get("name") is not None else "title"
    title_line = fields.line_of(title_key) if title else scan.heading_line if scan.heading else None
    case = _show_invisible(case, fields, title_line, found)
    _report_many_entities(case, found)
    return case, found.problems


def _show_invisible(case: Case, fields: Fields, title_line: int | None, found: Collector) -> Case:
    """Names with invisible characters shown (`⟨ZWSP⟩`), ids without them, and one warning.

    `Citizen\u200bLab` looks like `CitizenLab`: shown, it no longer passes for it, and
    names and ids are compared without such characters (names.without_invisible).
    """
    places = _invisible_places(case, fields, title_line)
    if not places:
        return case
    line, what, raw = min(places, key=lambda place: place[0] or 0)
    lines = [place[0] for place in places if place[0] is not None]
    template = _INVISIBLE[what] if len(places) == 1 else _INVISIBLE_MANY
    found.report(min(lines) if lines else None, "invisible-characters", template, "warning",
                 count=len(places), name=_shorten(show_invisible(raw), 80))
    ident = without_invisible(case.id).strip() or without_invisible(clean_line(case.path.removesuffix(".md")))
    return replace(
        case, id=ident, title=show_invisible(case.title),
        tags=tuple(without_invisible(tag) for tag in case.tags),
        entities=tuple((kind, show_invisible(name)) for kind, name in case.entities),
        aliases=tuple(map(show_invisible, case.aliases)),
        links=tuple(replace(link, target=show_invisible(link.target)) for link in case.links))


def _invisible_places(case: Case, fields: Fields, title_line: int | None) -> list[tuple[int | None, str, str]]:
    """(line, what, text) of each name, id or title of `case` that holds invisible characters."""
    places = [(None, "file name", case.path)] if has_invisible(case.path) else []
    if has_invisible(case.id) and "id" in fields.meta:
        places.append((fields.line_of("id"), "id", case.id))
    if has_invisible(case.title) and (title_line is not None or not places):
        places.append((title_line, "title", case.title))
    named = [(fields.line_of("entities"), "entity", name) for _kind, name in case.entities]
    named += [(fields.line_of("aliases"), "alias", alias) for alias in case.aliases]
    named += [(link.line, "link", link.target) for link in case.links]
    places += [place for place in named if has_invisible(place[2])]
    return places


def _language(declared: str | None, body: str, fields: Fields, found: Collector) -> str | None:
    """The declared language, else the one the text shows; warn when they clearly differ."""
    guessed = language.guess(body)
    if declared is not None and guessed.contradicts(declared):
        template = _READS_SPANISH if declared == "en" else _READS_ENGLISH
        found.report(fields.line_of("lang"), "lang-mismatch", template, "warning",
                     lang=declared, english=guessed.english, spanish=guessed.spanish)
    return declared or guessed.lang


def _shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _report_many_entities(case: Case, found: Collector) -> None:
    """A warning when a file names more entities than co-occurrence counts (bounded work per file)."""
    names = dict.fromkeys(normalize_name(name) for _kind, name in case.entities)
    line: int | None = 1  # listed in the front matter
    for link in case.links:
        if len(names) > MAX_COOCCURRING:
            break
        names.setdefault(normalize_name(link.target))
        line = link.line
    if len(names) > MAX_COOCCURRING:
        found.report(line, "too-many-entities", "more than {limit} entities listed or linked; "
                     "co-occurrence (graph, xref) counts the first {limit}", "warning", limit=MAX_COOCCURRING)


def _report_outside_links(scan: BodyScan, path: str, found: Collector) -> None:
    """One warning per file for links that point outside the case folder."""
    outside = [(line, href) for line, href in scan.hrefs if leaves_folder(href, path)]
    outside += [(link.line, link.target) for link in scan.links if wiki_target_leaves(link.target)]
    if outside:
        line, href = min(outside)
        found.report(line, "link-outside", "links that point outside the case folder are never "
                     "followed: {count} (first: {href})", "warning",
                     count=len(outside), href=_shorten(clean_line(href), 80))


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
    heading_line: int | None = None
    hashtags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    hrefs: list[tuple[int, str]] = field(default_factory=list)
    """Markdown link destinations and autolinks, with their lines."""


def scan_body(body: str, first_line: int = 1) -> BodyScan:
    """Find the first `# ` heading, hashtags and wiki-links outside code."""
    scan = BodyScan()
    for number, line in prose_lines(body, first_line):
        heading = _HEADING.match(line)
        if heading and scan.heading is None:
            scan.heading, scan.heading_line = _heading_text(heading.group(1)), number
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


def prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
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


__all__ = ["BodyScan", "parse_case", "scan_body", "strip_inline_code", "valid_date"]
