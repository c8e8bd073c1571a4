"""The markdown-it parser of the reader: CommonMark plus the Obsidian dialect (format v1.1).

Plugins from mdit-py-plugins where one exists (task lists, footnotes, dollar math);
small rules here for what none covers: `[[wiki-links]]` (the core's one grammar),
`==highlight==` and `%%comments%%` (hidden, inline or over several lines).
Callouts are blockquotes whose first line is `[!type]`: `callout` reads that line.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from casefile.core.text.wikilinks import match_wiki, shown

_CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)\]([-+]?)[ \t]*(.*)$")


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule for `[[target]]`, `[[target#anchor|label]]` and `![[embed]]`."""
    if not state.src.startswith(("[[", "![["), state.pos):
        return False
    link = match_wiki(state.src, state.pos, state.posMax)  # the core's one grammar
    if link is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": link.target, "label": link.label or shown(link), "anchor": link.anchor,
                      "embed": link.embed}
    state.pos = link.end
    return True


def _mark_rule(state: StateInline, silent: bool) -> bool:
    """`==text==`: a highlight, its inside parsed as inline Markdown."""
    start = state.pos
    if not state.src.startswith("==", start) or state.src[start + 2:start + 3] in ("", " ", "="):
        return False
    end = state.src.find("==", start + 2, state.posMax)
    if end < 0 or state.src[end - 1] == " ":
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        old_max, state.pos, state.posMax = state.posMax, start + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    """`%%text%%` inside a paragraph: hidden. An unclosed `%%` is shown as text."""
    if not state.src.startswith("%%", state.pos):
        return False
    end = state.src.find("%%", state.pos + 2, state.posMax)
    if end < 0:
        return False
    state.pos = end + 2
    return True


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines from one opening `%%` to the closing `%%` (alone on their lines): hidden."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or not state.src.startswith("%%", pos):
        return False
    line, search = start, pos + 2
    while line < end:
        close = state.src.find("%%", search, state.eMarks[line])
        if close >= 0:
            if state.src[close + 2:state.eMarks[line]].strip():
                return False  # text after the comment: the inline rule hides just the comment
            if not silent:
                state.line = line + 1
            return True
        line += 1
        search = state.bMarks[line] if line < end else 0
    return False  # never closed: shown, never hides the rest of the note


def callout(first_line: str) -> tuple[str, bool, str] | None:
    """(type, folded, title) when a blockquote's first line is `[!type]` (`-` folds it)."""
    found = _CALLOUT.match(first_line)
    if found is None:
        return None
    return found.group(1).lower(), found.group(2) == "-", found.group(3).strip()


def parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough and the Obsidian dialect; HTML shown as text."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.enable(["table", "strikethrough"])
    md.use(tasklists_plugin).use(footnote_plugin)
    # `$5 and $6` in a case is money, not math: no space inside, no digit after the closing `$`.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_labels=False)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("emphasis", "mark", _mark_rule)
    md.inline.ruler.before("text", "comment", _comment_inline)
    md.block.ruler.before("paragraph", "comment", _comment_block)
    return md
