"""Every command over the hostile folder, as a child process with the network blocked.

No crash (exit 0/1, or 2 for "not found"; never a traceback), every hostile file
named by `check`, the good files still found, not one control character (but newline
and tab) in any output, and never a byte of the file outside the folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from safety import hostile
from safety.helpers import forbidden_in, offline_env

DRIVE = Path(__file__).resolve().parent / "drive.py"


@dataclass(frozen=True)
class Run:
    """One command line and what it did."""

    argv: list[str]
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The hostile folder, an index folder, and empty HOME / cache / temp folders."""
    base = tmp_path_factory.mktemp("e2e")
    places = {name: base / name for name in ("home", "cache", "config", "tmp", "index")}
    for path in places.values():
        path.mkdir()
    places["cases"] = hostile.build(base / "cases", base / "outside")
    yield places


def env_for(world: dict[str, Path]) -> dict[str, str]:
    """An offline environment whose every user folder is an empty temporary one."""
    return offline_env(HOME=str(world["home"]), XDG_CACHE_HOME=str(world["cache"]),
                       XDG_CONFIG_HOME=str(world["config"]), TMPDIR=str(world["tmp"]),
                       CASEFILE_CONFIG=str(world["config"] / "none.toml"), NO_COLOR="1")


def decode(data: bytes) -> str:
    """Output as text; invalid UTF-8 (a stray 0x9b byte, say) fails the test."""
    return data.decode("utf-8", errors="strict")


def cli(world: dict[str, Path], *args: str) -> Run:
    """`python -m casefile ARGS` in a fresh, offline process."""
    done = subprocess.run([sys.executable, "-m", "casefile", *args], env=env_for(world),
                          cwd=world["home"], capture_output=True, timeout=120)
    return Run(list(args), done.returncode, decode(done.stdout), decode(done.stderr))


def cli_many(world: dict[str, Path], argvs: list[list[str]]) -> list[Run]:
    """Several command lines in one fresh, offline process (see drive.py)."""
    done = subprocess.run([sys.executable, str(DRIVE), json.dumps(argvs)], env=env_for(world),
                          cwd=world["home"], capture_output=True, timeout=300)
    out, err = decode(done.stdout), decode(done.stderr)
    assert done.returncode == 0 and "=== codes ===" in out, err[-3000:]
    codes = json.loads(out.rsplit("=== codes === ", 1)[1])
    outs = out.rsplit("\n=== codes", 1)[0].split("\n=== run ")[1:]
    errs = err.rsplit("\n=== codes", 1)[0].split("\n=== run ")[1:]
    return [Run(argv, code, o.split("\n", 1)[1], e.split("\n", 1)[1])
            for argv, code, o, e in zip(argvs, codes, outs, errs, strict=True)]


def assert_safe(run: Run, codes: tuple[int, ...] = (0, 1)) -> None:
    """No crash, no control character, nothing from outside the folder."""
    text = run.out + run.err
    assert run.code in codes, (run.argv, run.code, run.err[-2000:])
    assert "Traceback" not in run.err and "internal error" not in run.err, (run.argv, run.err[-2000:])
    assert forbidden_in(text) == [], run.argv
    assert hostile.SECRET not in text, run.argv


@pytest.fixture(scope="module", params=["memory", "disk"])
def where(request: pytest.FixtureRequest, world: dict[str, Path]) -> list[str]:
    """Both ways of keeping the index: in memory, and in a temporary folder."""
    base = ["--cases", str(world["cases"])]
    return base + (["--no-disk-index"] if request.param == "memory" else ["--index", str(world["index"])])


def test_check_names_every_hostile_file(world: dict[str, Path], where: list[str]) -> None:
    run = cli(world, "check", "--json", *where)
    assert_safe(run)
    assert run.code == 1  # some hostile files are errors
    report = json.loads(run.out)
    found: dict[str, set[str]] = {}
    for problem in report["errors"] + report["warnings"]:
        found.setdefault(problem["path"], set()).add(problem["code"])
    missing = {path: sorted(codes - found.get(path, set()))
               for path, codes in hostile.EXPECTED.items() if not codes <= found.get(path, set())}
    assert missing == {}
    assert not {"good-en.md", "good-es.md"} & found.keys()


def test_check_text_output_is_clean(world: dict[str, Path]) -> None:
    run = cli(world, "check", "--cases", str(world["cases"]), "--no-disk-index")
    assert_safe(run)
    assert all(path in run.out for path in hostile.EXPECTED)


