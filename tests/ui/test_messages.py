"""Every message of the reader is a dataclass, and is still a working Textual message."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget

import casefile.ui
from casefile.ui.messages import TargetMissing
from casefile.ui.widgets.xref_panel import XrefPanel


def ui_messages() -> list[type[Message]]:
    """Every Message subclass defined under casefile.ui (nested ones included)."""
    for module in pkgutil.walk_packages(casefile.ui.__path__, "casefile.ui."):
        importlib.import_module(module.name)
    found, todo = [], list(Message.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("casefile.ui"):
            found.append(cls)
    return found


def test_every_message_is_declared_as_a_dataclass() -> None:
    messages = ui_messages()
    assert len(messages) >= 25  # the walk found them (the app has about thirty)
    plain = [m.__qualname__ for m in messages if "__dataclass_params__" not in vars(m)]
    assert plain == []


def test_a_dataclass_message_keeps_its_fields_and_textual_state() -> None:
    event = XrefPanel.CaseChosen("MX-1")
    assert event.case_id == "MX-1" and dataclasses.asdict(event) == {"case_id": "MX-1"}
    assert event.handler_name == "on_xref_panel_case_chosen" and event.bubble
    assert event.time > 0 and not event.is_forwarded  # Message.__post_init__ ran


class Sender(Widget):
    """Posts messages the way the reader's widgets do."""


class Catcher(App[None]):
    """Records what bubbles up to the app, by handler name."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[object] = []

    def compose(self) -> ComposeResult:
        yield Sender()

    def on_xref_panel_case_chosen(self, event: XrefPanel.CaseChosen) -> None:
        self.seen.append(event.case_id)

    def on_target_missing(self, event: TargetMissing) -> None:
        self.seen.append(event.target)


async def test_dataclass_messages_bubble_to_their_named_handlers() -> None:
    app = Catcher()
    async with app.run_test() as pilot:
        sender = app.query_one(Sender)
        sender.post_message(XrefPanel.CaseChosen("MX-1"))  # nested: bubbles from the widget
        app.post_message(TargetMissing("Nobody"))
        await pilot.pause()
    assert sorted(app.seen) == ["MX-1", "Nobody"]
