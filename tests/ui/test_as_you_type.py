"""The search-as-you-type helpers: prefix on the word being typed, exact titles first."""

from __future__ import annotations

import pytest

from casefile.core.model import SearchHit
from casefile.ui.as_you_type import exact_first, typing_query


@pytest.mark.parametrize(("typed", "sent"), [
    ("desapar", "desapar*"),
    ("pegasus desapar", "pegasus desapar*"),
    ("desaparición", "desaparición*"),  # accents are letters
    ("(pegasus OR desapar", "(pegasus OR desapar*"),
    ("tag:vigilancia desapar", "tag:vigilancia desapar*"),
    ("Hacking Team", "Hacking Team*"),
])
def test_a_final_bare_word_is_a_prefix(typed: str, sent: str) -> None:
    assert typing_query(typed) == sent


@pytest.mark.parametrize("typed", [
    "",
    "de",  # too short: matches too much
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


def hit(case_id: str, title: str) -> SearchHit:
    """A hit with only what the ranking looks at."""
    return SearchHit(case_id, title, f"{case_id}.md", "case", None, (), 1.0, "")


def test_an_exact_title_moves_to_the_top_keeping_the_rest_in_order() -> None:
    hits = [hit("A", "Hacking Team clients"), hit("B", "The team"), hit("C", "Hacking Team")]
    assert [h.id for h in exact_first(hits, "hacking  team")] == ["C", "A", "B"]


def test_an_exact_id_moves_to_the_top_and_no_match_changes_nothing() -> None:
    hits = [hit("MX-1", "One"), hit("MX-2", "Two")]
    assert [h.id for h in exact_first(hits, "mx-2")] == ["MX-2", "MX-1"]
    assert [h.id for h in exact_first(hits, "three")] == ["MX-1", "MX-2"]
    assert [h.id for h in exact_first(hits, "")] == ["MX-1", "MX-2"]
