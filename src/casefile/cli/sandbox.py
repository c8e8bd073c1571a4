"""In-process guards for `casefile --selftest`: no network socket, no file written.

While a `Sandbox` is active, creating any socket but an AF_UNIX one, looking up a
host name, opening a file for writing, creating, renaming or removing a file or
folder all fail, and every attempt is counted, so the self-test can show that none
of casefile's flows even tried (an attempt that some code caught still counts).
"""

from __future__ import annotations

import builtins
import io
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WRITE_MODES = set("wax+")
_FS_CHANGES = ("mkdir", "makedirs", "rename", "replace", "remove", "unlink", "rmdir",
               "symlink", "link", "truncate")
_LOOKUPS = ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
            "gethostbyname_ex", "gethostbyaddr")


class Refused(PermissionError):
    """An operation the sandbox does not allow."""


@dataclass
class Sandbox:
    """Context manager that blocks and counts network and write attempts."""

    network_attempts: list[str] = field(default_factory=list)
    write_attempts: list[str] = field(default_factory=list)
    _saved: list[tuple[Any, str, Any]] = field(default_factory=list)

    def __enter__(self) -> Sandbox:
        self._saved_bytecode = sys.dont_write_bytecode
        sys.dont_write_bytecode = True  # importing a module must not write a .pyc either
        self._patch(socket, "socket", self._guarded_socket_class())
        for name in _LOOKUPS:
            self._patch(socket, name, self._refuse(self.network_attempts, f"socket.{name}"))
        self._patch(builtins, "open", self._guarded_open(builtins.open))
        self._patch(io, "open", self._guarded_open(io.open))
        self._patch(os, "open", self._guarded_os_open(os.open))
        for name in _FS_CHANGES:
            self._patch(os, name, self._refuse(self.write_attempts, f"os.{name}"))
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for owner, name, value in reversed(self._saved):
            setattr(owner, name, value)
        self._saved.clear()
        sys.dont_write_bytecode = self._saved_bytecode

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        """Replace `owner.name`, remembering the original."""
        self._saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    @staticmethod
    def _refuse(attempts: list[str], what: str) -> Callable[..., Any]:
        """A stand-in that records the attempt and refuses it."""

        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(what)
            raise Refused(f"{what} is not allowed during the self-test")

        return refused

    def _guarded_socket_class(self) -> type:
        """`socket.socket` that only allows AF_UNIX (asyncio's self-pipe needs it)."""
        attempts = self.network_attempts
        real = socket.socket

        class GuardedSocket(real):  # type: ignore[misc, valid-type]
            def __init__(self, family: Any = -1, type: Any = -1, proto: int = -1,
                         fileno: int | None = None) -> None:
                if fileno is None and family != socket.AF_UNIX:
                    attempts.append(f"socket(family={family})")
                    raise Refused("network sockets are not allowed during the self-test")
                super().__init__(family, type, proto, fileno)

        return GuardedSocket

    def _guarded_open(self, real: Callable[..., Any]) -> Callable[..., Any]:
        """`open` that refuses write modes on paths (already open descriptors are fine)."""
        attempts = self.write_attempts

        def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if not isinstance(file, int) and _WRITE_MODES & set(mode):
                attempts.append(f"open(mode={mode!r})")
                raise Refused("writing files is not allowed during the self-test")
            return real(file, mode, *args, **kwargs)

        return guarded

    def _guarded_os_open(self, real: Callable[..., int]) -> Callable[..., int]:
        """`os.open` that refuses write flags."""
        attempts = self.write_attempts

        def guarded(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & _WRITE_FLAGS:
                attempts.append("os.open(write)")
                raise Refused("writing files is not allowed during the self-test")
            return real(path, flags, *args, **kwargs)

        return guarded