def test_search_still_finds_the_good_files(world: dict[str, Path], where: list[str]) -> None:
    argvs = [["search", word, "--json", *where] for word in hostile.GOOD.values()]
    argvs.append(["search", "", "--json", "--limit", "500", *where])
    runs = cli_many(world, argvs)
    for run in runs:
        assert_safe(run)
    for (case_id, _word), run in zip(hostile.GOOD.items(), runs, strict=False):
        assert case_id in [hit["id"] for hit in json.loads(run.out)["results"]]
    everything = {hit["path"] for hit in json.loads(runs[-1].out)["results"]}
    assert set(hostile.HANDLED_QUIETLY) <= everything  # indexed, not skipped


def on_disk(world: dict[str, Path]) -> list[str]:
    """Options for a command that uses the (shared, temporary) on-disk index."""
    return ["--cases", str(world["cases"]), "--index", str(world["index"])]


def test_hostile_queries_are_clean(world: dict[str, Path]) -> None:
    queries = ["pwned", "\x1b]0;x\x07 [bold] \u202e", "title:[ TO", "[link=file:///etc/passwd]x[/link]",
               "\x9b2J", "tag:\x1b[31m", '"unterminated', "a" * 500, "(((((((((( x"]
    for run in cli_many(world, [["search", query, *on_disk(world)] for query in queries]):
        assert_safe(run)


def test_a_lone_wildcard_query_is_not_a_crash(world: dict[str, Path]) -> None:
    assert_safe(cli(world, "search", "*", "--cases", str(world["cases"]), "--no-disk-index"))


def readable_paths(world: dict[str, Path]) -> list[str]:
    """Every Markdown file that is a case (not refused by the walk or the reader)."""
    refused = {"huge.md", "nul-bytes.md", "symlink-outside.md", "symlink-inside.md", "loop-a.md", "loop-b.md",
               "pipe.md"}
    return sorted(p.name for p in world["cases"].glob("*.md")
                  if p.name not in refused and p.name.isprintable())


def test_show_every_case_in_every_mode(world: dict[str, Path]) -> None:
    where = ["--cases", str(world["cases"]), "--index", str(world["index"])]  # indexed once
    paths = readable_paths(world)
    argvs = [["show", path, *mode, *where] for path in paths for mode in ([], ["--raw"], ["--json"])]
    for run in cli_many(world, argvs):
        assert_safe(run, codes=(0,))
        assert run.out.strip()


OUTSIDE_OR_REFUSED = ["../outside/secret.md", "outside-folder/secret.md", "symlink-outside.md", "/etc/passwd",
                      "../../../../etc/passwd", "file:///etc/passwd", "name-esc\x1b]0;pwned\x07.md",
                      "pipe.md", "loop-a.md", "huge.md", "nul-bytes.md"]


def test_show_never_reads_outside_or_refused_files(world: dict[str, Path]) -> None:
    where = on_disk(world)
    runs = cli_many(world, [["show", target, mode, *where] for target in OUTSIDE_OR_REFUSED
                            for mode in ("--raw", "--json")])
    for run in runs:
        assert_safe(run, codes=(2,))
        assert run.out == "" and run.err.count("\n") == 1


def test_xref_entities_and_graph_are_clean(world: dict[str, Path]) -> None:
    where = on_disk(world)
    argvs = [["xref", "Ríodoce", *where], ["xref", "GOOD-EN", "--json", *where],
             ["entities", "--json", *where], ["entities", "--duplicates", *where],
             ["graph", "--format", "dot", *where], ["graph", "--format", "json", *where]]
    lookups = [["xref", path.removesuffix(".md"), *where] for path in readable_paths(world)]
    lookups += [["xref", name, *where] for name in ("Ana López", "\x1b]0;x\x07", "../../etc/passwd")]
    runs = cli_many(world, argvs + lookups)
    for run in runs[:len(argvs)]:
        assert_safe(run, codes=(0,))
    for run in runs[len(argvs):]:
        assert_safe(run, codes=(0, 1))  # 1: not found (front matter gave the file another id)


def test_verify_lists_hostile_names_cleanly(world: dict[str, Path], tmp_path: Path) -> None:
    run = cli(world, "verify", "--cases", str(world["cases"]), "--json")
    assert_safe(run, codes=(0,))
    assert len(json.loads(run.out)["files"]) >= len(os.listdir(world["cases"])) - 3
