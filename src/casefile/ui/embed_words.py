"""What the reader writes for an embed: its frame's label, its notes, an attachment's placeholder."""

from __future__ import annotations

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _
from casefile.ui.embeds import MAX_CHARS, Embedded


def human_size(size: int | None) -> str:
    """Bytes in B, KB or MB (one decimal past 1 KB); "?" when unknown."""
    if size is None:
        return "?"
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def attachment_label(embedded: Embedded) -> str:
    """`[attachment: name · type · size]`: shown in place, never opened."""
    kind = embedded.mime or _("file")
    return _("[attachment: {name} · {type} · {size}]").format(
        name=clean_line(embedded.name), type=kind, size=human_size(embedded.size))


def embed_title(embedded: Embedded) -> str:
    """The label heading an embed's frame."""
    return _("⧉ Embedded: {name}").format(name=clean_line(embedded.name))


def embed_notes(embedded: Embedded) -> list[str]:
    """Lines under an embed saying what was left out, and why."""
    if embedded.kind == "cycle":
        return [_("(this note embeds itself here: not repeated)")]
    if embedded.kind == "deep":
        return [_("(embedded more than two levels deep: follow the link to read it)")]
    if embedded.kind == "many":
        return [_("(too many embeds in this case: follow the link to read it)")]
    if embedded.kind == "skipped":
        return [_("(could not be read)")]
    notes = []
    if embedded.anchor_missing:
        notes.append(_("(no such heading or block: the whole note is shown)"))
    if embedded.cut:
        notes.append(_("… (cut at {limit} characters: follow the link to read the rest)").format(
            limit=f"{MAX_CHARS:,}"))
    return notes
