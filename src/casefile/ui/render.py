"""Markdown text -> a `Document` of styled blocks for the reader; no Textual here.

The reader does not mount a widget per Markdown block (Textual's `Markdown` widget
takes ~0.8 s on a 5,500-word case): markdown-it-py tokens become plain blocks of
text with role spans, which the case body lays out and paints lazily, line by line.
Tokens never leave this module. Every fragment passes `sanitize.clean`, so no
control character reaches the terminal, and text never becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from casefile.core.read.scan import prose_segments
from casefile.core.text.sanitize import clean
from casefile.core.wording import _
from casefile.ui.dialect import callout, parser
from casefile.ui.embed_words import embed_notes, embed_title
from casefile.ui.embeds import Embedded, EmbedKey
from casefile.ui.render_inline import Inline
from casefile.ui.render_model import Block, Document, Heading, Span
from casefile.ui.tables import aligned, stacked

__all__ = ["Block", "Document", "Heading", "Span", "render_markdown", "render_plain", "renders_plain", "slugify"]

PLAIN_TEXT_LIMIT = 150_000
"""Bodies longer than this (in characters) are shown as plain text, unparsed."""
PLAIN_LINE_LIMIT = 10_000
"""Bodies of more lines are plain text too: parsing costs ~30 us a block (300,000 headings)."""
PLAIN_MARKUP_LIMIT = 30_000
"""Bodies with more inline markers than this outside fenced code are plain text too: markdown-it
spends 5-40 us on each `[`, `*`, `_`, `!`, `|`... (149 KB of `[[` took 2 s, of `*_` 1.2 s)."""
_MARKERS = "[*_<`&!~|"
MAX_DEPTH_SHOWN = 6
"""Deeper quote or list nesting is drawn as a count, so prefixes never fill the line."""
# markdown-it drops content nested past `maxNesting`; container markers (quotes, list
# bullets) past this depth on one line are removed first, so deep text still shows.
MAX_MARKERS = 8
_MARKER = r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))"
_DEEP = re.compile(rf"^((?:{_MARKER}){{{MAX_MARKERS}}})(?:{_MARKER})+", re.MULTILINE)


_MD = parser()


def slugify(title: str) -> str:
    """GitHub-style anchor of a heading: lower case, words joined by `-`."""
    words = re.findall(r"[\w-]+", title.lower())
    return "-".join(words)


def render_markdown(body: str, case_path: str = "", title: str | None = None,
                    embeds: dict[EmbedKey, Embedded] | None = None) -> Document:
    """Render a case body; past `PLAIN_TEXT_LIMIT` characters, as plain text.

    A first `# heading` equal to `title` is left out: the case header shows it. `embeds`
    (read by `embeds.gather`) are shown framed below the paragraph holding them.
    """
    text = clean(body)
    if renders_plain(text):
        return render_plain(text)
    builder = _Builder(case_path, title, embeds or {})
    builder.walk(_MD.parse(_DEEP.sub(r"\1", text)))
    if not builder.doc.blocks and text.strip():
        return render_plain(text)
    return builder.doc


def renders_plain(text: str) -> bool:
    """True when `text` is too long (characters, lines, or markers) to parse within bounded time."""
    if len(text) > PLAIN_TEXT_LIMIT or text.count("\n", 0, PLAIN_TEXT_LIMIT) > PLAIN_LINE_LIMIT:
        return True
    markers = sum(map(text.count, _MARKERS))  # a few C passes; most bodies stop here
    return markers > PLAIN_MARKUP_LIMIT and _prose_markers(text) > PLAIN_MARKUP_LIMIT


def _prose_markers(text: str) -> int:
    """Inline markers outside fenced code (code is cheap to parse whatever it holds)."""
    return sum(sum(map(segment.count, _MARKERS)) for _number, segment in prose_segments(text, 1))


def render_plain(text: str) -> Document:
    """A document of one plain block: for huge files, shown without parsing."""
    return Document(blocks=[Block(clean(text).expandtabs(4), "plain")])


class _Builder:
    """Walks the flat block-token stream, keeping a stack of quote and list prefixes."""

    def __init__(self, case_path: str, title: str | None = None,
                 embeds: dict[EmbedKey, Embedded] | None = None) -> None:
        self.doc = Document()
        self.embeds = embeds or {}
        self.framed: list[tuple[Embedded, int]] = []
        """Embeds met in the paragraph being built: framed below it."""
        self.case_path = case_path
        self.title = title
        self.stack: list[list[str]] = []
        """One [first-line prefix, continuation prefix, kind] per open container."""
        self.counters: list[int] = []
        self.pending_marker: str | None = None

    def prefixes(self) -> tuple[str, str]:
        """The first-line and continuation prefixes for a block opened now."""
        marker, self.pending_marker = self.pending_marker, None
        rest = "".join(entry[1] for entry in self.stack[:MAX_DEPTH_SHOWN])
        if len(self.stack) > MAX_DEPTH_SHOWN:
            rest += f"({len(self.stack)}) "
            return rest + (marker or ""), rest + " " * len(marker or "")
        if marker is None:
            return rest, rest
        return rest[: len(rest) - len(marker)] + marker, rest

    def add(self, text: str, kind: str, spans: list[Span] | None = None, level: int = 0) -> None:
        """Append a block with the current prefixes."""
        first, rest = self.prefixes()  # cleaned again: markdown-it has decoded `&#x202E;` since
        self.doc.blocks.append(Block(clean(text), kind, first, rest, spans or [], level))

    def blank(self) -> None:
        """A blank separator line, keeping quote bars; never two in a row."""
        if not self.doc.blocks or self.doc.blocks[-1].kind == "blank":
            return
        quote_only = "".join(e[1] if e[2] == "quote" else " " * len(e[1])
                             for e in self.stack[:MAX_DEPTH_SHOWN])
        self.doc.blocks.append(Block("", "blank", quote_only.rstrip(), quote_only.rstrip()))

    def walk(self, tokens: Sequence[Token]) -> None:
        """Turn the token stream into blocks."""
        index = 0
        while index < len(tokens):
            index = self.step(tokens, index)
        while self.doc.blocks and self.doc.blocks[-1].kind == "blank":
            self.doc.blocks.pop()

    def step(self, tokens: Sequence[Token], index: int) -> int:
        """Handle the token at `index`; return the index of the next one."""
        token = tokens[index]
        kind = token.type
        if kind == "blockquote_open" and self.callout(tokens, index):
            pass
        elif kind == "list_item_open" and token.attrGet("class") == "task-list-item":
            self.task_item(tokens, index)
        elif kind in ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"):
            self.open_container(token)
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close", "list_item_close",
                      "footnote_close"):
            self.close_container(token)
        elif kind == "footnote_block_open":
            self.add("", "rule")
            self.blank()
        elif kind == "footnote_open":
            self.pending_marker = marker = f"[{token.meta.get('label', token.meta.get('id', 0) + 1)}] "
            self.stack.append([marker, " " * len(marker), "item"])
        elif kind == "heading_open":
            self.heading(token, tokens[index + 1])
            return index + 3
        elif kind == "paragraph_open" and token.meta.get("skip"):
            return index + 3
        elif kind == "paragraph_open":
            self.paragraph(tokens[index + 1], tight=token.hidden)
            return index + 3
        elif kind in ("fence", "code_block", "math_block"):  # math and Mermaid: shown as their source
            source = token.content.strip("\n") if kind == "math_block" else token.content.rstrip("\n")
            self.add(source.expandtabs(4), "code", [])
            self.blank()
        elif kind == "hr":
            self.add("", "rule")
            self.blank()
        elif kind == "table_open":
            return self.table(tokens, index)
        elif kind == "html_block":
            self.add(token.content.rstrip("\n"), "code")
            self.blank()
        return index + 1

    def callout(self, tokens: Sequence[Token], index: int) -> bool:
        """A `> [!type] Title` blockquote: a framed block headed by its type and title."""
        inline = tokens[index + 2] if index + 2 < len(tokens) and tokens[index + 1].type == "paragraph_open" else None
        children = list(inline.children or []) if inline is not None else []
        found = callout(children[0].content) if children and children[0].type == "text" else None
        if inline is None or found is None:
            return False
        kind, folded, title = found
        self.stack.append(["┃ ", "┃ ", "quote"])
        label = kind.capitalize() + (f": {title}" if title else "")
        self.add(label + ("  ▸ " + _("folded in Obsidian, shown here") if folded else ""), "callout")
        rest = next((i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")), None)
        inline.children = children[rest + 1:] if rest is not None else []
        if not inline.children:  # only the title line: no empty paragraph under it
            tokens[index + 1].meta = {"skip": True}
        return True

    def task_item(self, tokens: Sequence[Token], index: int) -> None:
        """A `- [ ]` / `- [x]` item: a ☐ or ☑ instead of the bullet (the plugin's checkbox dropped)."""
        self.open_container(tokens[index])
        inline = tokens[index + 2] if index + 2 < len(tokens) else None
        children = list(inline.children or []) if inline is not None and inline.type == "inline" else []
        if inline is None or not children or children[0].type != "html_inline":
            return
        marker = "☑ " if "checked" in children[0].content else "☐ "
        inline.children = children[1:]
        if inline.children and inline.children[0].type == "text":
            inline.children[0].content = inline.children[0].content.lstrip()
        self.stack[-1] = [marker, " " * len(marker), "item"]
        self.pending_marker = marker

    def open_container(self, token: Token) -> None:
        """Push a quote bar, a list, or a list item marker."""
        if token.type == "blockquote_open":
            self.stack.append(["▌ ", "▌ ", "quote"])
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            self.counters.append(int(token.attrGet("start") or 1))
            self.stack.append(["", "", "list"])
        else:
            ordered = bool(self.stack) and self.stack[-1][2] == "list" and token.markup in (".", ")")
            if ordered and self.counters:
                marker = f"{self.counters[-1]}{token.markup} "
                self.counters[-1] += 1
            else:
                marker = "• "
            self.stack.append([marker, " " * len(marker), "item"])
            self.pending_marker = marker

    def close_container(self, token: Token) -> None:
        """Pop the innermost container; a blank line after it takes the outer prefix."""
        if not self.stack:
            return
        entry = self.stack.pop()
        had_blank = bool(self.doc.blocks) and self.doc.blocks[-1].kind == "blank"
        if had_blank:
            self.doc.blocks.pop()
        if entry[2] == "list" and self.counters:
            self.counters.pop()
        outermost_list = entry[2] == "list" and not any(e[2] == "item" for e in self.stack)
        if had_blank or entry[2] == "quote" or outermost_list:
            self.blank()

    def heading(self, token: Token, inline: Token) -> None:
        """A heading block, recorded in the outline."""
        text, spans = self.inline(inline)
        level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        title = " ".join(text.split())
        if level == 1 and not self.doc.blocks and not self.stack and title == self.title:
            return
        self.doc.headings.append(Heading(level, title, len(self.doc.blocks), slugify(title)))
        self.add(text, "heading", spans, level)
        self.blank()

    def paragraph(self, inline: Token, tight: bool) -> None:
        """A paragraph; in tight lists, without a blank line after it."""
        text, spans = self.inline(inline)
        framed, self.framed = self.framed, []
        if text.strip() or not framed:  # a line of embeds only is shown by their frames
            self.add(text, "paragraph", spans)
            if not tight or framed:
                self.blank()
        for embedded, link in framed:
            self.frame(embedded, link)

    def frame(self, embedded: Embedded, link: int) -> None:
        """An embedded note framed and labelled (the label follows it), or why it is not shown."""
        self.stack.append(["│ ", "│ ", "quote"])
        title = embed_title(embedded)
        self.add(title, "embed", [Span(0, len(title), "wiki", link)])
        if embedded.kind == "note":
            inner = _Builder(embedded.path, None, embedded.nested)
            inner.walk(_MD.parse(clean(embedded.text)))
            self.graft(inner.doc)
        for note in embed_notes(embedded):
            self.add(note, "embed")
        self.stack.pop()
        self.blank()

    def graft(self, inner: Document) -> None:
        """Append another document's blocks inside the current prefixes, its links renumbered."""
        outer = "".join(entry[1] for entry in self.stack[:MAX_DEPTH_SHOWN])
        offset = len(self.doc.links)
        self.doc.links.extend(inner.links)
        for block in inner.blocks:
            spans = [Span(s.start, s.end, s.role, None if s.link is None else s.link + offset) for s in block.spans]
            fits = block.fits + len(outer) if block.fits > 0 else block.fits - len(outer) if block.fits < 0 else 0
            self.doc.blocks.append(Block(block.text, block.kind, outer + block.first_prefix,
                                         outer + block.rest_prefix, spans, block.level, fits))

    def inline(self, token: Token) -> tuple[str, list[Span]]:
        """Inline tokens -> text and spans."""
        line = Inline(self.doc, self.case_path, self.embeds, self.framed)
        for child in token.children or []:
            line.token(child)
        return "".join(line.parts), line.spans

    def table(self, tokens: Sequence[Token], index: int) -> int:
        """A table as aligned rows; returns the index after `table_close`."""
        rows: list[list[tuple[str, list[Span]]]] = []
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                rows[-1].append(self.inline(token))
            index += 1
        wide_text, wide_spans, width = aligned(rows)
        narrow_text, narrow_spans, _widths = stacked(rows)
        first, rest = self.prefixes()
        needed = width + len(rest)
        self.doc.blocks.append(Block(wide_text, "table", first, rest, wide_spans, fits=needed))
        self.doc.blocks.append(Block(narrow_text, "paragraph", first, rest, narrow_spans, fits=-needed))
        self.blank()
        return index + 1
