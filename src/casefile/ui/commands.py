"""The command palette (Ctrl+P): casefile's own commands, and which of Textual's it keeps.

Textual's palette also offers "Screenshot", which saves the screen (a case) as an SVG
in ~/Downloads: casefile writes nothing but its index, so that command is dropped and
every path that delivers a file or opens a URL is refused in `SealedApp`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

from textual.app import App, SystemCommand
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.theme import ThemeProvider

from casefile.core.wording import N_, _
from casefile.ui.words import translated_commands

KEPT_SYSTEM_COMMANDS = frozenset({"Theme", "Quit", "Keys", "Maximize", "Minimize"})
"""Textual's palette commands that change only the screen (a theme is never saved)."""
REFUSED = N_("casefile writes no files and opens no links.")

COMMANDS: tuple[tuple[str, str, str], ...] = (
    (N_("Search"), N_("Put the cursor in the search bar"), "focus_search"),
    (N_("Sort by date"), N_("Newest cases first"), "sort('date')"),
    (N_("Sort by relevance"), N_("Best matches first"), "sort('relevance')"),
    (N_("Tag list"), N_("Show or hide the tags of the current results"), "toggle_tags"),
    (N_("Cross-reference pane"), N_("Show or hide entities, backlinks and related cases"), "toggle_xref"),
    (N_("Entity browser"), N_("All entities by type, with counts"), "entities"),
    (N_("Show problems"), N_("Files of the case folder with errors or warnings"), "problems"),
    (N_("Open case in editor"), N_("Edit the current case in $EDITOR, then refresh"), "edit"),
    (N_("Refresh index"), N_("Look for added, changed and removed files now"), "refresh_index"),
    (N_("Rebuild index"), N_("Index the whole folder again from scratch"), "rebuild_index"),
    (N_("Keys and query help"), N_("The help screen"), "help"),
)
"""(name, help, app action) of every command."""


class CasefileCommands(Provider):
    """Offers `COMMANDS`, fuzzy-matched on their names."""

    async def discover(self) -> Hits:
        """All commands, for the empty palette."""
        for name, help_text, action in COMMANDS:
            yield DiscoveryHit(_(name), self._runner(action), help=_(help_text))

    async def search(self, query: str) -> Hits:
        """Commands whose name matches `query`."""
        matcher = self.matcher(query)
        for name, help_text, action in COMMANDS:
            if (score := matcher.match(_(name))) > 0:
                yield Hit(score, matcher.highlight(_(name)), self._runner(action), help=_(help_text))

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        """A callback that runs `action` on the app."""

        async def run() -> None:
            await self.app.run_action(action)

        return run


class SealedApp(App[int]):
    """An App whose palette keeps only `KEPT_SYSTEM_COMMANDS` and which never writes or opens."""

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands minus those that write a file (Screenshot), in the user's language."""
        return translated_commands(c for c in super().get_system_commands(screen) if c.title in KEPT_SYSTEM_COMMANDS)

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the user's language."""
        app = cast("App[object]", self)  # is_open is typed for App[object]; an App is invariant in its result
        if self.use_command_palette and not CommandPalette.is_open(app):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        """Textual's theme picker, its prompt in the user's language."""
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def _refuse(self) -> None:
        """Say why nothing happened."""
        self.notify(_(REFUSED), severity="warning", markup=False)

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        """Refused (Textual calls it when $TEXTUAL_SCREENSHOT is set)."""
        self._refuse()
        return ""

    def deliver_text(self, path_or_file: str | Path | TextIO, **_options: Any) -> str | None:
        """Refused: a screenshot or export would land in ~/Downloads."""
        self._refuse()
        return None

    def deliver_binary(self, path_or_file: str | Path | BinaryIO, **_options: Any) -> str | None:
        """Refused, as `deliver_text`."""
        self._refuse()
        return None

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Refused: a URL is shown, never opened (see ExternalLinkScreen)."""
        self._refuse()
