"""`casefile --selftest`: prove on this machine, on hostile input, what casefile promises.

It makes an owner-only temporary folder, snapshots your case folder when there is one
(`--cases`, $CASEFILE_DIR, ./cases), and starts a checking process (casefile.selftest.child)
that has the kernel refuse network sockets and writes outside that folder, watches every
socket call and write with an audit hook, and runs the whole product there: samples and a hostile sample written to the
folder, the disk index built by worker processes, search, every command, the reader
headless. Then it proves your folder unchanged, removes its folder (only after finding
its own marker in it), and prints one PASS/FAIL/SKIP line per check saying what was proved.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casefile.cli.output import emit
from casefile.config import SAMPLE_CASES, Config
from casefile.core.model import CasefileError
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, decimal, number
from casefile.selftest import Outcome, recorded
from casefile.selftest.snapshot import Entry, differences, snapshot

MARKER = ".casefile-selftest"
"""A file holding a random token: the folder is removed only when it holds the one written."""
CHILD_TIMEOUT = 600


def run_selftest(config: Config) -> int:
    """Run every check, print the table; 0 when none failed."""
    started = time.perf_counter()
    user = None if config.cases_dir == SAMPLE_CASES.resolve() else config.cases_dir
    _refuse_to_write(config, user)
    root = Path(tempfile.mkdtemp(prefix="casefile-selftest-")).resolve()
    token = _mark(root)
    outcomes = [_owner_only(root)]
    before = snapshot(user) if user is not None else None
    try:
        outcomes += _check(root, config.max_file_bytes, user)
    finally:
        after = snapshot(user) if user is not None else None
        outcomes.append(remove_own(root, token))
    if user is not None and before is not None and after is not None:
        outcomes.insert(-1, _unchanged(user, before, after))
    return _print(outcomes, time.perf_counter() - started)


def _refuse_to_write(config: Config, user: Path | None) -> None:
    """Stop before writing when the user asked for no disk writes or the temp folder is theirs."""
    if config.in_memory:
        raise CasefileError(_("the self-test writes a temporary folder (and removes it): "
                              "run it without --no-disk-index (or CASEFILE_NO_DISK_INDEX)"))
    temp = Path(tempfile.gettempdir()).resolve()
    if user is not None and temp.is_relative_to(user):
        raise CasefileError(_("the temporary folder {folder} is inside the case folder: set TMPDIR elsewhere")
                            .format(folder=temp))


def _mark(root: Path) -> str:
    """Write the marker that proves the folder is the self-test's own."""
    token = secrets.token_hex(16)
    (root / MARKER).write_text(token, encoding="ascii")
    return token


def _owner_only(root: Path) -> Outcome:
    """The temporary folder must be readable by its owner only."""
    mode = stat.S_IMODE(root.stat().st_mode)
    status = "FAIL" if mode & 0o077 else "PASS"
    return Outcome("temporary folder", status, f"{root} created with mode {oct(mode)}")


def _check(root: Path, max_bytes: int, user: Path | None) -> list[Outcome]:
    """Run the checking process; its outcomes, and a failure if it did not finish."""
    command = [sys.executable, "-B", "-m", "casefile.selftest.child", str(root), str(max_bytes)]
    try:
        done = subprocess.run([*command, *([str(user)] if user else [])], env=_child_env(root),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [*recorded(root), Outcome("checking process", "FAIL", f"did not finish in {CHILD_TIMEOUT} s")]
    outcomes = recorded(root)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        outcomes.append(Outcome("checking process", "FAIL",
                                f"exited with status {done.returncode}: {clean_line(last)[:200]}"))
    return outcomes


def _child_env(root: Path) -> dict[str, str]:
    """The checking process's environment: no casefile setting of the user's, no config file."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEFILE_")}
    env["CASEFILE_CONFIG"] = str(root / "no-config.toml")  # never created: defaults only
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _unchanged(user: Path, before: dict[str, Entry], after: dict[str, Entry]) -> Outcome:
    """Your folder holds the same entries, metadata and bytes as before."""
    changed = differences(before, after)
    if changed:
        return Outcome("your folder unchanged", "FAIL", f"{len(changed)} change(s): {'; '.join(changed[:3])}")
    files = sum(1 for entry in after.values() if entry[5])
    return Outcome("your folder unchanged", "PASS", f"{len(after)} entries of {user} ({files} files hashed): "
                   "same mode, size, mtime, ctime, inode and SHA-256 before and after")


def remove_own(root: Path, token: str) -> Outcome:
    """Remove the temporary folder, only when it still holds this run's marker."""
    try:
        mine = (root / MARKER).read_text(encoding="ascii") == token
    except OSError:
        mine = False
    if not mine:
        return Outcome("temporary folder removed", "FAIL", f"{root} left in place: its marker is not ours")
    shutil.rmtree(root)  # removes symbolic links, never follows them
    if root.exists():
        return Outcome("temporary folder removed", "FAIL", f"{root} is still there")
    return Outcome("temporary folder removed", "PASS", f"{root} and all it held removed (marker checked)")


def _print(outcomes: list[Outcome], seconds: float) -> int:
    """Print the table and the summary; 0 when no check failed."""
    for outcome in outcomes:
        emit(f"{outcome.status}  {outcome.name:<30} {outcome.detail}")
    failed = sum(o.status == "FAIL" for o in outcomes)
    skipped = sum(o.status == "SKIP" for o in outcomes)
    emit("selftest: " + _("{passed} passed, {failed} failed, {skipped} skipped in {seconds} s").format(
        passed=number(len(outcomes) - failed - skipped), failed=number(failed), skipped=number(skipped),
        seconds=decimal(seconds)))
    return 1 if failed else 0
