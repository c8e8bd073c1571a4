"""Text of one Markdown file -> a Case (or entity page) plus the problems found in it.

Bodies are scanned by `core.scan` rather than with a full markdown-it parse, many
times faster on 50,000 files. Rendering, where the whole CommonMark grammar matters,
uses markdown-it-py in the reader.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from casefile.core.model import Case, Problem
from casefile.core.read import frontmatter
from casefile.core.read.confine import leaves_folder, wiki_target_leaves
from casefile.core.read.fields import Collector, Fields, valid_date
from casefile.core.read.scan import BodyScan, prose_lines, scan_body, strip_inline_code, without_block_ids
from casefile.core.text import language
from casefile.core.text.names import normalize_name, without_invisible
from casefile.core.text.sanitize import clean, clean_line, first_unsafe, has_invisible, show_invisible
from casefile.core.text.wikilinks import MAX_NAME_CHARS
from casefile.core.wording import N_

MAX_LINKS_PER_FILE = 5000
MAX_TAGS_PER_FILE = 1000
MAX_TITLE_CHARS = 300
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

MAX_COOCCURRING = 100
"""Entities per file counted for co-occurrence (graph, `xref NAME`): the first ones listed,
then linked. Pairs grow as the square of this, so one file cannot cost the square of thousands."""


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
    scan = scan_body(body, split.body_line, path)
    body = without_block_ids(body, scan.blocks, split.body_line)
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
    _line, what, raw = min(places, key=lambda place: place[0] or 0)
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
    places: list[tuple[int | None, str, str]] = [(None, "file name", case.path)] if has_invisible(case.path) else []
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
    leaving = {link.target for link in scan.links if not link.markdown}
    leaving = {target for target in leaving if wiki_target_leaves(target)}  # checked once a name
    outside += [(link.line, link.target) for link in scan.links if not link.markdown and link.target in leaving]
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


__all__ = ["MAX_NAME_CHARS", "BodyScan", "parse_case", "prose_lines", "scan_body", "strip_inline_code",
           "valid_date", "without_block_ids"]
