"""How one search hit is drawn: three lines of Rich text (title and date, snippet, tags).

Pure functions of a hit, a width and resolved styles, so they are cheap to cache and
easy to test; file text only ever becomes `Text` content, never markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from casefile.core.model import SearchHit
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import date_text

ROW_HEIGHT = 3
"""Lines per hit: title and date, snippet, tags and id."""
ENTITY_MARK = "◆ "


class RowStyles:
    """The rich styles a row is drawn with, looked up once per render pass."""

    def __init__(self, widget: Widget, cursor: bool) -> None:
        """Resolve the component styles of `widget` for a plain or a cursor row."""
        base = widget.get_component_rich_style("result-list--cursor") if cursor else widget.rich_style
        self.base = base

        def part(name: str) -> Style:
            # Colour and attributes only: the full style blends theme colours that carry
            # alpha (such as $text-muted) correctly; its background would hide the cursor.
            full = widget.get_component_rich_style(f"result-list--{name}")
            # On the cursor row every part takes the cursor's colour: muted ones are unreadable there.
            color = full.color if name == "match" or not cursor else None
            return Style(color=color, bold=full.bold, italic=full.italic, underline=full.underline,
                         bgcolor=full.bgcolor if name == "match" else None)

        self.title, self.date, self.snippet = part("title"), part("date"), part("snippet")
        self.match, self.tags, self.meta = part("match"), part("tags"), part("meta")
        self.entity, self.notice = part("entity"), part("notice")


def fit(text: Text, width: int) -> Text:
    """Crop `text` to `width` cells with an ellipsis, padded to exactly `width`."""
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def title_line(hit: SearchHit, width: int, styles: RowStyles) -> Text:
    """Title on the left (entities marked), date on the right."""
    date = date_text(hit.date, short=True)
    line = Text(" ", style=styles.base)
    if hit.kind == "entity":
        line.append(ENTITY_MARK, styles.entity)
    room = max(1, width - line.cell_len - len(date) - 2)
    title = Text(clean_line(hit.title), style=styles.title)
    title.truncate(room, overflow="ellipsis")
    line.append_text(title)
    line.append(" " * max(1, width - line.cell_len - len(date)))
    line.append(date, styles.date)
    return fit(line, width)


def snippet_line(hit: SearchHit, width: int, styles: RowStyles) -> Text:
    """The snippet, matched spans highlighted, shifted so the first match shows."""
    snippet = clean_line(hit.snippet)
    text = Text(snippet, style=styles.snippet)
    if len(snippet) == len(hit.snippet):  # offsets still valid after cleaning
        for span in hit.spans:
            text.stylize(styles.match, span.start, span.end)
        first = min((span.start for span in hit.spans), default=0)
        if first > width // 2:
            text = Text("…", style=styles.snippet) + text[first - width // 4:]
    line = Text("   ", style=styles.base)
    line.append_text(text)
    return fit(line, width)


def tags_line(hit: SearchHit, width: int, styles: RowStyles) -> Text:
    """Tags on the left, the case id on the right."""
    ident = clean_line(hit.id)
    line = Text("   ", style=styles.base)
    tags = Text(" ".join(f"#{clean_line(tag)}" for tag in hit.tags), style=styles.tags)
    tags.truncate(max(1, width - cell_len(ident) - 6), overflow="ellipsis")
    line.append_text(tags)
    line.append(" " * max(1, width - line.cell_len - cell_len(ident)))
    line.append(ident, styles.meta)
    return fit(line, width)


LINE_BUILDERS = (title_line, snippet_line, tags_line)
