"""Possible duplicate entities: names that look like one, suggested and never merged.

Spellings that differ only by accents, case or spaces are already one entity. What is
left: one name's words a subset of another's (`Peña Nieto` / `Enrique Peña Nieto`),
and near-misspellings (`Carmen Aristegi` / `Carmen Aristegui`). Pairs are compared only
within blocks (a shared rare word, or the same first letters), never all against all.

Two entity pages with the very same name (as written, spaces aside) are never suggested:
same-named notes in different folders were made on purpose (a vault's translations, one
`Obsidian URI` per language). Pages whose names differ only by accents or case
(`José Pérez` / `Jose Perez`), and a page against a listed name, still are.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from itertools import combinations

from casefile.core.xref.mentions import indexable, mention_key
from casefile.core.xref.model import DuplicateSuggestion
from casefile.core.xref.registry import Entity

SIMILARITY = 0.88
MAX_BLOCK = 60
"""Words shared by more entities than this are too common to say anything."""
_KINDS_OF_THING = {"unknown"}


def possible_duplicates(entities: Iterable[Entity]) -> list[DuplicateSuggestion]:
    """Suggested pairs, most certain first."""
    chosen = [e for e in entities if mention_key(e.name)]
    found = [suggestion for first, second in _candidate_pairs(chosen)
             if (suggestion := compare(first, second)) is not None]  # each pair of entity keys once
    return sorted(found, key=lambda s: (-s.score, s.first.casefold(), s.second.casefold(),
                                        s.first_path or "", s.second_path or ""))


def _candidate_pairs(entities: list[Entity]) -> Iterable[tuple[Entity, Entity]]:
    """Pairs sharing a not-too-common word, or the first three letters of the name."""
    blocks: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        key = mention_key(entity.name)
        for word in set(key.split()):
            if indexable(word):
                blocks["w:" + word].append(entity)
        blocks["p:" + key.replace(" ", "")[:3]].append(entity)
    seen: set[tuple[str, str]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            for first, second in combinations(members, 2):
                pair = (first.key, second.key) if first.key < second.key else (second.key, first.key)
                if pair not in seen:
                    seen.add(pair)
                    yield first, second


def compare(first: Entity, second: Entity) -> DuplicateSuggestion | None:
    """A suggestion when two entities' names look like the same thing."""
    if not _compatible(first.type, second.type) or namesake_pages(first, second):
        return None
    a, b = sorted((first, second), key=lambda e: (len(mention_key(e.name)), e.name))
    key_a, key_b = mention_key(a.name), mention_key(b.name)
    if _digits(key_a) != _digits(key_b):
        return None
    if key_a != key_b and _subset(key_a.split(), key_b.split(), a.type):
        return DuplicateSuggestion(a.name, b.name, "subset", 1.0, a.page, b.page)
    if min(len(key_a), len(key_b)) < 5:
        return None
    matcher = SequenceMatcher(None, key_a, key_b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return None
    ratio = matcher.ratio()
    return DuplicateSuggestion(a.name, b.name, "similar", round(ratio, 3), a.page, b.page) \
        if ratio >= SIMILARITY else None


def namesake_pages(first: Entity, second: Entity) -> bool:
    """True for two entity pages with the very same name: two files made on purpose, not a slip."""
    return bool(first.page and second.page) and _as_written(first.name) == _as_written(second.name)


def _as_written(name: str) -> str:
    """A name as written: one Unicode form, spaces collapsed; case and accents kept."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _subset(short: list[str], long: list[str], kind: str) -> bool:
    """The shorter name's words, in order, inside the longer one's.

    One word is enough only for a person named by the last word (`Aristegui`); a single
    shared word is otherwise too weak (`Mexico` / `Mexico City`).
    """
    if len(short) >= len(long) or not all(indexable(w) for w in short):
        return False
    if len(short) == 1:
        return kind == "person" and long[-1] == short[0]
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1)) \
        or set(short) <= set(long)


def _digits(text: str) -> str:
    """The digits of a name: `MX-2015-001` / `MX-2016-001`, `Reckless` / `Reckless 2` differ."""
    return "".join(ch for ch in text if ch.isdigit())


def _compatible(first: str, second: str) -> bool:
    """Same type, or one of them untyped."""
    return first == second or first in _KINDS_OF_THING or second in _KINDS_OF_THING
