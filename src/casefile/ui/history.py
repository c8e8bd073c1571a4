"""Back and forward history of what the reader showed: a plain class, no Textual."""

from __future__ import annotations

from typing import Generic, TypeVar

Key = TypeVar("Key")

DEFAULT_LIMIT = 500


class History(Generic[Key]):
    """A browser-style history: `push` after a new visit, `back`/`forward` to move."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._items: list[Key] = []
        self._position = -1
        self._limit = max(1, limit)

    @property
    def current(self) -> Key | None:
        """The key shown now, or None before the first visit."""
        return self._items[self._position] if self._position >= 0 else None

    @property
    def can_back(self) -> bool:
        """True when there is an earlier entry."""
        return self._position > 0

    @property
    def can_forward(self) -> bool:
        """True when `back` was used and there is a later entry."""
        return self._position < len(self._items) - 1

    def push(self, key: Key) -> None:
        """Record a new visit: drops the forward entries; a repeat of the current is ignored."""
        if self.current == key:
            return
        del self._items[self._position + 1:]
        self._items.append(key)
        if len(self._items) > self._limit:
            del self._items[0]
        self._position = len(self._items) - 1

    def back(self) -> Key | None:
        """Step back and return the key to show, or None at the start."""
        if not self.can_back:
            return None
        self._position -= 1
        return self._items[self._position]

    def forward(self) -> Key | None:
        """Step forward and return the key to show, or None at the end."""
        if not self.can_forward:
            return None
        self._position += 1
        return self._items[self._position]

    def __len__(self) -> int:
        return len(self._items)
