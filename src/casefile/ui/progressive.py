"""Progressive rendering of long cases: the first part at once, the rest afterwards.

A long body is cut at a top-level heading (a `#` line after a blank line, outside
fenced code), where CommonMark guarantees that no block continues across the cut,
so rendering the two parts apart gives the same blocks as rendering the whole.
Bodies with reference-style link definitions are never cut (a definition may sit
in the other part). No Textual here.
"""

from __future__ import annotations

import re

from casefile.ui.render_model import Block, Document, Heading, Span

HEAD_CHARS = 12_000
"""Roughly how much is rendered before the first paint."""
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


def split_body(text: str, head_chars: int = HEAD_CHARS) -> tuple[str, str]:
    """(head, tail): tail is empty when the body is short or cannot be cut safely."""
    if len(text) < 2 * head_chars or _REFERENCE.search(text):
        return text, ""
    fence: str | None = None
    position = 0
    previous_blank = False
    for line in text.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
        elif opener:
            fence = opener.group(1)
        elif position >= head_chars and previous_blank and _HEADING.match(line):
            return text[:position], text[position:]
        previous_blank = not line.strip()
        position += len(line)
    return text, ""


def merge(head: Document, tail: Document) -> Document:
    """One document: the tail's blocks after the head's, link and block indexes shifted."""
    links, blocks = len(head.links), len(head.blocks) + 1
    shifted = [Block(b.text, b.kind, b.first_prefix, b.rest_prefix,
                     [Span(s.start, s.end, s.role, None if s.link is None else s.link + links)
                      for s in b.spans], b.level, b.fits)
               for b in tail.blocks]
    return Document(
        blocks=[*head.blocks, Block("", "blank"), *shifted],
        links=[*head.links, *tail.links],
        headings=[*head.headings, *(Heading(h.level, h.title, h.block + blocks, h.slug)
                                    for h in tail.headings)],
    )
