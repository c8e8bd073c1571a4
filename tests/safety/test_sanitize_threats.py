"""The sanitizer against every kind of terminal escape, and on pathological input."""

from __future__ import annotations

import pytest

from casefile.core.text.sanitize import PLACEHOLDER, clean, clean_line, is_clean
from safety.helpers import forbidden_in, within

ESC = "\x1b"
THREATS = {
    "csi-colour": f"{ESC}[31mred{ESC}[0m",
    "csi-clear-screen": f"{ESC}[2J{ESC}[H",
    "csi-alt-screen": f"{ESC}[?1049h",
    "csi-8bit": "\x9b31mred",
    "osc-window-title": f"{ESC}]0;pwned{ESC}\\",
    "osc-title-bel": f"{ESC}]2;pwned\x07",
    "osc-8-hyperlink": f"{ESC}]8;;https://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\",
    "osc-52-clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07",
    "osc-8bit": "\x9d0;pwned\x9c",
    "dcs-decrqss": f"{ESC}P$qm{ESC}\\",
    "dcs-8bit": "\x90+q544e\x9c",
    "apc": f"{ESC}_Gf=100;AAAA{ESC}\\",
    "pm-sos": f"{ESC}^private{ESC}\\{ESC}Xstring{ESC}\\",
    "esc-charset": f"{ESC}(0lqqk{ESC}(B",
    "esc-reset": f"{ESC}c",
    "c0-bell-backspace": "a\x07b\x08c",
    "c1-next-line": "a\x85b",
    "del": "a\x7fb",
    "carriage-return-overwrite": "safe text\rEVIL",
    "bidi-override": "invoice\u202efdp.md",
    "bidi-isolate": "a\u2066b\u2069c",
    "lone-surrogate": "name\udcff.md",
}


@pytest.mark.parametrize("text", THREATS.values(), ids=THREATS.keys())
def test_no_threat_survives(text: str) -> None:
    for cleaned in (clean(text), clean_line(text)):
        assert forbidden_in(cleaned) == []
        assert is_clean(cleaned)
        assert ESC not in cleaned and "\x9b" not in cleaned


@pytest.mark.parametrize("text", THREATS.values(), ids=THREATS.keys())
def test_cleaned_text_encodes_as_utf8(text: str) -> None:
    clean_line(text).encode("utf-8")  # a lone surrogate would raise here


def test_terminated_strings_are_removed_whole() -> None:
    assert clean(THREATS["osc-window-title"] + "after") == PLACEHOLDER + "after"
    assert "evil.example" not in clean(THREATS["osc-8-hyperlink"])
    assert clean(THREATS["osc-8-hyperlink"]).count("click") == 1


def test_unterminated_string_does_not_hide_the_rest_of_the_file() -> None:
    text = f"before {ESC}]0;no terminator\nline two\nline three"
    cleaned = clean(text)
    assert cleaned.endswith("no terminator\nline two\nline three")
    assert cleaned.count("\n") == 2


def test_newlines_and_tabs_are_kept_only_by_clean() -> None:
    assert clean("a\nb\tc") == "a\nb\tc"
    assert clean_line("a\nb\tc") == "a b c"


def test_plain_text_is_returned_unchanged() -> None:
    text = "Peña Nieto — «vigilancia» [link=x] [/bold] 監視 \u200d"
    assert clean(text) == text
    assert clean_line(text) == text


@pytest.mark.parametrize("text", [
    "\x9d" * 300_000,
    f"{ESC}]" * 200_000,
    ("\x9d" + "a" * 5000) * 60,
    f"{ESC}[" + "1;" * 200_000,
    ("\x90" + "x" * 4095) * 80,
])
def test_pathological_input_is_cleaned_in_bounded_time(text: str) -> None:
    with within(5):
        assert is_clean(clean(text))
