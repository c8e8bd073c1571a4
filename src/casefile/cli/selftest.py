"""`casefile --selftest`: prove on this machine that casefile works offline and writes nothing.

Inside a `Sandbox` (network sockets and file writes refused and counted) it indexes
the bundled sample cases in memory, searches them, renders a case, builds the
cross-reference, parses and sanitizes hostile samples generated in memory, then
prints one PASS/FAIL line per check. Nothing is written anywhere, not even a .pyc.
"""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casefile.cli.output import emit
from casefile.cli.sandbox import Refused, Sandbox
from casefile.config import SAMPLE_CASES, Config
from casefile.core.model import Case
from casefile.core.sanitize import clean, is_clean

_HOSTILE = (
    "---\n"
    'title: "\\e]0;window title\\a\\e[2J\\u202eevil"\n'
    "date: 2017-13-45\n"
    "tags: surveillance\n"
    "x: !!python/object/apply:os.system ['echo pwned']\n"
    "---\n"
    "# \x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\ \x9b31mred\x1b]52;c;cHduZWQ=\x07\n"
    "[[\x1b[31mTarget]] [up](../../../etc/passwd) [disk](file:///etc/passwd) [link=x] [/bold]\n"
)
_ALIAS_BOMB = "---\na: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]\n---\n"


@dataclass
class Outcome:
    """One line of the table."""

    name: str
    passed: bool
    detail: str


class _State:
    """What the checks share: the sandbox, the in-memory archive and the case they found."""

    def __init__(self, config: Config, sandbox: Sandbox) -> None:
        self.config = config
        self.sandbox = sandbox
        self.archive: Any = None
        self.case: Case | None = None


def run_selftest(config: Config) -> int:
    """Run every check in the sandbox, print the table; 0 when all pass."""
    outcomes: list[Outcome] = []
    with Sandbox() as sandbox:
        state = _State(config, sandbox)
        for name, check in _CHECKS:
            outcomes.append(_run_one(name, check, state))
        if state.archive is not None:
            state.archive.close()
    outcomes.append(Outcome("no network attempt", not sandbox.network_attempts,
                            ", ".join(sandbox.network_attempts) or "0 attempts"))
    outcomes.append(Outcome("nothing written to disk", not sandbox.write_attempts,
                            ", ".join(sandbox.write_attempts) or "0 attempts"))
    for outcome in outcomes:
        emit(f"{'PASS' if outcome.passed else 'FAIL'}  {outcome.name:<28} {outcome.detail}")
    failed = sum(not o.passed for o in outcomes)
    emit(f"selftest: {len(outcomes) - failed} of {len(outcomes)} checks passed")
    return 1 if failed else 0


def _run_one(name: str, check: Callable[[_State], str], state: _State) -> Outcome:
    """Run one check; any exception is that check's failure, reported by type only."""
    try:
        return Outcome(name, True, check(state))
    except AssertionError as exc:
        return Outcome(name, False, clean(str(exc)))
    except Exception as exc:  # a self-test reports every failure and goes on
        return Outcome(name, False, f"error: {type(exc).__name__}")


def _network_is_blocked(state: _State) -> str:
    """A TCP socket cannot even be created."""
    before = len(state.sandbox.network_attempts)
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except Refused:
        del state.sandbox.network_attempts[before:]  # this probe is not casefile's own attempt
        return "an AF_INET socket was refused"
    raise AssertionError("an AF_INET socket could be created")


def _index_in_memory(state: _State) -> str:
    """Index the bundled samples in memory."""
    from casefile.core.archive import Archive

    state.archive = Archive.open(SAMPLE_CASES, None, state.config.max_file_bytes)
    report = state.archive.refresh()
    assert report.total > 0, "no sample case was indexed"
    return f"{report.total} sample files indexed in memory"


def _search(state: _State) -> str:
    """Search for a word of the first sample's title; it must be found."""
    first = state.archive.search("", limit=1)
    assert first.hits, "the index is empty"
    words = [w for w in re.findall(r"\w{4,}", first.hits[0].title)] or [first.hits[0].id]
    result = state.archive.search(words[0])
    assert result.total > 0, f"'{words[0]}' was not found"
    state.case = state.archive.case(result.hits[0].id)
    assert state.case is not None, "the top hit could not be read"
    return f"'{words[0]}': {result.total} hit(s)"


def _render(state: _State) -> str:
    """Render the found case as Markdown (to memory) with no control character."""
    assert state.case is not None, "no case to render"
    text = _render_markdown(state.case.body)
    assert is_clean(text), "the rendering holds control characters"
    return f"{len(text.splitlines())} lines rendered"


def _render_markdown(body: str) -> str:
    """The plain-text rendering of a Markdown body (as `casefile show` prints it without color)."""
    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, force_terminal=False,
                      highlight=False, emoji=False, markup=False)
    console.print(Markdown(clean(body), hyperlinks=False))
    return buffer.getvalue()


def _cross_reference(state: _State) -> str:
    """Build the cross-reference of the samples."""
    entities = state.archive.xref.entities()
    assert entities, "no entity found in the samples"
    return f"{len(entities)} entities"


def _hostile_sample(state: _State) -> str:
    """A hostile file parses to clean data with its problems named."""
    from casefile.core.parse import parse_case

    case, problems = parse_case(_HOSTILE, "hostile.md")
    strings = [case.title, case.body, case.id, *case.tags, *(link.target for link in case.links)]
    assert all(is_clean(s) for s in strings), "a control character survived parsing"
    assert is_clean(_render_markdown(case.body)), "a control character survived rendering"
    codes = {p.code for p in problems}
    assert {"front-matter-invalid", "link-outside"} <= codes, f"problems not reported: {sorted(codes)}"
    return f"{len(problems)} problem(s) named, output clean"


def _alias_bomb(state: _State) -> str:
    """An alias bomb is refused before it expands."""
    from casefile.core.parse import parse_case

    _case, problems = parse_case(_ALIAS_BOMB, "bomb.md")
    assert [p.code for p in problems] == ["front-matter-invalid"], "the alias bomb was not refused"
    return "refused"


_CHECKS: list[tuple[str, Callable[[_State], str]]] = [
    ("network sockets blocked", _network_is_blocked),
    ("index in memory", _index_in_memory),
    ("search", _search),
    ("render a case", _render),
    ("cross-reference", _cross_reference),
    ("hostile file is harmless", _hostile_sample),
    ("YAML alias bomb refused", _alias_bomb),
]
