"""`casefile search QUERY`: search the case folder; a readable list or --json."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from casefile.cli.common import open_archive
from casefile.cli.output import emit, emit_json, wants_color
from casefile.config import Config
from casefile.core.archive.facade import search_or_rebuild
from casefile.core.model import SearchHit, SearchResult
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, counted, date_text, number

MARK_ON, MARK_OFF = "\x1b[1;33m", "\x1b[0m"
"""Highlight for matched words; our own codes around sanitized text, never file content."""


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `search` command."""
    parser = subparsers.add_parser(
        "search", parents=[parent], help=_("search the cases"),
        description=_("Search titles, text, tags and entity names (aliases included). Words are AND-ed; "
                      "OR, NOT, -word, \"phrases\", prefix*, fuzzy~ and fields such as title:, tag:, "
                      "entity:, person:, org:, place:, status:, lang:, id:, date:2017-06 or "
                      "date:[2017-01 TO 2017-06] are understood."),
    )
    parser.add_argument("query", help=_("what to search for (quote it in the shell)"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object"))
    parser.add_argument("--limit", type=int, default=20, metavar="N", help=_("show at most N results (default 20)"))
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance",
                        help=_("order of the results (default relevance)"))


def as_json(result: SearchResult) -> dict[str, Any]:
    """The fixed JSON shape of a search."""
    return {"query": result.query, "total": result.total, "results": [
        {"id": hit.id, "title": hit.title, "path": hit.path, "date": hit.date, "tags": list(hit.tags),
         "score": hit.score, "snippet": hit.snippet, "kind": hit.kind} for hit in result.hits]}


def marked(hit: SearchHit, color: bool) -> str:
    """The snippet, sanitized, with matched spans highlighted when `color`."""
    if not color or not hit.spans:
        return clean_line(hit.snippet)
    parts, last = [], 0
    for span in hit.spans:
        parts += [clean_line(hit.snippet[last:span.start]), MARK_ON,
                  clean_line(hit.snippet[span.start:span.end]), MARK_OFF]
        last = span.end
    return "".join(parts) + clean_line(hit.snippet[last:])


def print_result(result: SearchResult, stream: TextIO, color: bool) -> None:
    """The readable list."""
    for rank, hit in enumerate(result.hits, start=1):
        kind = "  " + _("[entity]") if hit.kind == "entity" else ""
        when = date_text(hit.date) or _("no date")
        emit(f"{rank:>3}. {hit.id}  {hit.title}  ({when}){kind}", stream)
        tags = " ".join(f"#{tag}" for tag in hit.tags)
        emit(f"     {hit.path}  {tags}".rstrip(), stream)
        if hit.snippet:
            stream.write(f"     {marked(hit, color)}\n")
    showing = _(", showing {n}").format(n=number(len(result.hits))) if len(result.hits) < result.total else ""
    emit(counted(result.total, "{n} result", "{n} results") + showing, stream)
    if result.tag_counts:
        tags = ", ".join(f"{tag} ({number(count)})" for tag, count in result.tag_counts[:10])
        emit(_("tags: {tags}").format(tags=tags), stream)


def run(args: argparse.Namespace, config: Config) -> int:
    """Search and print."""
    with open_archive(config) as archive:
        result = search_or_rebuild(archive, args.query, limit=max(args.limit, 0), sort=args.sort)
    if result.notice:
        sys.stderr.write(f"casefile: {clean_line(result.notice)}\n")
    if args.json:
        emit_json(as_json(result))
    else:
        print_result(result, sys.stdout, wants_color(sys.stdout, config.color))
    return 0
