"""The self-test's checking process: `python -m casefile.selftest.child ROOT MAX_BYTES [CASES]`.

It first blocks the network in the kernel and installs the audit hook (neither can be
undone, hence a process of its own), then runs every check against the samples it
writes into ROOT (and, read-only, against CASES), appending each outcome to
ROOT/outcomes.jsonl. The command that started it prints them.
"""

from __future__ import annotations

import _socket
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from casefile.config import Config
from casefile.core.text.sanitize import clean_line
from casefile.selftest import Outcome, record
from casefile.selftest.checks import Checking, build_with_workers, problems_located, search_finds, user_problems
from casefile.selftest.commands import run_all, sample_commands, user_commands
from casefile.selftest.guards import (
    Refused,
    Watch,
    block_network,
    confine_writes,
    kernel_refuses_inet,
    kernel_refuses_write,
)
from casefile.selftest.reader import read_headless
from casefile.selftest.sample import READABLE, write_sample

Check = Callable[[Checking], str]
USER_CASES_READ = 20
"""Cases of the user's folder the reader opens (those with problems first)."""


def main(argv: list[str]) -> int:
    """Guard this process, run every check, record the outcomes; 0 when it ran to the end."""
    root, max_bytes = Path(argv[0]), int(argv[1])
    sys.dont_write_bytecode = True  # importing must not write a .pyc outside the folder
    record(root, _kernel_outcome(block_network()))
    record(root, _confined_outcome(confine_writes(str(root)), root))
    watch = Watch(str(root))
    watch.install()
    state = Checking(root, watch, max_bytes, user=Path(argv[2]) if len(argv) > 2 else None)
    for name, check in plan(state):
        record(root, run_check(name, check, state))
    for built in state.built.values():
        built.archive.close()
    record(root, _network_outcome(watch))
    record(root, _writes_outcome(watch))
    return 0


def plan(state: Checking) -> list[tuple[str, Check]]:
    """The checks, in order (the builds first: workers are forked while one thread runs)."""
    checks: list[tuple[str, Check]] = [
        ("audit hook refuses", _hook_refuses),
        ("hostile sample written", _write_sample),
        ("disk index, worker processes", lambda s: build_with_workers(s, _cases(s), "sample")),
    ]
    if state.user is not None:
        checks.append(("your folder: index, workers", lambda s: build_with_workers(s, _user(s), "user")))
    checks += [
        ("problems named, rest indexed", problems_located),
        ("search finds hostile files", search_finds),
        ("every command, clean output", lambda s: run_all(sample_commands(), _cases(s), s.root / "index-sample")),
        ("reader, headless", _read_sample),
    ]
    if state.user is not None:
        checks += [("your folder: problems", user_problems),
                   ("your folder: commands", _user_commands),
                   ("your folder: reader", _read_user)]
    return checks


def run_check(name: str, check: Check, state: Checking) -> Outcome:
    """Run one check; an assertion is its failure, any other exception too (named, located)."""
    try:
        return Outcome(name, "PASS", check(state))
    except AssertionError as exc:
        return Outcome(name, "FAIL", clean_line(str(exc)))
    except Exception as exc:  # noqa: BLE001 - a self-test reports every failure and goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(name, "FAIL", clean_line(f"error {type(exc).__name__}: {exc} "
                                                f"({Path(where.filename).name}:{where.lineno})"))


def _kernel_outcome(why: str | None) -> Outcome:
    """Whether the kernel now refuses network sockets to this process and its children."""
    name = "network blocked by the kernel"
    if why is not None:
        return Outcome(name, "SKIP", f"{why}; the audit hook below is the only network guard")
    if not kernel_refuses_inet():
        return Outcome(name, "FAIL", "seccomp filter installed, yet an AF_INET socket was created")
    return Outcome(name, "PASS", "seccomp filter: socket() of any family but AF_UNIX fails with EACCES "
                                 "here and in every process started from here (probe: AF_INET, AF_INET6)")


