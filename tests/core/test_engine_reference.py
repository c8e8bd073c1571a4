"""The engine against the brute-force reference (reference.py), on random tiny bilingual
archives after random edit histories, for random queries of every kind the language
accepts; and the edited index against a fresh build of the same files."""

from __future__ import annotations

import math
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reference import Reference

from casefile.core.index import STEMMERS, everything, parse, parser, prepare, store, writing
from casefile.core.index.documents import document
from casefile.core.index.evaluate import Evaluator
from casefile.core.index.queries import new_searcher, run
from casefile.core.read.parse import parse_case

ENGLISH = ["government", "governments", "report", "reports", "rights", "right", "human", "humans", "president",
           "presidents", "surveillance", "police", "journalist", "journalists", "the", "of", "a", "evidence"]
SPANISH = ["gobierno", "gobiernos", "derechos", "derecho", "humanos", "presidente", "presidenta", "periodista",
           "periodistas", "policía", "investigación", "investigaciones", "pruebas", "de", "la", "el", "fiscalía"]
WORDS = ENGLISH + SPANISH
TAGS = ["mexico", "privacy", "spyware", "leaks"]
PEOPLE = ["Carmen Aristegui", "Peña Nieto", "Ana Lopez"]
LIMIT = 3

CORE = ["human", "rights", "humanos", "derechos", "de", "la", "government", "gobierno"]
words = st.one_of(st.sampled_from(CORE), st.sampled_from(WORDS))
"""Half of the words from a few, so phrases and proximity find something."""


@st.composite
def case_texts(draw: Any) -> str:
    """The Markdown of one small case: front matter of any shape, a bilingual body."""
    lines = ["---", f"title: {' '.join(draw(st.lists(words, min_size=1, max_size=3)))}"]
    if draw(st.booleans()):
        lines.append(f"date: {draw(st.sampled_from(['2016', '2017-03', '2017-06-19', '2018', '2019-12-01']))}")
    if draw(st.booleans()):
        lines.append(f"tags: [{', '.join(draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True)))}]")
    lines.append(f"lang: {draw(st.sampled_from(['en', 'es']))}")
    if draw(st.booleans()):
        lines.append(f"status: {draw(st.sampled_from(['open', 'closed']))}")
    if draw(st.booleans()):
        lines += ["entities:", f"  person: [{draw(st.sampled_from(PEOPLE))}]"]
    lines += ["---", "", " ".join(draw(st.lists(words, max_size=25)))]
    return "\n".join(lines) + "\n"


def typo(word: str, at: int) -> str:
    """The word with two letters swapped (or one dropped when it is short)."""
    at = at % max(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:] if len(word) > 2 else word[:-1]


@st.composite
def leaves(draw: Any) -> str:
    """One query leaf of any kind."""
    word, other, near = draw(words), draw(words), draw(st.sampled_from(CORE))
    return draw(st.sampled_from([
        word, f"{word[:draw(st.integers(1, 5))]}*", f"{typo(word, draw(st.integers(0, 9)))}~",
        f"{typo(word, draw(st.integers(0, 9)))}~2", f'"{word} {other}"',
        f'"{near} {other}"~{draw(st.integers(1, 4))}', f'"{near} {word} {other}"~3', f'"{near} {word} {other}"',
        f'"{" ".join(draw(st.lists(st.sampled_from(CORE), min_size=3, max_size=5)))}"',
        f"tag:{draw(st.sampled_from(TAGS))}", "lang:es", "status:open", "date:2017", "date:[2016 TO 2017-06]",
        "date:>2017", f"title:{word}", "*:*", "person:*", f"{word[:3]}?{word[4:]}", 'person:"peña nieto"',
    ]))


@st.composite
def queries(draw: Any) -> str:
    """A query: leaves joined by the operators the language has."""
    parts = [draw(leaves()) for _ in range(draw(st.integers(1, 3)))]
    text = parts[0]
    for part in parts[1:]:
        text = draw(st.sampled_from(["{} {}", "{} OR {}", "{} -{}", "({}) AND NOT {}", "{} ANDMAYBE {}",
                                     "{} REQUIRE {}", "{} ANDNOT ({})"])).format(text, part)
    return text


@st.composite
def histories(draw: Any) -> list[list[tuple[str, str | None]]]:
    """Commits of (path, new text or None to delete): the first adds 1-6 cases."""
    paths = [f"c{n}.md" for n in range(8)]
    first = [(path, draw(case_texts())) for path in paths[:draw(st.integers(1, 6))]]
    # a file changes at most once per commit, as in a refresh
    later = draw(st.lists(st.lists(st.tuples(st.sampled_from(paths), st.one_of(st.none(), case_texts())),
                                   min_size=1, max_size=3, unique_by=lambda change: change[0]), max_size=10))
    return [first, *later]


def build(history: list[list[tuple[str, str | None]]], merge_deleted: bool = True,
          ) -> tuple[Any, dict[str, dict[str, Any]]]:
    """An in-memory index after the history (one commit each), and the live documents;
    without `merge_deleted`, deleted documents stay in their segments (a tiny archive's
    segments are always past DELETED_SHARE)."""
    with mock.patch.object(store, "DELETED_SHARE", store.DELETED_SHARE if merge_deleted else 1.0):
        return _build(history)


