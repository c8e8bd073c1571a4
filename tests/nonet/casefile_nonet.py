"""Make network sockets impossible in this interpreter (tests only).

Only AF_UNIX sockets may be created: asyncio's event loop needs a Unix socket pair
for its self-pipe, and nothing else in casefile has any reason to open a socket.
Host-name lookups fail too, so not even a DNS query can leave the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

_REAL_SOCKET = socket.socket
_ALLOWED_FAMILIES = {socket.AF_UNIX}


class NetworkBlockedError(RuntimeError):
    """Raised when code tries to open a network socket while the guard is on.

    A RuntimeError, not an OSError, so that no `except OSError` fallback can hide it.
    """


class GuardedSocket(_REAL_SOCKET):  # type: ignore[misc, valid-type]
    """`socket.socket` that refuses every family but AF_UNIX."""

    def __init__(self, family: Any = -1, type: Any = -1, proto: int = -1,
                 fileno: int | None = None) -> None:
        if fileno is None and family not in _ALLOWED_FAMILIES:
            raise NetworkBlockedError(f"network socket refused (family {family!r})")
        super().__init__(family, type, proto, fileno)
        if self.family not in _ALLOWED_FAMILIES:
            super().close()
            raise NetworkBlockedError(f"network socket refused (family {self.family!r})")


def _refuse(name: str) -> Callable[..., Any]:
    """A stand-in for a socket function that always refuses."""

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlockedError(f"socket.{name} refused: casefile must never use the network")

    return refused


_REAL_SOCKETPAIR = socket.socketpair


def _socketpair(family: Any = None, type: Any = socket.SOCK_STREAM, proto: int = 0) -> Any:
    """`socket.socketpair` for AF_UNIX only."""
    family = socket.AF_UNIX if family is None else family
    if family not in _ALLOWED_FAMILIES:
        raise NetworkBlockedError(f"socketpair refused (family {family!r})")
    return _REAL_SOCKETPAIR(family, type, proto)


PATCHES: dict[str, Any] = {
    "socket": GuardedSocket,
    "socketpair": _socketpair,
    "create_connection": _refuse("create_connection"),
    "create_server": _refuse("create_server"),
    "getaddrinfo": _refuse("getaddrinfo"),
    "gethostbyname": _refuse("gethostbyname"),
    "gethostbyname_ex": _refuse("gethostbyname_ex"),
    "gethostbyaddr": _refuse("gethostbyaddr"),
}


def install() -> Callable[[], None]:
    """Patch the socket module; return a function that undoes it."""
    saved = {name: getattr(socket, name) for name in PATCHES}
    for name, value in PATCHES.items():
        setattr(socket, name, value)

    def undo() -> None:
        for name, value in saved.items():
            setattr(socket, name, value)

    return undo


def is_installed() -> bool:
    """True while the guard is on."""
    return socket.socket is GuardedSocket
