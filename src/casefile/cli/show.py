"""`casefile show ID`: print one case rendered for the terminal (or raw, or as JSON)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, cast

from casefile.cli.common import open_archive, read_case
from casefile.cli.output import TrimmedLines, emit, emit_json, wants_color
from casefile.config import Config
from casefile.core.model import Case, CasefileError
from casefile.core.read.library import decode, read_bytes
from casefile.core.text.sanitize import clean, clean_line
from casefile.core.wording import _, date_text, type_name


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `show` command."""
    parser = subparsers.add_parser(
        "show", parents=[parent], help=_("print one case"),
        description=_("Print one case (by id or relative path), rendered for the terminal."),
    )
    parser.add_argument("id", help=_("case id (or path relative to the case folder)"))
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--raw", action="store_true", help=_("print the Markdown source"))
    group.add_argument("--json", action="store_true", help=_("print the case's fields and body as JSON"))


def header_lines(case: Case) -> list[str]:
    """The compact header: id, date, status, tags, entities, hash."""
    lines = [f"{case.title}", _("id: {id}   path: {path}").format(id=case.id, path=case.path)]
    facts = [_("date: {date}").format(date=date_text(case.date) or "—")]
    if case.status:
        facts.append(_("status: {status}").format(status=case.status))
    if case.entity_type:
        facts.append(_("type: {type}").format(type=type_name(case.entity_type)))
    lang = _("{lang} (detected)").format(lang=case.lang) if case.lang_detected else case.lang
    facts.append(_("lang: {lang}").format(lang=lang))
    lines.append("   ".join(facts))
    if case.tags:
        lines.append(_("tags: {tags}").format(tags=", ".join(f"#{t}" for t in case.tags)))
    if case.aliases:
        lines.append(_("aliases: {aliases}").format(aliases=", ".join(case.aliases)))
    for kind in dict.fromkeys(kind for kind, _name in case.entities):
        lines.append(f"{type_name(kind)}: " + ", ".join(n for k, n in case.entities if k == kind))
    lines.append(f"sha256: {case.sha256}")
    return [clean_line(line) for line in lines]


def as_record(case: Case, paths: list[str | None] | None = None) -> dict[str, Any]:
    """The JSON record of one case; `paths`: where each of its links leads (None: nowhere)."""
    if paths is None or len(paths) != len(case.links):
        paths = [None] * len(case.links)
    return {
        "id": case.id, "title": case.title, "path": case.path, "kind": case.kind,
        "date": case.date, "status": case.status, "tags": list(case.tags),
        "lang": case.lang, "lang_detected": case.lang_detected,
        "entities": [{"type": t, "name": n} for t, n in case.entities],
        "aliases": list(case.aliases), "entity_type": case.entity_type,
        "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in case.sources],
        "links": [{"target": link.target, "label": link.label, "line": link.line, "path": path,
                   "anchor": link.anchor, "embed": link.embed} for link, path in zip(case.links, paths)],
        "sha256": case.sha256, "body": case.body,
    }


def render(case: Case, color: bool) -> None:
    """Print the header and the body through the reader's bounded renderer (no lexer, no markup)."""
    from rich.console import Console

    from casefile.ui.printed import plain_lines, styled_lines
    from casefile.ui.render import render_markdown

    trimmed = cast(TextIO, TrimmedLines(sys.stdout))  # a TextIOBase: Rich's type wants IO[str]
    console = Console(file=trimmed, no_color=not color, force_terminal=color or None,
                      highlight=False, emoji=False, markup=False)
    document = render_markdown(case.body, case.path, case.title)
    width = max(20, console.width)
    if [block.kind for block in document.blocks] == ["plain"]:  # too big to parse: the terminal wraps it
        sys.stdout.write("\n".join([*header_lines(case), "─" * width, clean(document.blocks[0].text)]) + "\n")
        return
    if not color:
        lines = [*header_lines(case), "─" * width, *plain_lines(document, width)]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    for line in header_lines(case):
        console.print(line, markup=False, soft_wrap=True)
    console.print("─" * width, style="dim", soft_wrap=True)
    for text in styled_lines(document, width):
        console.print(text, soft_wrap=True)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the case named by `args.id`."""
    with open_archive(config) as archive:
        case = read_case(archive, args.id)
        paths = archive.xref.link_paths(case.path) if case is not None and args.json else None
    if case is None:
        raise CasefileError(_("no case with id or path '{key}' (try: casefile search)").format(key=clean_line(args.id)))
    if args.json:
        emit_json(as_record(case, paths))
    elif args.raw:
        emit(_source(config, case))
    else:
        render(case, wants_color(sys.stdout, config.color))
    return 0


def _source(config: Config, case: Case) -> str:
    """The file's whole Markdown source, front matter included, decoded as the index read it."""
    data = read_bytes(config.cases_dir, case.path, config.max_file_bytes)
    text, _problems = decode(data, case.path)
    return case.body if text is None else text
