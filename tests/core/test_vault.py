"""An Obsidian-style vault read as its authors meant it (issue 13): tests/data/vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.archive.facade import Archive
from casefile.core.read.parse import parse_case
from casefile.core.text.analysis import fold_text, words
from casefile.core.text.names import fold as name_fold
from casefile.core.text.names import normalize_name
from casefile.core.xref.mentions import line_words

VAULT = Path(__file__).parent.parent / "data" / "vault"


@pytest.fixture(scope="module")
def archive() -> Archive:
    opened = Archive.open(VAULT, None)
    opened.refresh()
    return opened


def links_of(archive: Archive, path: str) -> list[tuple[str, str | None, str | None, bool]]:
    """(target, anchor, resolved path, embed) of each link of one note."""
    case = archive.case(path)
    assert case is not None
    paths = archive.xref.link_paths(path)
    return [(link.target, link.anchor, where, link.embed) for link, where in zip(case.links, paths)]


def test_same_named_notes_resolve_to_the_nearest_and_never_merge(archive: Archive) -> None:
    assert links_of(archive, "en/Start.md") == [("Guide", None, "en/Guide.md", False)]
    assert links_of(archive, "de/Start.md") == [("Guide", None, "de/Guide.md", False)]
    assert [b.id for b in archive.xref.case("en/Guide").backlinks] == ["en/Start"]
    assert [b.id for b in archive.xref.case("de/Guide").backlinks] == ["de/Start"]


def test_links_resolve_by_path_path_end_name_alias_and_markdown_path(archive: Archive) -> None:
    found = {(target, anchor): where for target, anchor, where, _embed in links_of(archive, "Home.md")}
    assert found[("The First", None)] == "Alpha.md"  # an alias given as one string
    assert found[("Sub Folder/Beta", None)] == found[("sub folder/beta.md", None)] == "Sub Folder/Beta.md"
    assert found[("Sub Folder/Beta.md", "Part")] == "Sub Folder/Beta.md"  # [..](<Sub Folder/Beta.md#Part>)
    assert links_of(archive, "Sub Folder/Beta.md") == [("Home", None, "Home.md", False),
                                                       ("../Home.md", None, "Home.md", False)]


def test_anchors_are_parsed_and_a_missing_heading_is_not_dangling(archive: Archive) -> None:
    home = links_of(archive, "Home.md")
    assert ("Alpha", "Section One", "Alpha.md", False) in home
    assert ("Alpha", "^para1", "Alpha.md", False) in home
    assert ("Alpha", "No Such Heading", "Alpha.md", False) in home
    assert ("", "Local heading", "Home.md", False) in home  # [[#Local heading]]: this note


def test_block_id_markers_leave_the_body_and_keep_their_line(archive: Archive) -> None:
    alpha = archive.case("Alpha.md")
    assert alpha is not None and "^para1" not in alpha.body
    assert alpha.block_ids == (("para1", 10),)
    assert alpha.body.split("\n")[10 - alpha.body_line] == "A paragraph that can be linked to."


def test_embeds_and_attachments(archive: Archive) -> None:
    home = links_of(archive, "Home.md")
    assert ("Alpha", None, "Alpha.md", True) in home and ("Alpha", "Section One", "Alpha.md", True) in home
    assert ("diagram.png", None, "attachments/diagram.png", True) in home  # any sub-folder, no dot
    assert ("report.pdf", None, "assets/report.pdf", True) in home
    assert ("attachments/diagram.png", None, "attachments/diagram.png", True) in home  # ![a picture](...)
    assert ("missing.png", None, None, True) in home
    assert archive.xref.resolve("diagram.png").kind == "file"
    names = {entity.name for entity in archive.xref.entities()}
    assert not any(name.endswith((".png", ".pdf")) for name in names)


def test_check_reports_dangling_and_ambiguous_links_only(archive: Archive) -> None:
    found = [(p.path, p.line, p.code) for p in archive.problems()]
    assert found == [("Home.md", 11, "dangling-link"), ("Home.md", 14, "ambiguous-link"),
                     ("Home.md", 14, "dangling-link")]
    assert [row.name for row in archive.xref.dangling_names()] == ["missing.png", "Nowhere Note"]
    # only entity pages make entities (links to notes, attachments and dangling names never do);
    # the two pages named Marie Curie stay two
    assert sorted((e.name, e.page_id) for e in archive.xref.entities()) == [
        ("Marie Curie", "de/Marie Curie"), ("Marie Curie", "en/Marie Curie"), ("Pierre Curie", "de/Pierre Curie")]


def test_tags_from_front_matter_strings_nested_and_never_from_links_urls_or_code(archive: Archive) -> None:
    assert archive.case("Home.md").tags == ("project/alpha", "solo")
    assert archive.case("Alpha.md").tags == ("one", "two", "three")
    assert archive.case("Sub Folder/Beta.md").tags == ("beta", "nested/deep/tag", "single")
    assert archive.case("Alpha.md").date == "2023-05-01"  # `created`, with a time of day
    assert [hit.path for hit in archive.search("tag:project").hits] == ["Home.md"]
    assert [hit.path for hit in archive.search("tag:nested/deep").hits] == ["Sub Folder/Beta.md"]


def test_snippets_show_no_callout_or_block_id_markers(archive: Archive) -> None:
    alpha = archive.search("paragraph").hits[0]
    assert alpha.path == "Alpha.md" and "linked to. Another line" in alpha.snippet and "^" not in alpha.snippet
    home = archive.search("callout").hits[0]
    assert home.path == "Home.md" and "A callout title with a Beta link" in home.snippet
    assert "[!" not in home.snippet


def test_nothing_in_code_is_a_link_or_a_tag() -> None:
    case, _ = parse_case("`[[A]]` and ``#b [[C]]``\n\n```\n[[D]] #e\n```\n~~~\n![[F]]\n~~~\n", "n.md")
    assert case.links == () and case.tags == ()


def test_the_grammar_reads_every_link_form() -> None:
    from casefile.core.text.wikilinks import find_links, hashtags

    line = "![[a#^b|c]] [[#H]] [[t\\|l]] [m](../x%20y.md#z) [u](https://e.org) [[]] [[|x]]"
    assert [(f.target, f.anchor, f.label, f.embed, f.markdown) for f in find_links(line, "d/n.md")] == [
        ("a", "^b", "c", True, False), ("", "H", None, False, False), ("t", None, "l", False, False),
        ("../x y.md", "z", "m", False, True)]
    assert hashtags("#a/b/ c [[#H]] [x](#y) https://e.org/#f #1 #x-1") == ["a/b", "x-1"]


def test_cjk_is_searched_by_bigrams(archive: Archive) -> None:
    assert words("中华人民") == ["中华", "华人", "人民"]
    for query in ("人民", "共和国", "监控系统", "记者"):
        assert [hit.path for hit in archive.search(query).hits] == ["zh/笔记.md"], query


def test_arabic_points_and_tatweel_fold_the_same_everywhere(archive: Archive) -> None:
    pointed, bare = "الصَّحَفِيُّونَ كـتـاب", "الصحفيون كتاب"
    assert fold_text(pointed) == name_fold(pointed) == bare
    assert line_words(pointed) == line_words(bare) and normalize_name(pointed) == normalize_name(bare)
    for query in ("الصحفيون", "الصَّحَفِيُّونَ", "الكتاب", "الكـتاب"):
        assert [hit.path for hit in archive.search(query).hits] == ["ar/ملاحظة.md"], query


def test_show_json_gives_each_link_its_path_anchor_and_embed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["show", "Home", "--json", "--no-disk-index", "--cases", str(VAULT)])
    links = json.loads(capsys.readouterr().out)["links"]
    assert {"target": "diagram.png", "label": "100", "line": 11, "path": "attachments/diagram.png",
            "anchor": None, "embed": True} in links
    assert {"target": "Nowhere Note", "label": None, "line": 14, "path": None, "anchor": None,
            "embed": False} in links
