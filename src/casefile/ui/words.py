"""Key descriptions and Textual's own commands in the user's language.

Bindings are declared once, at import, with their English description (the catalog's
msgid: the extractor reads `Binding(key, action, "Description")`). Textual's footer and
key panel read a screen's `active_bindings`; `TranslatedBindings` hands them copies whose
description is translated, so a language chosen after import (the tests) still shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from casefile.core.wording import N_, _

TEXTUAL_WORDS = (
    N_("palette"), N_("Open the command palette"),
    N_("Theme"), N_("Change the current theme"), N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
)
"""Textual's own descriptions that reach the screen (its palette key and system commands)."""

TASKS = {"refresh": N_("Indexing"), "search": N_("Search"), "more": N_("Search"), "case": N_("Reading a case"),
         "entity": N_("Reading an entity"), "entities": N_("Reading the entities"),
         "problems": N_("Reading the problems"), "follow": N_("Following a link"),
         "case-xref": N_("Reading a cross-reference")}
"""What each worker does, for the title of its failure."""
SOME_TASK = N_("A task")


def task_name(worker: str | None) -> str:
    """What a worker of that name does, in the user's language (for its failure's title)."""
    return _(TASKS.get(worker or "", SOME_TASK))


def translated(binding: Binding) -> Binding:
    """`binding` with its description and tooltip in the user's language."""
    return replace(binding, description=_(binding.description), tooltip=_(binding.tooltip))


class TranslatedBindings:
    """Mixin for a Screen: its active bindings carry translated descriptions."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, each description in the user's language."""
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        return {key: item._replace(binding=translated(item.binding), tooltip=_(item.tooltip))
                for key, item in active.items()}


def translated_commands(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's palette commands with their title and help in the user's language."""
    for command in commands:
        yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)


def described(bindings: Iterable[Any]) -> list[Binding]:
    """Bindings (tuples or Binding) with translated descriptions, for the help screen."""
    return [translated(binding) for binding in Binding.make_bindings(bindings)]


class MainScreen(TranslatedBindings, Screen[object]):
    """The app's default screen, its footer in the user's language."""
