"""Counts in words for people: singular or plural picked the way gettext's `ngettext`
does, numbers with thousands separators ("10,000"). Machine output (--json) never
goes through here.

The strings are English; a translation plugs in with `use_catalog(gettext.translation(...))`
(extract with `xgettext --keyword=counted:2,3`). Plural rules differ by language, so a
count is never glued to a fixed suffix such as "(s)".
"""

from __future__ import annotations

import gettext

_catalog: gettext.NullTranslations = gettext.NullTranslations()


def use_catalog(catalog: gettext.NullTranslations) -> None:
    """Use `catalog` for every later count (the default is the English source strings)."""
    global _catalog  # noqa: PLW0603 - one process-wide language, chosen once at start
    _catalog = catalog


def number(n: int) -> str:
    """`n` with thousands separators: 10000 -> "10,000"."""
    return f"{n:,}"


def counted(n: int, singular: str, plural: str) -> str:
    """`singular` or `plural` for `n`, with `{n}` filled in: counted(1, "{n} case", "{n} cases")."""
    return _catalog.ngettext(singular, plural, n).format(n=number(n))
