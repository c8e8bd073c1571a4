"""Markdown reduced to the plain prose a snippet shows: no headings (the first one is the
title, already on the hit's line), no table rules or pipes, no link or list syntax, no
callout markers (`> [!note]`) and no `^blockid` markers (the reader shows neither).

Line-based regular expressions, not a Markdown parser: the core never imports
markdown-it, and a search cuts ~50 snippets per keystroke from short regions.
"""

from __future__ import annotations

import re

from casefile.core.text.wikilinks import as_text, block_id

_DROPPED_LINE = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t].*)?"              # a heading
    r"|(?:[-*_][ \t]*){3,}"                      # a thematic break
    r"|(?:```|~~~).*"                            # a code fence
    r"|\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*"  # a table's rule |---|---|
    r"|<!--.*|.*-->)$",                          # a one-line HTML comment edge
    re.MULTILINE)
_LINE_START = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?",
                         re.MULTILINE)
_CALLOUT = re.compile(r"^([ \t]*(?:>[ \t]?)+[ \t]*)\[![^\]\n]{1,64}\][+-]?", re.MULTILINE)
"""`> [!type]` and its fold sign, opening a callout (its title stays)."""
_TABLE_ROW = re.compile(r"^\|(.*?)\|?[ \t]*$", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_MARK = re.compile(r"[*_]{1,3}|`+|~~")
"""Emphasis, code and strike-through marks; `_unmark` keeps those inside words (snake_case)."""


def plain_prose(markdown: str) -> str:
    """The words of `markdown` as one line of plain text (white space collapsed)."""
    text = _DROPPED_LINE.sub("", markdown)
    if "[!" in text:
        text = _CALLOUT.sub(r"\1", text)
    if "^" in text:
        text = "\n".join(_without_block_id(line) for line in text.split("\n"))
    text = _LINE_START.sub("", text)
    if "|" in text:  # each pass runs only when its syntax can be there: ~50 snippets a keystroke
        text = _TABLE_ROW.sub(lambda m: m.group(1).replace("|", " · "), text)
    if "[" in text:
        text = as_text(text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    return " ".join(_MARK.sub(_unmark, text).split())


def _without_block_id(line: str) -> str:
    """A line without its closing ` ^blockid` (the grammar's own test of one)."""
    found = block_id(line)
    return line[:found[1]] if found is not None else line


def _unmark(match: re.Match[str]) -> str:
    """'' for a mark that opens or closes a span (`*a*`, `_b_`); the mark itself inside a word
    or alone between spaces (`snake_case`, `2 * 3`)."""
    text, start, end = match.string, match.start(), match.end()
    if match.group()[0] in "`~":
        return ""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = not (before.isalnum() or before == "_") and not after.isspace()
    closes = not before.isspace() and not (after.isalnum() or after == "_")
    return "" if opens or closes else match.group()
