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
from casefile.core.text.wikilinks import MAX_NAME_CHARS, block_id, find_links, hashtags
from casefile.core.xref_model import MAX_COOCCURRING

MAX_LINKS_PER_FILE = 5000
MAX_TAGS_PER_FILE = 1000
MAX_TITLE_CHARS = 300
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_MARKDOWN_HREF = re.compile(r"\]\(\s*<?([^\s)>]{1,2000})|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]{0,2000})>")
# Linear on any line: the closing `#`s are stripped in Python (a regex with a lazy
# title and optional closer was quadratic on a heading full of spaces).
_HEADING = re.compile(r"^ {0,3}#[ \t]+(.*)$")


def parse_case(text: str, path: str) -> tuple[Case, list[Problem]]:
    """Parse the text of the file at `path` (relative, `/` separated) into a Case."""
    found = Collector(path)
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
    elif split.unclosed:
        found.add(1, "front-matter-unclosed", "front matter opened with '---' is never closed; "
                  "the whole file is read as plain Markdown", "warning")
    fields = Fields(meta, split.yaml_text or "", found)
    if unsafe is None:  # escapes written in YAML (`"\e[31m"`) are invisible in the file
        fields.report_unsafe_values()
    body = clean(split.body)  # safe for every reader; line numbers are unchanged
    scan = scan_body(body, split.body_line, path)
    body = without_block_ids(body, scan.blocks, split.body_line)
    if len(scan.links) > MAX_LINKS_PER_FILE:
        found.add(scan.links[MAX_LINKS_PER_FILE].line, "too-many-links",
                  f"more than {MAX_LINKS_PER_FILE} wiki-links; the rest are ignored", "warning")
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
        tags=tuple(_unique(fields.tag_list() + scan.hashtags)[:MAX_TAGS_PER_FILE]),
        lang=lang or "en",
        lang_detected=lang is not None and declared is None,
        entities=fields.entities(),
        sources=fields.sources(),
        links=tuple(scan.links[:MAX_LINKS_PER_FILE]),
        entity_type=entity_type,
        aliases=tuple(_unique(fields.alias_list())),
        block_ids=tuple((name, number) for name, number, _offset in scan.blocks),
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
    where = f"the {what}" if len(places) == 1 else f"{len(places)} names (first: the {what})"
    found.add(min(lines) if lines else None, "invisible-characters",
              f"zero-width characters, bidi marks or line separators in {where} "
              f"'{_shorten(show_invisible(raw), 80)}'; shown as marks like \u27e8ZWSP\u27e9 and ignored "
              "when names and ids are compared", "warning")
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
        other = "Spanish" if declared == "en" else "English"
        found.add(fields.line_of("lang"), "lang-mismatch", f"lang is '{declared}' but the text reads as {other} "
                  f"({guessed.english} English and {guessed.spanish} Spanish function words)", "warning")
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
        found.add(line, "too-many-entities", f"more than {MAX_COOCCURRING} entities listed or linked; "
                  f"co-occurrence (graph, xref) counts the first {MAX_COOCCURRING}", "warning")


def _report_outside_links(scan: BodyScan, path: str, found: Collector) -> None:
    """One warning per file for links that point outside the case folder."""
    outside = [(line, href) for line, href in scan.hrefs if leaves_folder(href, path)]
    outside += [(link.line, link.target) for link in scan.links
                if not link.markdown and wiki_target_leaves(link.target)]
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
    heading_line: int | None = None
    hashtags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    hrefs: list[tuple[int, str]] = field(default_factory=list)
    """Markdown link destinations and autolinks, with their lines."""
    blocks: list[tuple[str, int, int]] = field(default_factory=list)
    """(`blockid`, line, offset of its ` ^` in the line) of each block id marker."""


def scan_body(body: str, first_line: int = 1, path: str = "") -> BodyScan:
    """Find the first `# ` heading, hashtags, links and `^blockid` markers outside code."""
    scan = BodyScan()
    for number, line in prose_lines(body, first_line):
        heading = _HEADING.match(line)
        if heading and scan.heading is None:
            scan.heading, scan.heading_line = _heading_text(heading.group(1)), number
        elif heading:
            pass  # later headings: their `#`s are not hashtags
        elif "#" in line:  # `#word` at a line start is a hashtag: a heading needs `# `
            scan.hashtags.extend(hashtags(line))
        if "[[" in line or "](" in line:
            scan.links.extend(Link(found.target, found.label, number, found.anchor, found.embed, found.markdown)
                              for found in find_links(line, path))
        if "](" in line or "<" in line:
            scan.hrefs.extend((number, m.group(1) or m.group(2)) for m in _MARKDOWN_HREF.finditer(line))
        if "^" in line and (marker := block_id(line)) is not None:
            scan.blocks.append((marker[0], number, marker[1]))
    return scan


def without_block_ids(body: str, blocks: list[tuple[str, int, int]], first_line: int) -> str:
    """`body` without its ` ^blockid` markers (each line kept, so line numbers do not move)."""
    if not blocks:
        return body
    lines = body.split("\n")
    for _name, number, offset in blocks:
        lines[number - first_line] = lines[number - first_line][:offset].rstrip(" \t")
    return "\n".join(lines)


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
