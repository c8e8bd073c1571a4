"""One file naming thousands of entities costs bounded work in `graph`, `xref` and `check` (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.read.parse import MAX_COOCCURRING

PEOPLE = 400
"""Well past the cap; without it the graph holds 79,800 pairs from this one file."""
CAPPED_PAIRS = MAX_COOCCURRING * (MAX_COOCCURRING - 1) // 2


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def listing(count: int) -> str:
    """A case listing `count` people in its front matter."""
    names = "".join(f"    - Person {n}\n" for n in range(count))
    return f"---\nid: LIST\nentities:\n  person:\n{names}---\n\n# A long list\n\nText.\n"


def linking(count: int) -> str:
    """A case linking `count` different names, ten per line."""
    lines = (" ".join(f"[[x{n}]]" for n in range(start, start + 10)) for start in range(0, count, 10))
    return "# Many names\n\n" + "\n".join(lines) + "\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "list.md").write_text(listing(PEOPLE), encoding="utf-8")
    (cases / "links.md").write_text(linking(PEOPLE), encoding="utf-8")
    pages = cases / "entities"  # the linked names are real entities (a dangling name is none)
    pages.mkdir()
    for n in range(PEOPLE):
        (pages / f"x{n}.md").write_text(f"---\ntype: thing\nname: x{n}\n---\n", encoding="utf-8")
    (cases / "small.md").write_text("---\nid: SMALL\nentities:\n  person: [Person 0, Person 399]\n---\n# S\n",
                                    encoding="utf-8")
    return cases


def test_graph_counts_a_bounded_number_of_entities_per_file(capsys, folder: Path) -> None:
    graph = run_json(capsys, "graph", "--no-disk-index", "--cases", str(folder))
    pairs = {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}
    assert len(pairs) == 2 * CAPPED_PAIRS + 1  # two capped files, and the small file's own pair
    assert pairs[("Person 0", "Person 1")] == 1
    assert pairs[("Person 0", "Person 399")] == 1  # from the small file only: 399 is past the cap
    assert ("entities/x0.md", "entities/x1.md") in pairs and not any("x399" in pair for pair in pairs)  # pages: paths
    assert len(graph["nodes"]) >= 2 * PEOPLE  # every entity is still a node


def test_xref_cooccurrence_uses_the_same_cap(capsys, folder: Path) -> None:
    entity = run_json(capsys, "xref", "Person 0", "--json", "--no-disk-index", "--cases", str(folder))
    counts = {c["name"]: c["count"] for c in entity["cooccurring"]}
    assert len(counts) == MAX_COOCCURRING  # 99 from the list, Person 399 from the small file
    assert counts["Person 1"] == 1 and counts["Person 399"] == 1
    last = run_json(capsys, "xref", "Person 399", "--json", "--no-disk-index", "--cases", str(folder))
    assert [c["name"] for c in last["cooccurring"]] == ["Person 0"]


def test_check_warns_where_the_cap_is_passed(capsys, folder: Path) -> None:
    report = run_json(capsys, "check", "--json", "--no-disk-index", "--cases", str(folder))
    found = {(w["path"], w["line"]) for w in report["warnings"] if w["code"] == "too-many-entities"}
    assert found == {("list.md", 1), ("links.md", 3 + MAX_COOCCURRING // 10)}
