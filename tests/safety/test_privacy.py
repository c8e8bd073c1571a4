"""Nothing leaks: owner-only index files, no writes with --no-disk-index, short crash messages."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.archive.facade import Archive
from casefile.core.read import integrity
from safety.helpers import offline_env

SECRET = "CONFIDENTIAL-SOURCE-NAME"
CASE = f"---\ntitle: Protected source\ntags: [fuente]\n---\n# Protected source\n\nSource {SECRET} met us.\n"


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    (root / "2017").mkdir(parents=True)
    (root / "2017" / "source.md").write_text(CASE, encoding="utf-8")
    (root / "other.md").write_text("# Other case\n\nPeriodistas vigilados.\n", encoding="utf-8")
    return root


def user_dirs(tmp_path: Path) -> dict[str, Path]:
    """Empty HOME, XDG and temp folders, plus an empty working folder."""
    names = ("home", "cache", "config", "data", "state", "tmp", "cwd")
    dirs = {name: tmp_path / "user" / name for name in names}
    for path in dirs.values():
        path.mkdir(parents=True)
    return dirs


def child_env(dirs: dict[str, Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEFILE_", "XDG_"))}
    return offline_env(env, HOME=str(dirs["home"]), XDG_CACHE_HOME=str(dirs["cache"]),
                       XDG_CONFIG_HOME=str(dirs["config"]), XDG_DATA_HOME=str(dirs["data"]),
                       XDG_STATE_HOME=str(dirs["state"]), TMPDIR=str(dirs["tmp"]),
                       PYTHONDONTWRITEBYTECODE="1")


def casefile(dirs: dict[str, Path], *args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "casefile", *args], env=child_env(dirs), cwd=dirs["cwd"],
                          capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.umask(umask))


def modes_below(root: Path) -> dict[str, str]:
    """Relative path -> octal mode of every folder and file below `root` (root included)."""
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for directory, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(directory) / name
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def assert_owner_only(root: Path) -> None:
    modes = modes_below(root)
    wrong = {path: mode for path, mode in modes.items()
             if mode != ("0o700" if (root / path).is_dir() else "0o600")}
    assert len(modes) > 2 and wrong == {}


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_index_is_owner_only_after_index_and_after_refresh(cases: Path, tmp_path: Path, umask: int) -> None:
    dirs = user_dirs(tmp_path)
    index = tmp_path / "idx"
    done = casefile(dirs, "index", "--cases", str(cases), "--index", str(index), umask=umask)
    assert done.returncode == 0, done.stderr
    assert_owner_only(index)
    (cases / "new.md").write_text("# New case\n", encoding="utf-8")
    (cases / "other.md").write_text("# Other case, edited\n", encoding="utf-8")
    done = casefile(dirs, "search", "edited", "--cases", str(cases), "--index", str(index), umask=umask)
    assert done.returncode == 0 and "other.md" in done.stdout, done.stderr
    assert_owner_only(index)


def test_default_index_in_the_user_cache_is_owner_only(cases: Path, tmp_path: Path) -> None:
    dirs = user_dirs(tmp_path)
    done = casefile(dirs, "check", "--cases", str(cases), umask=0o000)
    assert done.returncode == 0, done.stderr
    created = [p for p in dirs["cache"].rglob("*") if p.is_dir() and any(p.iterdir())]
    index_dirs = [p for p in created if any(f.is_file() for f in p.iterdir())]
    assert index_dirs, "no index was written to the cache folder"
    for folder in index_dirs:
        assert_owner_only(folder)
    nothing_else = {name: sorted(os.listdir(path)) for name, path in dirs.items() if name != "cache"}
    assert nothing_else == {name: [] for name in nothing_else}


def test_no_disk_index_writes_nothing_anywhere(cases: Path, tmp_path: Path) -> None:
    dirs = user_dirs(tmp_path)
    before = integrity.hash_folder(cases)
    stamps = {p: p.stat().st_mtime_ns for p in cases.rglob("*")}
    for args in (["check", "--json"], ["search", "periodistas"], ["search", "fuente", "--json"],
                 ["show", "2017/source"], ["show", "2017/source", "--raw"], ["xref", "2017/source"],
                 ["entities"], ["graph"], ["verify"], ["index"]):
        done = casefile(dirs, *args, "--cases", str(cases), "--no-disk-index")
        assert done.returncode in (0, 1), (args, done.stderr)
    assert {name: sorted(os.listdir(path)) for name, path in dirs.items()} == {name: [] for name in dirs}
    assert integrity.hash_folder(cases) == before
    assert {p: p.stat().st_mtime_ns for p in cases.rglob("*")} == stamps


def boom(*args: object, **kwargs: object) -> None:
    """An internal error whose message carries file content, as a careless library might."""
    raise RuntimeError(f"failed while reading {SECRET}")


def test_a_crash_is_one_short_line_without_traceback_or_content(
        cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(Archive, "refresh", boom)
    assert main(["search", "source", "--cases", str(cases), "--no-disk-index"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "--debug" in captured.err
    assert "Traceback" not in captured.err and SECRET not in captured.err and str(cases) not in captured.err


def test_debug_lets_the_traceback_through(cases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Archive, "refresh", boom)
    with pytest.raises(RuntimeError, match=SECRET):
        main(["search", "source", "--cases", str(cases), "--no-disk-index", "--debug"])


CRASHING_CHILD = """
import sys
from casefile.core.archive.facade import Archive
def boom(*args, **kwargs):
    raise RuntimeError("failed while reading {secret}")
Archive.refresh = boom
from casefile.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("debug", [False, True])
def test_crash_in_a_real_process(cases: Path, tmp_path: Path, debug: bool) -> None:
    dirs = user_dirs(tmp_path)
    args = ["check", "--cases", str(cases), "--no-disk-index", *(["--debug"] if debug else [])]
    done = subprocess.run([sys.executable, "-c", CRASHING_CHILD.format(secret=SECRET), *args],
                          env=child_env(dirs), cwd=dirs["cwd"], capture_output=True, text=True, timeout=120)
    if debug:
        assert done.returncode == 1 and "Traceback" in done.stderr and SECRET in done.stderr
    else:
        assert done.returncode == 3 and done.stderr.count("\n") == 1
        assert "Traceback" not in done.stderr and SECRET not in done.stderr


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace shows every file a process opens")
def test_no_disk_index_opens_nothing_for_writing(cases: Path, tmp_path: Path) -> None:
    dirs = user_dirs(tmp_path)
    trace = tmp_path / "trace"
    done = subprocess.run(["strace", "-f", "-e", "trace=openat,open,creat,mkdir,mkdirat,rename,unlink",
                           "-o", str(trace), sys.executable, "-m", "casefile", "search", "source",
                           "--cases", str(cases), "--no-disk-index"],
                          env=child_env(dirs), cwd=dirs["cwd"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    writes = [line for line in trace.read_text().splitlines()
              if ("O_WRONLY" in line or "O_RDWR" in line or "O_CREAT" in line or "mkdir" in line
                  or "rename" in line or "unlink" in line) and "/dev/" not in line]
    assert writes == []
