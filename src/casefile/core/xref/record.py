"""What the cross-reference keeps of one file: a compact, persistable record."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from casefile.core.model import Case
from casefile.core.read.parse import prose_lines
from casefile.core.text.sanitize import clean_line
from casefile.core.xref.mentions import STOPWORDS, Matcher, Mention, mention_key, name_key, paragraph_words, scan_body
from casefile.core.xref.mentions import context as context_line

LinkEntry = tuple[str, int, str, "str | None", int]
"""(target as written, 1-based line, context line, anchor, flags: EMBED | MARKDOWN)."""
EMBED = 1
MARKDOWN = 2
"""The target is a path relative to the linking file (`[text](path)`)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One file, reduced to what the cross-reference needs (no body)."""

    path: str
    id: str
    title: str
    date: str | None
    kind: str
    """`case` or `entity` (an entity page)."""
    entity_type: str | None
    aliases: tuple[str, ...]
    listed: tuple[tuple[str, str], ...]
    """(type, name) pairs from `entities:`."""
    links: tuple[LinkEntry, ...]
    mentions: tuple[Mention, ...]
    """First line naming each known name, except names this file lists, links or is."""
    body_line: int = 1
    """File line on which the body starts, to number the lines of a re-read body."""
    keys: tuple[str, ...] = ()
    """Resolution keys (`name_key`), computed once when the file is read: id, title,
    then one per listed name, per link target and per alias, in that order."""

    @property
    def id_key(self) -> str:
        """The id as resolution compares it."""
        return self.keys[0]

    @property
    def title_key(self) -> str:
        """The title (or entity name) as resolution compares it."""
        return self.keys[1]

    def listed_keys(self) -> tuple[str, ...]:
        """Keys of the listed names, in order."""
        return self.keys[2:2 + len(self.listed)]

    def link_keys(self) -> tuple[str, ...]:
        """Keys of the link targets, in order."""
        start = 2 + len(self.listed)
        return self.keys[start:start + len(self.links)]

    def alias_keys(self) -> tuple[str, ...]:
        """Keys of the aliases, in order."""
        return self.keys[2 + len(self.listed) + len(self.links):]

    def names(self) -> list[str]:
        """The names this file adds to the archive's vocabulary (as mention keys)."""
        spelled = [name for _type, name in self.listed]
        spelled += [link[0] for link in self.links if link[0] and not link[4]]  # names, not files
        if self.kind == "entity":
            spelled += [self.title, *self.aliases]
        return [key for key in map(mention_key, spelled) if key]

    def own_keys(self) -> frozenset[str]:
        """Names a mention of which in this file is not "unlinked"."""
        return frozenset(self.names())

    def to_data(self) -> tuple[Any, ...]:
        """A marshal-able tuple."""
        return (self.path, self.id, self.title, self.date, self.kind, self.entity_type,
                self.aliases, self.listed, self.links, self.mentions, self.body_line, self.keys)

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> Record:
        """The inverse of `to_data`."""
        return cls(*data)

    def with_mentions(self, mentions: list[Mention]) -> Record:
        """A copy with other mentions (after a rescan)."""
        return Record(self.path, self.id, self.title, self.date, self.kind, self.entity_type,
                      self.aliases, self.listed, self.links, tuple(mentions), self.body_line, self.keys)


def bare_record(case: Case) -> Record:
    """The record of a file just read, before its body is scanned for mentions."""
    lines = case.body.split("\n")
    links = tuple((clean_line(link.target), link.line, _line_context(lines, link.line - case.body_line, link.target),
                   clean_line(link.anchor) if link.anchor else None,
                   EMBED * link.embed | MARKDOWN * link.markdown) for link in case.links)
    spelled = [case.id, case.title, *(name for _type, name in case.entities),
               *(link[0] for link in links), *case.aliases]
    return Record(case.path, case.id, case.title, case.date, case.kind, case.entity_type,
                  case.aliases, case.entities, links, (), case.body_line, tuple(map(name_key, spelled)))


def scanned(record: Record, body: str, matcher: Matcher) -> tuple[Record, set[str]]:
    """The record with the mentions found in `body`, and the body's indexable words."""
    scan = scan_body(body, record.body_line, matcher, record.own_keys())
    return record.with_mentions(scan.mentions), scan.words


@dataclass(frozen=True, slots=True)
class Prepared:
    """A body split for `scan_body` before the names are known: where a file is read (a
    build worker), so the process that holds the names only matches them. Words are kept
    space-joined: a list of str objects per word cost ~30 KB a case in the parent."""

    blocks: tuple[tuple[int, str, tuple[int, ...]], ...]
    """Per paragraph (consecutive lines): its first line number, its folded words, where each
    line's words start."""
    words: str
    """The body's indexable words, sorted (`BodyScan.words`)."""


def prepare(body: str, first_line: int) -> Prepared:
    """The paragraphs and words of a body, exactly as `scan_body` splits them (words have no spaces)."""
    blocks = []
    seen: set[str] = set()
    for block, words, starts in paragraph_words(body, first_line):
        seen.update(words)
        blocks.append((block[0][0], " ".join(words), tuple(starts)))
    return Prepared(tuple(blocks), " ".join(sorted(word for word in seen - STOPWORDS if len(word) > 1)))


def scanned_prepared(record: Record, body: str, prepared: Prepared, matcher: Matcher,
                     ) -> tuple[Record, list[str]]:
    """`scanned` from a prepared body: the same mentions and words."""
    seen = set(record.own_keys())
    mentions: list[Mention] = []
    lines: dict[int, str] | None = None
    for first, text, starts in prepared.blocks:
        words = text.split()
        for start, key in matcher.find(words):
            if key not in seen:
                seen.add(key)
                lines = lines if lines is not None else dict(prose_lines(body, record.body_line))
                number = first + bisect.bisect_right(starts, start) - 1
                mentions.append((key, number, context_line(lines[number], words[start])))
    return record.with_mentions(mentions), prepared.words.split()


def rescan(record: Record, body: str, matcher: Matcher) -> Record:
    """The record with its mentions found again in its unchanged body (`Case.body`)."""
    return scanned(record, body, matcher)[0]


def _line_context(lines: list[str], offset: int, target: str) -> str:
    """The context of a link on body line `offset` (0-based)."""
    if 0 <= offset < len(lines):
        return context_line(lines[offset], mention_key(target).split(" ")[0])
    return ""
