"""Markdown reduced to the plain prose a snippet shows: no headings (the first one is the
title, already on the hit's line), no table rules or pipes, no link or list syntax.

Line-based regular expressions, not a Markdown parser: the core never imports
markdown-it, and a search cuts ~50 snippets per keystroke from short regions.
"""

from __future__ import annotations

import re

_DROPPED_LINE = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t].*)?"              # a heading
    r"|(?:[-*_][ \t]*){3,}"                      # a thematic break
    r"|(?:```|~~~).*"                            # a code fence
    r"|\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*"  # a table's rule |---|---|
    r"|<!--.*|.*-->)$",                          # a one-line HTML comment edge
    re.MULTILINE)
_LINE_START = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?",
                         re.MULTILINE)
_TABLE_ROW = re.compile(r"^\|(.*?)\|?[ \t]*$", re.MULTILINE)
_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?!\w)|`+|~~")


def plain_prose(markdown: str) -> str:
    """The words of `markdown` as one line of plain text (white space collapsed)."""
    text = _DROPPED_LINE.sub("", markdown)
    text = _TABLE_ROW.sub(lambda m: m.group(1).replace("|", " · "), text)
    text = _LINE_START.sub("", text)
    text = _WIKI_LINK.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", _TAG.sub(" ", text))
    return " ".join(text.split())
