"""Words for people, in the user's language: the one place for translation.

English is the source language; Spanish comes from the gettext catalog shipped in
`casefile/locale` (`casefile.po`, compiled to `casefile.mo`). Use `_("text")` for a
string, `counted(n, "{n} case", "{n} cases")` for a count (plural rules differ by
language, so a count is never glued to a fixed suffix such as "(s)"), `N_("text")` to
mark a string defined at import time that is translated later with `_(...)`, and
`number()`/`decimal()`/`date_text()` for figures and dates. Machine output (--json),
problem codes and query syntax never go through here.

Extract with `pybabel extract -k _ -k N_ -k counted:2,3 -k ngettext:1,2 -k problem:4`.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "casefile"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "es")
"""The languages casefile speaks; English is the source."""
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def use_language(language: str) -> None:
    """Speak `language` ("en" or "es") from now on, in this process."""
    global _catalog, _language  # noqa: PLW0603 - one process-wide language, chosen at the edge
    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        _catalog = gettext.NullTranslations()
    else:
        _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def use_catalog(catalog: gettext.NullTranslations) -> None:
    """Use `catalog` for every later string (tests; the default is the English source)."""
    global _catalog  # noqa: PLW0603 - see use_language
    _catalog = catalog


def language() -> str:
    """The language in use: "en" or "es"."""
    return _language


def _(message: str) -> str:
    """`message` in the user's language."""
    return _catalog.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (import-time strings)."""
    return message


ENTITY_TYPES = {"person": N_("person"), "organization": N_("organization"), "place": N_("place"),
                "event": N_("event"), "object": N_("object")}
"""The conventional entity types (casefile-format.md); any other type is shown as written."""


def type_name(kind: str) -> str:
    """An entity type as shown to people: a conventional one in the user's language."""
    return _(ENTITY_TYPES[kind]) if kind in ENTITY_TYPES else kind


def ngettext(singular: str, plural: str, n: int) -> str:
    """`singular` or `plural` for `n`, in the user's language, with its plural rule."""
    return _catalog.ngettext(singular, plural, n)


def number(n: int) -> str:
    """`n` with the language's thousands separator: 10000 -> "10,000" or "10.000"."""
    text = f"{n:,}"
    return text.replace(",", ".") if _language == "es" else text


def decimal(x: float, places: int = 1) -> str:
    """`x` with `places` decimals and the language's decimal mark: 1.5 or 1,5."""
    text = f"{x:,.{places}f}"
    return text.translate(str.maketrans(",.", ".,")) if _language == "es" else text


def counted(n: int, singular: str, plural: str) -> str:
    """`singular` or `plural` for `n`, with `{n}` filled in: counted(1, "{n} case", "{n} cases")."""
    return ngettext(singular, plural, n).format(n=number(n))


def date_text(value: str | None, *, short: bool = False) -> str:
    """A case date as written (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) in the user's language:
    Spanish "2 de agosto de 2017" (short: "02/08/2017"); English keeps the ISO form."""
    if not value or _language != "es":
        return value or ""
    parts = value.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return value
    if short:
        return "/".join(reversed(parts))
    if len(parts) == 1 or not 1 <= int(parts[1]) <= 12:
        return value if len(parts) > 1 else parts[0]
    month = f"{MONTHS_ES[int(parts[1]) - 1]} de {parts[0]}"
    return f"{int(parts[2])} de {month}" if len(parts) == 3 else month
