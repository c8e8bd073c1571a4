"""`casefile --selftest`: passes offline, writes nothing, and fails loudly when a flow misbehaves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.cli.sandbox import Refused, Sandbox
from casefile.core.archive import Archive
from safety.helpers import forbidden_in, offline_env


def empty_dirs(tmp_path: Path) -> dict[str, Path]:
    """Fresh, empty HOME / cache / config / temp folders for a child process."""
    dirs = {name: tmp_path / name for name in ("home", "cache", "config", "tmp", "data")}
    for path in dirs.values():
        path.mkdir()
    return dirs


def test_selftest_passes_offline_and_writes_nothing(tmp_path: Path) -> None:
    dirs = empty_dirs(tmp_path)
    env = offline_env(HOME=str(dirs["home"]), XDG_CACHE_HOME=str(dirs["cache"]),
                      XDG_CONFIG_HOME=str(dirs["config"]), XDG_DATA_HOME=str(dirs["data"]),
                      TMPDIR=str(dirs["tmp"]), PYTHONDONTWRITEBYTECODE="")
    done = subprocess.run([sys.executable, "-m", "casefile", "--selftest"], env=env, cwd=dirs["home"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout and done.stdout.count("PASS") >= 8
    assert forbidden_in(done.stdout + done.stderr) == []
    assert {name: sorted(os.listdir(path)) for name, path in dirs.items()} == {name: [] for name in dirs}


def test_sandbox_refuses_and_counts(tmp_path: Path) -> None:
    with Sandbox() as sandbox:
        with pytest.raises(Refused):
            open(tmp_path / "x", "w")  # noqa: SIM115
        with pytest.raises(Refused):
            (tmp_path / "d").mkdir()
        with pytest.raises(Refused):
            os.open(tmp_path / "y", os.O_WRONLY | os.O_CREAT)
        with pytest.raises(Refused):
            socket.create_connection(("127.0.0.1", 9))
        left, right = socket.socketpair()  # AF_UNIX stays allowed for asyncio
        left.close()
        right.close()
    assert len(sandbox.write_attempts) == 3 and len(sandbox.network_attempts) == 1
    assert os.listdir(tmp_path) == []
    (tmp_path / "after").write_text("allowed again", encoding="utf-8")


def test_selftest_fails_when_a_flow_tries_the_network(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    real_refresh = Archive.refresh

    def phoning_home(self: Archive, *args: object, **kwargs: object) -> object:
        try:
            socket.create_connection(("telemetry.example", 443), timeout=1)
        except OSError:
            pass  # the kind of silent fallback the self-test must still catch
        return real_refresh(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "refresh", phoning_home)
    assert main(["--selftest"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  no network attempt" in out and "socket.create_connection" in out


def test_selftest_fails_when_a_flow_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    real_refresh = Archive.refresh

    def leaving_a_trace(self: Archive, *args: object, **kwargs: object) -> object:
        try:
            (tmp_path / "trace.log").write_text("opened a case", encoding="utf-8")
        except OSError:
            pass
        return real_refresh(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "refresh", leaving_a_trace)
    assert main(["--selftest"]) == 1
    assert "FAIL  nothing written to disk" in capsys.readouterr().out
    assert not (tmp_path / "trace.log").exists()
