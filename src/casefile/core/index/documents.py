"""Case -> the plain field values the index stores for it (no Whoosh here).

Text fields are handed over already analyzed, as *sections*: (words, first position,
weight). Title words weigh 3, entity names and aliases 2, tags 2, body 1, so BM25F
ranks title and alias matches first without querying more fields. Sections are
separated by a position gap so a phrase never runs from one into the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casefile.core.model import Case, EntityInfo
from casefile.core.text.analysis import StemCache, fold_text, spanish_stem, unique, words
from casefile.core.text.names import normalize_name, without_invisible
from casefile.core.text.wikilinks import tag_ancestors

TITLE_WEIGHT = 3.0
NAME_WEIGHT = 2.0
TAG_WEIGHT = 2.0
GAP = 100
TYPED_FIELDS = {"person": "person", "people": "person", "organization": "org",
                "organisation": "org", "org": "org", "place": "place", "location": "place"}
"""Entity types (as written in files) -> the query field that finds them."""

Section = tuple[list[str], int, float]


Aliases = Mapping[str, EntityInfo]
"""normalize_name(name or alias) -> the entity page that carries it."""


def referenced_names(case: Case) -> list[str]:
    """Names a case lists or links, as written, without repeats."""
    listed = [name for _kind, name in case.entities]
    return unique(listed + [link.target for link in case.links])


def name_keys(case: Case) -> list[str]:
    """normalize_name of every name a case lists or links (entity pages: their own names)."""
    own = [case.title, *case.aliases] if case.is_entity else []
    return unique(normalize_name(name) for name in own + referenced_names(case))


def entity_names(case: Case, aliases: Aliases) -> tuple[list[str], dict[str, list[str]]]:
    """(all names and aliases the case is found by, the same split by typed field)."""
    typed: dict[str, list[str]] = {"person": [], "org": [], "place": []}
    everything: list[str] = []
    pairs = list(case.entities) + [("", link.target) for link in case.links]
    if case.is_entity:
        pairs.insert(0, (case.entity_type or "", case.title))
        pairs[1:1] = [(case.entity_type or "", alias) for alias in case.aliases]
    for kind, name in pairs:
        page = aliases.get(normalize_name(name))
        names = [name, *page.names] if page else [name]
        everything.extend(names)
        field = TYPED_FIELDS.get(kind.lower()) or (TYPED_FIELDS.get(page.type.lower()) if page else None)
        if field:
            typed[field].extend(names)
    return unique(everything), {k: unique(v) for k, v in typed.items()}


def name_sections(names: list[str]) -> list[Section]:
    """One section per name, far apart, so `entity:"citizen lab"` never spans two names."""
    return [(_words(name), i * GAP, 1.0) for i, name in enumerate(names)]


def date_span(date: str | None) -> tuple[int, int] | None:
    """(first day, last day) of a YYYY, YYYY-MM or YYYY-MM-DD date, as YYYYMMDD numbers."""
    if not date:
        return None
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return year * 10000 + 101, year * 10000 + 1231
    month = int(parts[1])
    if len(parts) == 2:
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    day = year * 10000 + month * 100 + int(parts[2])
    return day, day


class Stemmers:
    """Per-language stem caches; English comes from the caller (Whoosh's Porter)."""

    def __init__(self, english: StemCache) -> None:
        self.english = english
        self.spanish = StemCache(spanish_stem)

    def for_lang(self, lang: str) -> StemCache | None:
        """The cache for a case's language; None (no stemming) for other languages."""
        return {"en": self.english, "es": self.spanish}.get(lang)


def document(case: Case, aliases: Aliases, stemmers: Stemmers) -> dict[str, Any]:
    """The field values of one case (keyword names match the schema in core/index/schema.py)."""
    names, typed = entity_names(case, aliases)
    sections = _text_sections(case, names)
    stem = stemmers.for_lang(case.lang)
    stemmed = [(list(map(stem.__getitem__, ws)) if stem is not None else ws, pos, wt) for ws, pos, wt in sections]
    span = date_span(case.date)
    doc: dict[str, Any] = {
        "path": case.path, "kind": case.kind, "id": fold_text(case.id), "_stored_id": case.id,
        "title": [(_words(case.title), 0, 1.0)], "_stored_title": case.title,
        "title_key": normalize_name(case.title), "stem": stemmed,
        "tag": tag_terms(case.tags), "tags": list(case.tags),
        "entity": name_sections(names), "lang": case.lang, "date_text": case.date,
        "status": fold_text(case.status) if case.status else None,
    }
    doc.update({field: name_sections(found) for field, found in typed.items() if found})
    if span:
        doc["date"], doc["date_end"] = span
    return {key: value for key, value in doc.items() if value not in (None, [], "")}


def tag_terms(tags: tuple[str, ...]) -> list[str]:
    """Folded tags, each nested tag under its parents too (`tag:parent` finds `parent/child`)."""
    terms = [fold_text(tag) for tag in tags]
    return unique(terms + [parent for term in terms if "/" in term for parent in tag_ancestors(term)])


def _text_sections(case: Case, names: list[str]) -> list[Section]:
    """Title, id, tags, names and body of a case as weighted sections."""
    parts = [(_words(case.title), TITLE_WEIGHT), (words(case.id), TITLE_WEIGHT),
             (words(" ".join(case.tags)), TAG_WEIGHT), (_words(" ".join(names)), NAME_WEIGHT),
             (words(case.body), 1.0)]
    sections: list[Section] = []
    position = 0
    for found, weight in parts:
        sections.append((found, position, weight))
        position += len(found) + GAP
    return sections


def _words(name: str) -> list[str]:
    """The words of a name or title as it looks: its `⟨ZWSP⟩` marks are not words."""
    return words(without_invisible(name))
