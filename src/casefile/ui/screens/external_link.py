"""An external URL from a case: shown in full, copied on request, never opened."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _
from casefile.ui.words import TranslatedBindings


class ExternalLinkScreen(TranslatedBindings, ModalScreen[None]):
    """The URL, and keys to copy it or close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", id="link.copy"),
        Binding("escape,q,enter", "dismiss", "Close", id="link.close"),
    ]

    def __init__(self, url: str) -> None:
        """Show `url` (sanitized)."""
        super().__init__()
        self.url = clean_line(url)

    def compose(self) -> ComposeResult:
        """Title, URL, hint."""
        with Vertical(id="link-dialog"):
            yield Static(_("External link (casefile never opens links)"), id="link-title", markup=False)
            yield Static(Text(self.url), id="link-url")
            yield Static(_("c: copy to the clipboard    Esc: close"), id="link-hint", markup=False)

    def action_copy(self) -> None:
        """Copy the URL through the terminal (OSC 52); nothing is opened."""
        self.app.copy_to_clipboard(self.url)
        self.notify(_("Link copied."), markup=False)
        self.dismiss()
