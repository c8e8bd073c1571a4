"""Front matter values with their types checked: a wrong type is a located problem, not an error.

Every string that leaves this module has passed `clean_line`; numbers too long to
print, lists where text was expected and the like are reported and ignored.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

from casefile.core.model import Problem, Severity, Source, problem
from casefile.core.text.sanitize import clean_line, first_unsafe
from casefile.core.wording import N_

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")
"""A date with a time of day (`2023-05-01T10:00`, as vaults write `created`): its day is read."""
_TAG_SEPARATORS = re.compile(r"[,\s]+")
_LANG = re.compile(r"^[a-z]{2}$")
_WRONG = {
    "text": N_("'{key}' should be text, not {got}; it is ignored"),
    "a list": N_("'{key}' should be a list, not {got}; it is ignored"),
    "a mapping of type to names (person: [...])":
        N_("'{key}' should be a mapping of type to names (person: [...]), not {got}; it is ignored"),
    "a mapping of type to names": N_("'{key}' should be a mapping of type to names, not {got}; it is ignored"),
    "a mapping of type to lists of names":
        N_("'{key}' should be a mapping of type to lists of names, not {got}; it is ignored"),
}
"""The wrong-type warning for each kind of value expected (whole sentences, for the catalog)."""
_BAD_DATE = {"date": N_("date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD"),
             "created": N_("created '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD")}


@dataclass(slots=True)
class Collector:
    """Problems of one file, each located and sanitized."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int | None, code: str, template: str, severity: Severity = "error", /,
               **params: object) -> None:
        """Record one problem: `template` (English, translated when shown) filled with `params`."""
        self.problems.append(problem(self.path, line, code, template, severity, **params))


