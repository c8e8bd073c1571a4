"""The find-in-case bar: a one-line input with a match counter."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from casefile.core.wording import _


class FindBar(Horizontal):
    """Opened with `/`; posts Changed on each keystroke, Submitted on Enter, Closed on Escape."""

    BINDINGS = [Binding("escape", "close", "Close find", show=False)]

    @dataclass
    class Changed(Message):
        """The query changed; handled by `CaseView.on_find_bar_changed`."""

        query: str

    @dataclass
    class Submitted(Message):
        """Enter in the bar; handled by `CaseView.on_find_bar_submitted`."""

        query: str

    @dataclass
    class Closed(Message):
        """Escape in the bar; handled by `CaseView.on_find_bar_closed`."""

    def compose(self) -> ComposeResult:
        yield Static(_("Find:"), classes="find-bar--label", markup=False)
        yield Input(placeholder=_("text in this case"), id="find-input")
        yield Static("", id="find-count")

    @property
    def typed(self) -> str:
        """What the bar holds."""
        return self.query_one(Input).value

    def open(self) -> None:
        """Show the bar and focus its input, with the previous query selected."""
        self.display = True
        field = self.query_one(Input)
        field.focus()
        field.select_all()

    def set_count(self, current: int | None, total: int) -> None:
        """Show `current/total`, or that nothing matched."""
        if not self.typed:
            label = ""
        elif total == 0:
            label = _("no match")
        else:
            label = f"{(current or 0) + 1}/{total}"
        self.query_one("#find-count", Static).update(Text(label))
        self.set_class(bool(self.typed) and total == 0, "-no-match")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Forward each keystroke."""
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Forward Enter."""
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_close(self) -> None:
        """Hide the bar."""
        self.display = False
        self.post_message(self.Closed())