def _confined_outcome(why: str | None, root: Path) -> Outcome:
    """Whether the kernel now refuses writes outside the temporary folder."""
    name = "writes confined by the kernel"
    if why is not None:
        return Outcome(name, "SKIP", f"{why}; the audit hook below is the only write guard")
    if not kernel_refuses_write(f"{root}-probe"):
        return Outcome(name, "FAIL", "Landlock rules installed, yet a file was created outside the folder")
    return Outcome(name, "PASS", f"Landlock: writing, creating or removing any file outside {root} fails "
                                 "with EACCES here and in every process started from here (probe: a "
                                 "file beside the folder refused; metadata changes: audit hook only)")


def _hook_refuses(state: Checking) -> str:
    """Probe the audit hook: a socket and a write outside the folder must be refused."""
    probe = state.root.parent / f"{state.root.name}-probe"
    state.watch.probing = True
    try:
        for attempt in (lambda: _socket.socket(socket.AF_INET, socket.SOCK_STREAM),  # the C class
                        lambda: open(probe, "w", encoding="utf-8")):  # noqa: SIM115 - closed just below
            try:
                attempt().close()
            except Refused:
                continue
            raise AssertionError("the audit hook let a probe through")
    finally:
        state.watch.probing = False
    assert not probe.exists(), "the probe file was created"
    return f"an AF_INET socket and a file opened for writing outside {state.root} were refused"


def _write_sample(state: Checking) -> str:
    """Write the bundled and the hostile samples into the temporary folder."""
    state.cases = write_sample(state.root, state.max_bytes)
    count = sum(1 for _ in state.cases.rglob("*.md"))
    hostile = sum(1 for _ in (state.cases / "hostile").iterdir())
    return f"{count} files in {state.cases}: the bundled samples and {hostile} hostile ones"


def _cases(state: Checking) -> Path:
    """The sample case folder (written by the check before)."""
    assert state.cases is not None, "no sample folder"
    return state.cases


def _user(state: Checking) -> Path:
    """The user's case folder."""
    assert state.user is not None
    return state.user


def _read_sample(state: Checking) -> str:
    """The reader over the hostile sample: every readable hostile case, the loop links."""
    config = Config(cases_dir=_cases(state).resolve(), index_dir=state.root / "index-sample",
                    max_file_bytes=state.max_bytes)
    refs = [f"hostile/{name}" for name in READABLE]
    return read_headless(config, refs, ["LOOP-B", "LOOP-A", "HOSTILE-REFS", "../../etc/passwd"])


def _user_refs(state: Checking) -> list[str]:
    """Paths of the user's cases to open: those with problems first."""
    archive = state.built["user"].archive
    troubled = dict.fromkeys(p.path for p in archive.problems())
    listed = [hit.path for hit in archive.search("", limit=USER_CASES_READ).hits]
    return list(dict.fromkeys([*troubled, *listed]))[:USER_CASES_READ]


def _user_commands(state: Checking) -> str:
    """Read-only commands over the user's folder (a few cases shown)."""
    commands = user_commands(_user_refs(state)[:5])
    return run_all(commands, _user(state), state.root / "index-user", sample=False)


def _read_user(state: Checking) -> str:
    """The reader over the user's folder: a few cases opened."""
    config = Config(cases_dir=_user(state).resolve(), index_dir=state.root / "index-user",
                    max_file_bytes=state.max_bytes)
    return read_headless(config, _user_refs(state), [])


def _network_outcome(watch: Watch) -> Outcome:
    """Whether any socket call (but AF_UNIX) was attempted during the checks."""
    if watch.network:
        return Outcome("no network attempt", "FAIL", f"{len(watch.network)} refused: {', '.join(watch.network[:4])}")
    return Outcome("no network attempt", "PASS", "the audit hook saw no socket call but "
                   f"{watch.unix_sockets} AF_UNIX socket(s) (asyncio's self-pipe) in this process")


def _writes_outcome(watch: Watch) -> Outcome:
    """Whether anything outside the temporary folder was written, created or removed."""
    name = "nothing written outside"
    if watch.outside:
        return Outcome(name, "FAIL", f"{len(watch.outside)} refused: {'; '.join(watch.outside[:3])}")
    return Outcome(name, "PASS", f"{len(watch.written)} writes, creations and removals in this process, "
                                 f"all inside {watch.root.rstrip('/')}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