class Fields:
    """Typed access to front matter values; a wrong type is a located problem."""

    def __init__(self, meta: dict[str, Any], yaml_text: str, found: Collector) -> None:
        self.meta = meta
        self.yaml_lines = yaml_text.split("\n")
        self.found = found

    def line_of(self, key: str) -> int:
        """1-based file line of a top-level key (the fence is line 1)."""
        prefix = f"{key}:"
        for number, line in enumerate(self.yaml_lines, start=2):
            if line.startswith(prefix):
                return number
        return 1

    def wrong(self, key: str, expected: str, severity: Severity = "warning") -> None:
        """Report a value of the wrong type."""
        got = type(self.meta.get(key)).__name__
        self.found.report(self.line_of(key), "field-invalid", _WRONG[expected], severity, key=key, got=got)

    def report_unsafe_values(self) -> None:
        """One warning when YAML escapes (`"\\e[31m"`) put control characters in values."""
        for key, value in self.meta.items():
            if _holds_unsafe(key) or _holds_unsafe(value):
                name = scalar_text(key) or type(key).__name__
                self.found.report(self.line_of(name), "control-characters",
                                  "front matter '{key}' holds terminal control characters or bidi "
                                  "overrides; shown as \ufffd", "warning", key=clean_line(name)[:40])
                return

    def string(self, key: str) -> str | None:
        """A scalar value as a non-empty string, or None."""
        value = self.meta.get(key)
        if value is None:
            return None
        text = scalar_text(value)
        if text is None:
            self.wrong(key, "text")
            return None
        return clean_line(text).strip() or None

    def string_list(self, key: str) -> list[str]:
        """A list of scalars; a single string counts as a comma-separated list."""
        value = self.meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            self.found.report(self.line_of(key), "field-invalid",
                              "'{key}' should be a list ([a, b]); read as comma-separated text", "warning", key=key)
            return [clean_line(part).strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            self.wrong(key, "a list")
            return []
        texts = [scalar_text(item) for item in value]
        items = [clean_line(text).strip() for text in texts if text is not None]
        if len(items) != len(value):
            self.found.report(self.line_of(key), "field-invalid",
                              "'{key}' has entries that are not text; they are ignored", "warning", key=key)
        return [item for item in items if item]

    def tag_list(self) -> list[str]:
        """`tags` and `tag`: lists, or text of comma- or space-separated tags (`#` optional)."""
        found: list[str] = []
        for key in ("tags", "tag"):
            value = self.meta.get(key)
            if isinstance(value, str):
                found += [part for part in _TAG_SEPARATORS.split(clean_line(value)) if part]
            elif value is not None:
                found += self.string_list(key)
        return [tag.lstrip("#") for tag in found if tag.lstrip("#")]

    def alias_list(self) -> list[str]:
        """`aliases` (or `alias`): a list, or one string naming one alias."""
        for key in ("aliases", "alias"):
            value = self.meta.get(key)
            if isinstance(value, str):
                return [text] if (text := clean_line(value).strip()) else []
            if value is not None:
                return self.string_list(key)
        return []

    def date(self) -> str | None:
        """`date` (else `created`) as written, when it is YYYY, YYYY-MM or YYYY-MM-DD and a
        real date; a date with a time of day gives its day."""
        key = "date" if self.meta.get("date") is not None else "created"
        value = self.meta.get(key)
        if value is None:
            return None
        text = (scalar_text(value) or "").strip() if not isinstance(value, float) else ""
        text = timed.group(1) if (timed := _TIME.match(text)) else text
        if not valid_date(text):
            shown = text or type(value).__name__
            self.found.report(self.line_of(key), "date-invalid", _BAD_DATE[key], date=clean_line(shown)[:40])
            return None
        return text

    def lang(self) -> str | None:
        """ISO 639-1 language code; None when absent or invalid (then detected from the text)."""
        value = self.string("lang")
        if value is None:
            return None
        code = value.lower()
        if not _LANG.match(code):
            self.found.report(self.line_of("lang"), "field-invalid",
                              "lang '{lang}' is not a two-letter ISO 639-1 code; the language is "
                              "detected from the text", "warning", lang=value[:20])
            return None
        return code

    def entities(self) -> tuple[tuple[str, str], ...]:
        """Typed entity lists as (type, name) pairs."""
        value = self.meta.get("entities")
        if value is None:
            return ()
        if isinstance(value, list):
            self.wrong("entities", "a mapping of type to names (person: [...])")
            return ()
        if not isinstance(value, dict):
            self.wrong("entities", "a mapping of type to names")
            return ()
        pairs: list[tuple[str, str]] = []
        for kind, names in value.items():
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list):
                self.wrong("entities", "a mapping of type to lists of names")
                continue
            kind_text = clean_line(scalar_text(kind) or "").strip().lower() or "unknown"
            texts = (scalar_text(name) for name in names if not isinstance(name, float))
            pairs.extend((kind_text, clean_line(text).strip()) for text in texts
                         if text is not None and text.strip())
        return tuple(pairs)

    def sources(self) -> tuple[Source, ...]:
        """The `sources:` list; an entry may be a mapping or a bare title or URL."""
        value = self.meta.get("sources")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.wrong("sources", "a list")
            return ()
        found = []
        for item in value:
            if isinstance(item, str):
                is_url = item.startswith(("http://", "https://"))
                found.append(Source(clean_line(item), clean_line(item) if is_url else None))
            elif isinstance(item, dict):
                title, url, date = (scalar_text(item.get(k)) for k in ("title", "url", "date"))
                found.append(Source(clean_line(title or url or "untitled"),
                                    clean_line(url) if url else None,
                                    clean_line(date) if date is not None else None))
        return tuple(found)


def _holds_unsafe(value: Any) -> bool:
    """True when a front matter value (or anything nested in it) holds a control character."""
    if isinstance(value, str):
        return first_unsafe(value) is not None
    if isinstance(value, dict):
        return any(_holds_unsafe(k) or _holds_unsafe(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return any(_holds_unsafe(item) for item in value)
    return False


def scalar_text(value: Any) -> str | None:
    """A YAML scalar as text; None for lists, mappings, booleans and absurd numbers.

    Integers past ~4,000 digits are refused: `str()` of them raises ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    if isinstance(value, int) and value.bit_length() > 4000:
        return None
    return str(value)


def valid_date(text: str) -> bool:
    """True for `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a real calendar date."""
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        return 1 <= day <= calendar.monthrange(year or 1, month or 1)[1]
    return True
