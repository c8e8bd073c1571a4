"""The word index of a new map: sorted runs on disk, merged straight into its file."""

from __future__ import annotations

import marshal
from array import array
from pathlib import Path

from casefile.core import spill
from casefile.core.spill import Runs
from casefile.core.xref import words_file
from casefile.core.xref.words import FILE_NAME, WordIndex


def test_runs_merge_every_key_once_in_order_with_values_in_run_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(spill, "RUN_CHUNK", 2)
    runs = Runs(tmp_path)
    runs.add([("b", 1), ("d", 2), ("e", 3)])
    runs.add([("a", 4), ("d", 5)])
    runs.add([("d", 6), ("z", 7)])
    assert list(runs.merged()) == [("a", [4]), ("b", [1]), ("d", [2, 5, 6]), ("e", [3]), ("z", [7])]
    assert runs.find(["d", "z", "c", "0"]) == {"d": [2, 5, 6], "z": [7]}
    runs.close()


def build(directory: Path | None, runs_dir: Path | None, folds: list[dict[str, tuple[str, ...]]]) -> WordIndex:
    """A new word index given `folds` of pending words."""
    index = WordIndex(directory, runs_dir)
    for pending in folds:
        index.add(pending)
    return index


FOLDS = [{"a.md": ("ana", "perez"), "b.md": ("nothing",)}, {"c.md": ("ana", "perez", "spoke")},
         {"d.md": ("perez",), "e.md": ("ana", "zeta")}]


def test_a_map_built_in_runs_answers_and_writes_what_one_held_in_memory_does(tmp_path: Path) -> None:
    held, runs = build(None, None, FOLDS), build(None, tmp_path, FOLDS)
    for keys in (["ana perez"], ["zeta", "nothing"], ["ana"], ["nobody"]):
        assert runs.candidates(keys, {"c.md"}, {}) == held.candidates(keys, {"c.md"}, {})
    assert runs.candidates(["ana perez"], set(), {}) == {"a.md", "c.md"}
    assert not runs._postings  # nothing of the map is held
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    held.write(tmp_path / "one")
    runs.write(tmp_path / "two")
    assert words_file.read(tmp_path / "one" / FILE_NAME) == words_file.read(tmp_path / "two" / FILE_NAME)
    again = WordIndex(tmp_path / "two")
    assert again.candidates(["ana perez"], set(), {"f.md": ("ana", "perez")}) == {"a.md", "c.md", "f.md"}


def test_a_map_file_of_format_1_is_still_read(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(marshal.dumps(
        {"format": 1, "paths": ["a.md", "b.md"], "postings": {"ana": array("I", [0, 1]).tobytes()}}))
    assert WordIndex(tmp_path).candidates(["ana"], {"b.md"}, {}) == {"a.md"}


def test_a_damaged_map_file_reads_as_empty(tmp_path: Path) -> None:
    build(None, None, FOLDS).write(tmp_path)
    data = (tmp_path / FILE_NAME).read_bytes()
    (tmp_path / FILE_NAME).write_bytes(data[:10] + data[-12:])
    assert words_file.read(tmp_path / FILE_NAME) is None
    assert WordIndex(tmp_path).candidates(["ana"], set(), {}) == set()
