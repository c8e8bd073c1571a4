"""Inline markdown-it tokens -> the text and styled spans of one block (see render.py)."""

from __future__ import annotations

from markdown_it.token import Token

from casefile.core.text.sanitize import clean
from casefile.core.wording import _
from casefile.ui.embed_words import attachment_label
from casefile.ui.embeds import Embedded, EmbedKey
from casefile.ui.links import LinkTarget, classify_href, wiki_target
from casefile.ui.render_model import Document, Span


class Inline:
    """Accumulates the text and spans of one inline token's children."""

    ROLES = {"strong": "strong", "em": "em", "s": "strike", "mark": "mark"}

    def __init__(self, doc: Document, case_path: str, embeds: dict[EmbedKey, Embedded] | None = None,
                 framed: list[tuple[Embedded, int]] | None = None) -> None:
        self.doc = doc
        self.case_path = case_path
        self.embeds = embeds or {}
        self.framed = framed if framed is not None else []
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.open: list[tuple[int, str, int | None]] = []

    def emit(self, text: str, role: str | None = None, link: int | None = None) -> None:
        """Append text (cleaned), styled with `role` when given."""
        text = clean(text).replace("\t", " ")
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if role is not None and text:
            self.spans.append(Span(start, self.length, role, link))

    def push(self, role: str, link: int | None = None) -> None:
        """Open a styled range."""
        self.open.append((self.length, role, link))

    def pop(self) -> None:
        """Close the innermost styled range."""
        if self.open:
            start, role, link = self.open.pop()
            if self.length > start:
                self.spans.append(Span(start, self.length, role, link))

    def add_link(self, target: LinkTarget) -> int:
        """Register a link target; return its index."""
        self.doc.links.append(target)
        return len(self.doc.links) - 1

    def token(self, token: Token) -> None:
        """Handle one inline token."""
        kind = token.type
        base = kind.rsplit("_", 1)[0]
        if kind in ("text", "html_inline"):
            self.emit(token.content)
        elif kind == "softbreak":
            self.emit(" ")
        elif kind == "hardbreak":
            self.emit("\n")
        elif kind in ("code_inline", "math_inline", "math_inline_double"):
            self.emit(token.content, "code")
        elif kind == "footnote_ref":
            self.emit(f"[{token.meta.get('label', token.meta.get('id', 0) + 1)}]", "footnote")
        elif base in self.ROLES:
            self.push(self.ROLES[base]) if kind.endswith("_open") else self.pop()
        elif kind == "link_open":
            target = classify_href(str(token.attrGet("href") or ""), self.case_path)
            self.push("link" if target.followable else "link-blocked", self.add_link(target))
        elif kind == "link_close":
            self.pop()
        elif kind == "image":
            self.emit(_("[image: {title}]").format(title=token.content or _("untitled")), "image")
        elif kind == "wikilink":
            meta = token.meta
            target = wiki_target(meta["target"], meta["label"], meta["anchor"]) if meta["target"] else \
                LinkTarget("anchor", clean(meta["anchor"] or ""), meta["label"])  # [[#Heading]]
            embedded = self.embeds.get((meta["target"], meta["anchor"] or "")) if meta["embed"] else None
            if embedded is not None and embedded.kind == "attachment":
                self.emit(attachment_label(embedded), "image")
                return
            link = self.add_link(target)
            if embedded is not None:
                self.framed.append((embedded, link))
            self.emit(target.label, "wiki", link)
