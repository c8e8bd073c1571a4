"""casefile's own entries in the command palette (Ctrl+P); each runs an app action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Search", "Put the cursor in the search bar", "focus_search"),
    ("Sort by date", "Newest cases first", "sort('date')"),
    ("Sort by relevance", "Best matches first", "sort('relevance')"),
    ("Tag list", "Show or hide the tags of the current results", "toggle_tags"),
    ("Cross-reference pane", "Show or hide entities, backlinks and related cases", "toggle_xref"),
    ("Entity browser", "All entities by type, with counts", "entities"),
    ("Show problems", "Files of the case folder with errors or warnings", "problems"),
    ("Open case in editor", "Edit the current case in $EDITOR, then refresh", "edit"),
    ("Refresh index", "Look for added, changed and removed files now", "refresh_index"),
    ("Rebuild index", "Index the whole folder again from scratch", "rebuild_index"),
    ("Keys and query help", "The help screen", "help"),
)
"""(name, help, app action) of every command."""


class CasefileCommands(Provider):
    """Offers `COMMANDS`, fuzzy-matched on their names."""

    async def discover(self) -> Hits:
        """All commands, for the empty palette."""
        for name, help_text, action in COMMANDS:
            yield DiscoveryHit(name, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose name matches `query`."""
        matcher = self.matcher(query)
        for name, help_text, action in COMMANDS:
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), self._runner(action), help=help_text)

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        """A callback that runs `action` on the app."""

        async def run() -> None:
            await self.app.run_action(action)

        return run
