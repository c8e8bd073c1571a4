"""The one choke point for untrusted text on its way to a terminal.

Every string that came from a case file or a file name passes `clean()` (or
`clean_line()`) before it is printed, put in JSON, or shown in a widget. It removes
escape sequences of every kind (CSI, OSC, DCS, SOS/PM/APC, and their 8-bit C1 forms)
and replaces every other C0/C1 control character and DEL with a visible placeholder.
Rich/Textual markup is not this module's concern: widgets build `Text`/`Content`
objects, never markup strings.

Invisible characters (zero-width, bidi marks, line separators) are legitimate in prose
but let two names look identical: `show_invisible` marks them (`⟨ZWSP⟩`) in names,
ids and titles; `names.without_invisible` drops them when names are compared.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings
# (ESC ] ... BEL or ST), and two-character escapes (ESC + one byte). A string
# sequence is removed whole only when it is terminated on the same line within
# _MAX_STRING characters; otherwise only its introducer goes, so an unterminated
# `ESC ]` cannot hide the rest of a file (its payload is then harmless text).
_MAX_STRING = 4096
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?: \x1b\[ | \x9b ) [\x20-\x3f]* [\x40-\x7e]?          # CSI
  | (?: \x1b[\]P^_X] | [\x90\x98\x9d\x9e\x9f] )            # OSC, DCS, SOS, PM, APC
        (?: [^\x07\x1b\n\x90\x98\x9c-\x9f]{0,%d}+ (?: \x07 | \x1b\\ | \x9c ) )?  # ... BEL or ST
  | \x1b [\x20-\x7e]?                                        # any other ESC x
    """ % _MAX_STRING,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_LAYOUT = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that reorder text (bidi embeddings, overrides and isolates: the
# "Trojan Source" set) and lone surrogates (undecodable bytes of a file name, which
# would crash any UTF-8 writer): shown as placeholders too.
_UNSAFE_UNICODE = re.compile("[\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Fast paths: most text has nothing to clean.
_ANY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_ANY_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# What makes a file suspicious (carriage returns are only line endings).
_SUSPICIOUS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

PLACEHOLDER = "\ufffd"
INVISIBLE = {"\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM",
             "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM", "\u2028": "LSEP", "\u2029": "PSEP"}
"""Characters that take no visible space (or break a line) -> the abbreviation shown for them."""
_INVISIBLE = re.compile("[%s]" % "".join(INVISIBLE))


def _visible(match: re.Match[str]) -> str:
    """Replace one control character by a visible placeholder."""
    return PLACEHOLDER


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Return `text` safe for a terminal: no escape sequences, no control characters.

    Newline and tab are kept when `keep_newlines` is true, turned into spaces
    otherwise; carriage returns are dropped.
    """
    if not text:
        return ""
    if not (_ANY_UNSAFE if keep_newlines else _ANY_UNSAFE_IN_LINE).search(text):
        return text
    text = _ESCAPE_SEQUENCE.sub(PLACEHOLDER, text.replace("\r\n", "\n"))
    text = text.replace("\r", "")
    if keep_newlines:
        text = _CONTROL.sub(_visible, text)
    else:
        text = text.replace("\n", " ").replace("\t", " ")
        text = _CONTROL_OR_LAYOUT.sub(_visible, text)
    return _UNSAFE_UNICODE.sub(_visible, text)


def clean_line(text: str) -> str:
    """Return `text` as one safe line: like `clean()`, with newlines and tabs as spaces."""
    return clean(text, keep_newlines=False)


def is_clean(text: str) -> bool:
    """True when `text` holds no control character but newline and tab."""
    return not _CONTROL.search(text) and not _UNSAFE_UNICODE.search(text)


def first_unsafe(text: str) -> int | None:
    """Index of the first control character (but newline, tab, CR) or bidi override, or None."""
    match = _SUSPICIOUS.search(text)
    return match.start() if match else None


def has_invisible(text: str) -> bool:
    """True when `text` holds a zero-width character, a bidi mark or a line separator."""
    return not text.isascii() and _INVISIBLE.search(text) is not None


def show_invisible(text: str) -> str:
    """`text` with each invisible character shown as `⟨ZWSP⟩`, `⟨RLM⟩`...: for names and titles."""
    if not has_invisible(text):
        return text
    return _INVISIBLE.sub(lambda match: f"\u27e8{INVISIBLE[match.group()]}\u27e9", text)
