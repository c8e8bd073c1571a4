"""The body scanner: which lines are prose, and the heading, hashtags and links in them.

Bodies are scanned without a full markdown-it parse: the scanner only needs to know
which lines are fenced code and where inline code spans are (hashtags and wiki-links
there do not count). It works on runs of consecutive prose lines ("segments") with
whole-text regular expressions, never with Python code per line: a file of 300,000
lines costs a few C passes, not 300,000 loop turns (issue 10: 1.5-3 s per read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from casefile.core.model import Link
from casefile.core.text.wikilinks import block_id, find_links, hashtags

# Every pattern below runs on a segment of many lines: none may cross a line break.
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
# A code span: a run of N backticks up to the next run of exactly N on its line. A run with
# no closer is scanned to its line's end; those runs have distinct lengths (else they
# would pair), so a line of L characters costs at most sqrt(2L) such scans. Longer lines
# go through `strip_inline_code`, linear in Python.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)")
MAX_SPAN_LINE = 1000
_LONG_LINE = re.compile(r"^[^\n]{%d,}" % (MAX_SPAN_LINE + 1), re.MULTILINE)
_MARKDOWN_HREF = re.compile(r"\]\([^\S\n]*<?([^\s)>]{1,2000})|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]{0,2000})>")
# Linear on any line: the closing `#`s are stripped in Python (a regex with a lazy
# title and optional closer was quadratic on a heading full of spaces).
_HEADING = re.compile(r"^ {0,3}#[ \t]+([^\n]*)$", re.MULTILINE)

Segment = tuple[int, str]
"""(number of its first line, consecutive prose lines joined by `\\n`, inline code removed)."""


@dataclass(slots=True)
class BodyScan:
    """What the body scanner found outside code."""

    heading: str | None = None
    heading_line: int | None = None
    hashtags: list[str] = field(default_factory=list)
    """In order; a tag repeated within a run of prose lines is listed once."""
    links: list[Link] = field(default_factory=list)
    hrefs: list[tuple[int, str]] = field(default_factory=list)
    """Markdown link destinations and autolinks, with their lines."""
    blocks: list[tuple[str, int, int]] = field(default_factory=list)
    """(`blockid`, line, offset of its ` ^` in the line) of each block id marker."""


def scan_body(body: str, first_line: int = 1, path: str = "") -> BodyScan:
    """Find the first `# ` heading, hashtags, links (core/text/wikilinks.py's grammar; Markdown
    links resolved from `path`) and `^blockid` markers outside code."""
    scan = BodyScan()
    for number, text in prose_segments(body, first_line):
        if "#" in text:  # `#word` at a line start is a hashtag: a heading needs `# `
            if scan.heading is None:
                _first_heading(scan, text, number)
            scan.hashtags += _hashtags(text)
        if "[[" in text or "](" in text:
            scan.links += _links(text, number, path)
        if "^" in text:
            scan.blocks += _block_ids(text, number)
        if "](" in text or "<" in text:
            scan.hrefs += [(line, m.group(1) or m.group(2)) for line, m in _located(_MARKDOWN_HREF, text, number)]
    return scan


def _first_heading(scan: BodyScan, text: str, number: int) -> None:
    """Record the first heading of a segment that has a text (`# ` alone is no title)."""
    for match in _HEADING.finditer(text):
        if (title := _heading_text(match.group(1))) is not None:
            scan.heading, scan.heading_line = title, number + text.count("\n", 0, match.start())
            return


def _hashtags(text: str) -> list[str]:
    """The hashtags of a segment outside its heading lines (numbers like `#12` are not tags)."""
    found = hashtags(text)  # the grammar's patterns never cross a line break
    if found and _HEADING.search(text):  # found again, piece by piece between the headings
        found, start = [], 0
        for heading in _HEADING.finditer(text):
            found += hashtags(text[start:heading.start()])
            start = heading.end()
        found += hashtags(text[start:])
    # repeats dropped in C first: the parser keeps each tag once anyway (600,000 `#t` a file)
    return list(dict.fromkeys(found))


def _links(text: str, number: int, path: str) -> list[Link]:
    """The links of a segment whose first line is `number`."""
    links, position = [], 0
    for found in find_links(text, path):
        number += text.count("\n", position, found.start)
        position = found.start
        links.append(Link(found.target, found.label, number, found.anchor, found.embed, found.markdown))
    return links


def _block_ids(text: str, number: int) -> list[tuple[str, int, int]]:
    """(`blockid`, line, offset) of the lines of a segment that end with a ` ^blockid` marker."""
    found = []
    for offset, line in enumerate(text.split("\n")):
        if "^" in line and (marker := block_id(line)) is not None:
            found.append((marker[0], number + offset, marker[1]))
    return found


def without_block_ids(body: str, blocks: list[tuple[str, int, int]], first_line: int) -> str:
    """`body` without its ` ^blockid` markers (each line kept, so line numbers do not move)."""
    if not blocks:
        return body
    lines = body.split("\n")
    for _name, number, offset in blocks:
        lines[number - first_line] = lines[number - first_line][:offset].rstrip(" \t")
    return "\n".join(lines)


def _located(pattern: re.Pattern[str], text: str, number: int) -> Iterator[tuple[int, re.Match[str]]]:
    """Each match of `pattern` in `text` with its line number (lines counted in C, once)."""
    position = 0
    for match in pattern.finditer(text):
        number += text.count("\n", position, match.start())
        position = match.start()
        yield number, match


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


def prose_segments(body: str, first_line: int) -> Iterator[Segment]:
    """The runs of lines outside fenced code, inline code removed line by line.

    Lines are what `body.split("\\n")` gives; only fence-like lines are visited one by one.
    The last body's runs are kept: a build splits each body again right after parsing it
    (the cross-reference's paragraphs), and a body is the same str object then.
    """
    global _last  # noqa: PLW0603 - a memo of one body
    last = _last
    if last[0] is body and last[1] == first_line:
        return iter(last[2])
    segments = tuple(_segments(body, first_line))
    _last = (body, first_line, segments)  # one tuple: a thread sees the old memo or the new
    return iter(segments)


_last: tuple[str | None, int, tuple[Segment, ...]] = (None, 0, ())


def _segments(body: str, first_line: int) -> Iterator[Segment]:
    """prose_segments, computed."""
    fence = ""
    position, counted, number = 0, 0, first_line  # the first line not given out; lines counted
    for match in _FENCE_LINE.finditer(body):
        run, rest = match.groups()
        if not fence:
            if match.start() > position:
                number += body.count("\n", counted, position)  # counted only where a run is given out
                counted = position
                yield number, _without_inline_code(body[position:match.start() - 1])
            fence = run
        elif run[0] == fence[0] and len(run) >= len(fence) and not rest.strip():
            fence = ""
        else:
            continue
        position = match.end() + 1
    if not fence and position <= len(body):
        yield number + body.count("\n", counted, position), _without_inline_code(body[position:])


def _without_inline_code(text: str) -> str:
    """`text` with the inline code of each of its lines removed (as `strip_inline_code` does)."""
    if "`" not in text:
        return text
    parts, start = [], 0
    for long in _LONG_LINE.finditer(text):
        parts += [_CODE_SPAN.sub(" ", text[start:long.start()]), strip_inline_code(long.group())]
        start = long.end()
    parts.append(_CODE_SPAN.sub(" ", text[start:]))
    return "".join(parts)


def prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines outside fenced code, inline code removed."""
    for number, text in prose_segments(body, first_line):
        yield from enumerate(text.split("\n"), number)
