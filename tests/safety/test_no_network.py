"""The suite-wide network guard works, in-process and in child processes."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import casefile_nonet
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from safety.helpers import offline_env

CONNECT = "import socket; socket.create_connection(('127.0.0.1', 9))"


def test_guard_is_on_for_the_whole_session() -> None:
    assert casefile_nonet.is_installed()


@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6])
def test_network_socket_creation_fails(family: socket.AddressFamily) -> None:
    with pytest.raises(casefile_nonet.NetworkBlockedError):
        socket.socket(family, socket.SOCK_STREAM)


def test_default_socket_fails() -> None:
    with pytest.raises(casefile_nonet.NetworkBlockedError):
        socket.socket()


def test_connection_and_lookup_fail() -> None:
    with pytest.raises(casefile_nonet.NetworkBlockedError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(casefile_nonet.NetworkBlockedError):
        socket.getaddrinfo("example.org", 443)


def test_inet_socketpair_fails_but_unix_socketpair_works() -> None:
    with pytest.raises(casefile_nonet.NetworkBlockedError):
        socket.socketpair(socket.AF_INET)
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"ok")
        assert right.recv(2) == b"ok"


def test_asyncio_event_loop_still_runs() -> None:
    assert asyncio.run(asyncio.sleep(0, result="ran")) == "ran"


class _Tiny(App[None]):
    """The smallest Textual app, to prove run_test works under the guard."""

    def compose(self) -> ComposeResult:
        yield Static("hello", id="hello")


async def test_textual_run_test_works_under_the_guard() -> None:
    app = _Tiny()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "hello" in str(app.query_one("#hello", Static).render())
    assert casefile_nonet.is_installed()


def test_child_process_inherits_the_guard() -> None:
    done = subprocess.run([sys.executable, "-c", CONNECT], env=offline_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "NetworkBlockedError" in done.stderr
