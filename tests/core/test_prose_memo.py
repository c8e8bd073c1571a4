"""prose_segments keeps the last body's runs: asked again for the same body (a build's
cross-reference, right after the parser), it gives the same runs without splitting again."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.core.read import scan

DATA = Path(__file__).resolve().parent.parent / "data"
BODY = "# T\n\ntext `code` #tag\n```\nfenced #no\n```\nafter [[Link]]\n"


def test_the_same_runs_on_every_body_asked_twice_and_in_turn() -> None:
    bodies = [p.read_bytes().decode("utf-8", "replace") for p in sorted(DATA.rglob("*.md"))]
    assert len(bodies) > 50
    for body in bodies:
        fresh = list(scan._segments(body, 3))
        assert list(scan.prose_segments(body, 3)) == fresh
        assert list(scan.prose_segments(body, 3)) == fresh  # from the memo
        assert list(scan.prose_segments(body, 1)) == list(scan._segments(body, 1))  # another first line
    assert list(scan.prose_segments("", 0)) == [(0, "")]  # the empty body is not the empty memo


def test_the_second_ask_does_not_split_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = scan._segments
    monkeypatch.setattr(scan, "_segments", lambda body, first: calls.append(body) or real(body, first))
    body = "".join([BODY, "x"])  # a new str object
    first = list(scan.prose_segments(body, 2))
    assert list(scan.prose_segments(body, 2)) == first
    assert len(calls) == 1
    list(scan.prose_segments("".join([BODY, "x"]), 2))  # equal text, another object: split again
    assert len(calls) == 2
