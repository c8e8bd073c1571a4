"""Snippets are plain prose of the body: no title again, no Markdown syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.core.archive.facade import Archive
from casefile.core.text.prose import plain_prose

BODY = """---
title: Spyware contracts of the attorney general
---
# Spyware contracts of the attorney general

## Facts

The contract ([[MX-2017-015]]) was signed by **[[Tomás Zerón|the head of the AIC]]** and
published by [R3D](https://r3d.mx/informe) on `2017-06-19`.

| year | buyer | system |
|------|:-----:|--------|
| 2014 | PGR   | Pegasus spyware |

> - [x] verified with the *original* contract
1. second point about the spyware
---
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    folder = tmp_path_factory.mktemp("cases")
    (folder / "contract.md").write_text(BODY, encoding="utf-8")
    (folder / "long.md").write_text("# Long note\n\n" + "filler words here. " * 80 + "\n\n## Spyware\n\n"
                                    + "| a | b |\n|---|---|\n| the spyware | row |\n", encoding="utf-8")
    opened = Archive.open(folder, None)
    opened.refresh()
    return opened


def test_a_snippet_never_repeats_the_title_nor_shows_markdown(archive: Archive) -> None:
    hit = next(h for h in archive.search("", limit=None).hits if h.path == "contract.md")
    assert hit.snippet.startswith("The contract (MX-2017-015) was signed by the head of the AIC and published by R3D")
    assert not any(mark in hit.snippet for mark in ("Spyware contracts", "Facts", "|", "[[", "]]", "**", "`",
                                                    "](", "---", "> ", "[x]"))


@pytest.mark.parametrize("query", ["spyware", "pegasus", "verified", "second"])
def test_matched_words_are_marked_in_the_plain_text(archive: Archive, query: str) -> None:
    hits = archive.search(query, limit=None).hits
    assert hits
    for hit in hits:
        assert "|" not in hit.snippet and "#" not in hit.snippet
        marked = [hit.snippet[s.start:s.end].lower() for s in hit.spans]
        assert marked and all(word.startswith(query) for word in marked), (hit.path, hit.snippet)


@pytest.mark.parametrize(("markdown", "prose"), [
    ("# Title\ntext", "text"),
    ("| a | b |\n| --- | --- |\n| c | d |", "a · b c · d"),
    ("see [[X-1]], [[Peña Nieto|the president]]", "see X-1, the president"),
    ("![photo](a.png) and [site](https://x.org)", "photo and site"),
    ("- one\n* two\n+ three\n10. four", "one two three four"),
    ("> quoted\n> > deeper", "quoted deeper"),
    ("**bold** _it_ ~~gone~~ `code` snake_case 2 * 3", "bold it gone code snake_case 2 * 3"),
    ("```python\nx = 1\n```", "x = 1"),
    ("a<br/>b <span>c</span>", "a b c"),
    ("#pegasus is a tag, not a heading", "#pegasus is a tag, not a heading"),
    ("> [!note] A callout title\n> with text", "A callout title with text"),
    ("> [!warning]- Folded\n>> [!tip]+ Nested", "Folded Nested"),
    ("A paragraph with a name. ^para-1\nNext line ^2", "A paragraph with a name. Next line"),
    ("x ^notablock here and [!note] inline", "x ^notablock here and [!note] inline"),
])
def test_plain_prose(markdown: str, prose: str) -> None:
    assert plain_prose(markdown) == prose


def test_a_snippet_from_a_region_cut_mid_body_still_drops_headings(archive: Archive) -> None:
    hit = next(h for h in archive.search("spyware", limit=None).hits if h.path == "long.md")
    assert "Spyware" not in hit.snippet.split("the spyware")[0] and "|" not in hit.snippet
    assert Path(hit.path).name == "long.md"
