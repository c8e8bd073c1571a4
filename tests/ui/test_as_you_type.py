"""The search-as-you-type helper: the word being typed is a prefix, anything else stays literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.core.archive.facade import Archive
from casefile.ui.as_you_type import typing_query


@pytest.mark.parametrize(("typed", "sent"), [
    ("desapar", "desapar*"),
    ("pegasus desapar", "pegasus desapar*"),
    ("desaparición", "desaparición*"),  # accents are letters
    ("(pegasus OR desapar", "(pegasus OR desapar*)"),  # the open paren is closed
    ("tag:vigilancia desapar", "tag:vigilancia desapar*"),
    ("Hacking Team", "Hacking Team*"),
])
def test_a_final_bare_word_is_a_prefix(typed: str, sent: str) -> None:
    assert typing_query(typed) == sent


@pytest.mark.parametrize("typed", [
    "",
    "pegasus ",  # a space: the word is finished
    '"hacking team"',  # a closing quote
    '"hacking tea',  # inside an open phrase
    "(pegasus OR hacking)",  # a closing paren
    "pegasus OR",  # an operator
    "pegasus AND",
    "tag:vigil",  # field syntax
    "date:2017",
    "2017",  # digits
    "MX-2017-004",
    "investig*",  # already a prefix
    "desaparecido~",  # fuzzy
    "pegasus^2",  # boost
    "-pegasus",
])
def test_anything_else_stays_literal(typed: str) -> None:
    assert typing_query(typed) == typed




@pytest.mark.parametrize("typed", ["监", "人民", "共和国", "监控系", "记者的通", "记者 监控系"])
def test_chinese_typed_as_you_go_finds_the_note(typed: str) -> None:
    # Chinese is indexed as character bigrams: a typed run already matches inside longer
    # runs, where a `*` after it (or a title-only prefix for two characters) found nothing;
    # one character is still a prefix of titles (监控笔记)
    archive = Archive.open(Path(__file__).parents[1] / "data" / "vault", None)
    archive.refresh()
    assert "zh/笔记.md" in [hit.path for hit in archive.search(typing_query(typed)).hits]