def _build(history: list[list[tuple[str, str | None]]]) -> tuple[Any, dict[str, dict[str, Any]]]:
    ix = store.create(store.open_storage(None))
    live: dict[str, dict[str, Any]] = {}
    for commit in history:
        w = writing(ix)  # the SearchEngine protocol's batch, as the updater uses it
        for path, text in commit:
            w.delete([path])
            live.pop(path, None)
            if text is not None:
                live[path] = document(parse_case(text, path)[0], {}, STEMMERS)
                w.add(live[path])
        w.commit()
    return ix, live


class Engine:
    """The index as Archive.search runs it: parse, prepare, evaluate."""

    def __init__(self, ix: Any) -> None:
        self.searcher = new_searcher(ix)
        self.evaluator, self.parser = Evaluator(self.searcher), parser()

    def search(self, text: str, limit: int | None, sort: str) -> list[tuple[str, float]]:
        q = prepare(parse(self.parser, text)[0], text) if text.strip() else everything()
        _docs, top = run(self.searcher, q, limit, sort, self.evaluator)
        return [(fields["path"], score) for fields, score in top]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def same_ranking(found: list[tuple[str, float]], expected: dict[str, float], dates: dict[str, int],
                 sort: str, text: str) -> None:
    """`found` (a top N) is a correct top N of `expected`: same scores in order, ties in any order."""
    key = (lambda path: (dates[path], expected[path])) if sort == "date" else (lambda path: (expected[path],))
    wanted = sorted(expected, key=key, reverse=True)[:len(found)]
    assert len(found) == min(LIMIT, len(expected)), text
    for (path, score), other in zip(found, wanted):
        assert all(close(a, b) for a, b in zip(key(path), key(other))) and close(score, expected[path]), text


def compare(engine: Engine, reference: Reference | Engine, text: str, dates: dict[str, int]) -> None:
    """Match sets, totals and scores exact (to 1e-6); top N in order, for both sorts."""
    if isinstance(reference, Reference):
        expected = reference.evaluate(prepare(parse(engine.parser, text)[0], text) if text.strip() else everything())
    else:
        expected = dict(reference.search(text, None, "relevance"))
    found = dict(engine.search(text, None, "relevance"))
    assert found.keys() == expected.keys(), text
    assert all(close(found[path], expected[path]) for path in found), (text, found, expected)
    for sort in ("relevance", "date"):
        same_ranking(engine.search(text, LIMIT, sort), expected, dates, sort, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(histories(), st.lists(queries(), min_size=1, max_size=6), st.booleans())
def test_engine_answers_as_the_reference_and_as_a_fresh_build(history: Any, texts: list[str],
                                                              merge_deleted: bool) -> None:
    ix, live = build(history, merge_deleted)
    fresh, _ = build([list(_texts(history).items())])
    engine, rebuilt, reference = Engine(ix), Engine(fresh), Reference(list(live.values()))
    dates = {doc.path: doc.date for doc in reference.docs}
    for text in [*texts, ""]:
        compare(engine, reference, text, dates)
        compare(engine, rebuilt, text, dates)


def _texts(history: list[list[tuple[str, str | None]]]) -> dict[str, str]:
    """The last text of every file still there at the end."""
    last: dict[str, str | None] = {}
    for commit in history:
        last.update(commit)
    return {path: text for path, text in last.items() if text is not None}


MANY = [f"ca{a}{b}{c}" for a in "msn" for b in "aeiou" for c in "lnrs"]
"""60 words sharing a prefix: more than a prefix query keeps (PREFIX_TERMS, a quarter under 4 letters)."""


@st.composite
def many_word_cases(draw: Any) -> list[tuple[str, str]]:
    """Cases whose bodies draw on MANY (and a few common words), one commit."""
    pool = st.one_of(st.sampled_from(MANY), st.sampled_from(["de", "la", "the", "government"]))
    bodies = draw(st.lists(st.lists(pool, min_size=3, max_size=40), min_size=2, max_size=8))
    return [(f"m{n}.md", f"---\ntitle: case {n}\nlang: es\n---\n\n{' '.join(body)}\n")
            for n, body in enumerate(bodies)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(many_word_cases(), st.data())
def test_prefixes_over_many_words_and_long_phrases_answer_as_the_reference(cases: list[tuple[str, str]],
                                                                            data: Any) -> None:
    ix, live = build([cases])
    engine, reference = Engine(ix), Reference(list(live.values()))
    dates = {doc.path: doc.date for doc in reference.docs}
    body = cases[data.draw(st.integers(0, len(cases) - 1))][1].split("---\n\n")[1].split()
    start = data.draw(st.integers(0, len(body) - 1))
    phrase = " ".join(body[start:start + data.draw(st.integers(2, 6))])  # words that follow each other
    word = data.draw(st.sampled_from(MANY))
    for text in ["c*", "ca*", "cam*", "casa*", f"{word[:4]}*", f'"{phrase}"', f'"{phrase}"~2', f'"{phrase}" ca*',
                 f'{word} "{phrase}"', f"{word[:3]}* {word}", f'la "{phrase}" -{word}', f"({word} OR la) cas*"]:
        compare(engine, reference, text, dates)
