"""Counts, numbers and dates in both languages; the language chosen as gettext does;
problems translated when shown, kept in English (with their values) in the index."""

from __future__ import annotations

import pytest

from casefile.config import choose_language, locale_language
from casefile.core.archive.catalog import Entry
from casefile.core.model import problem
from casefile.core.wording import _, counted, date_text, decimal, number, use_language


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["0 mentions", "1 mention", "2 mentions", "1,234 mentions"]),
    ("es", ["0 menciones", "1 mención", "2 menciones", "1.234 menciones"]),
])
def test_plural_forms_and_thousands(lang: str, expected: list[str]) -> None:
    use_language(lang)
    assert [counted(n, "{n} mention", "{n} mentions") for n in (0, 1, 2, 1234)] == expected


def test_numbers_and_decimals_follow_the_language() -> None:
    use_language("es")
    assert (number(1234567), decimal(1234.5), decimal(0.04)) == ("1.234.567", "1.234,5", "0,0")
    use_language("en")
    assert (number(1234567), decimal(1234.5)) == ("1,234,567", "1,234.5")


@pytest.mark.parametrize(("value", "long", "short"), [
    ("2017-08-02", "2 de agosto de 2017", "02/08/2017"),
    ("2017-12", "diciembre de 2017", "12/2017"),
    ("2017", "2017", "2017"),
    ("2017-13", "2017-13", "13/2017"),
    (None, "", ""),
])
def test_spanish_dates(value: str | None, long: str, short: str) -> None:
    use_language("es")
    assert (date_text(value), date_text(value, short=True)) == (long, short)


def test_english_dates_stay_as_written() -> None:
    assert date_text("2017-08-02") == "2017-08-02"


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "es_MX.UTF-8"}, "es"),
    ({"LANG": "es_MX.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es"),
    ({"LANGUAGE": "pt_BR:es", "LANG": "en_US.UTF-8"}, "es"),
    ({"LANGUAGE": "fr", "LANG": "es_MX.UTF-8"}, "es"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "pt_BR.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_locale_is_read_as_gettext_reads_it(env: dict[str, str], expected: str) -> None:
    assert locale_language(env) == expected


def test_flag_then_config_then_locale() -> None:
    env = {"LANG": "es_MX.UTF-8"}
    assert choose_language(None, env, {}) == "es"
    assert choose_language(None, env, {"lang": "en"}) == "en"
    assert choose_language("es", env, {"lang": "en"}) == "es"
    assert choose_language(None, env, {"lang": "klingon"}) == "es"


def test_a_problem_is_translated_when_shown_and_stays_english_in_the_index() -> None:
    found = problem("a.md", 3, "date-invalid", "date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD", date="ayer")
    use_language("es")
    assert found.message == "date 'ayer' is not YYYY, YYYY-MM or YYYY-MM-DD"
    assert found.localized == "la fecha 'ayer' no tiene la forma AAAA, AAAA-MM o AAAA-MM-DD"
    stored = Entry.from_json("a.md", Entry("sha", "a", "case", problems=[found]).to_json()).problems[0]
    assert stored == found and stored.localized == found.localized


def test_counts_inside_a_problem_use_the_language() -> None:
    found = problem("a.md", None, "file-too-large", "over the {limit}-byte limit; not indexed", limit=5_000_000)
    assert found.message == "over the 5,000,000-byte limit; not indexed"
    use_language("es")
    assert found.localized == "supera el límite de 5.000.000 bytes; no se indexa"


def test_a_broken_translation_never_hides_the_problem() -> None:
    import gettext

    from casefile.core.wording import use_catalog

    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "{missing}"

    found = problem("a.md", 1, "x", "value {v}", v="1")
    use_catalog(Broken())
    assert found.localized == "value 1"
    assert _("anything") == "{missing}"


def test_conventional_entity_types_are_shown_in_the_language() -> None:
    from casefile.core.wording import type_name

    use_language("es")
    assert [type_name(t) for t in ("person", "organization", "place", "vessel")] == [
        "persona", "organización", "lugar", "vessel"]
    use_language("en")
    assert type_name("organization") == "organization"
