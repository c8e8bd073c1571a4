"""Search as you type: the last word, still being typed, is searched as a prefix.

Pure functions, used by the search pane. The query the user submits (Enter) stays
literal; only the searches fired while typing go through `typing_query`. Because the
core's exact-title boost compares the whole query text with titles, and a `*` keeps
it from matching, `exact_first` puts an exact title (or id) back on top in the UI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casefile.core.model import SearchHit
from casefile.core.names import fold, normalize_name

MIN_PREFIX = 3
"""Letters the last word needs before it is searched as a prefix (shorter ones match too much)."""
_LAST_WORD = re.compile(r"(?:^|[\s(])([^\W\d_]+)$")
"""A bare word of letters ending the text, after a space, an opening paren or nothing
(so not `tag:x`, `-x`, `x*`, `x~`, `x^2`, `"x"`, digits or dates)."""
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def typing_query(text: str) -> str:
    """`text` with `*` after a final bare word of >= 3 letters, else `text` unchanged.

    Unchanged when the text ends with a space (the word is finished), a quote, a
    paren, field or operator syntax, or inside an open phrase.
    """
    match = _LAST_WORD.search(text)
    if match is None or text.count('"') % 2:  # no bare last word, or inside "a phrase
        return text
    word = match.group(1)
    if len(word) < MIN_PREFIX or word in OPERATORS:
        return text
    return f"{text}*"


def exact_first(hits: Sequence[SearchHit], typed: str) -> tuple[SearchHit, ...]:
    """`hits` with the first one whose title (or id) is exactly `typed` moved to the top."""
    title, ident = normalize_name(typed.strip('"')), fold(typed.strip())
    if not title:
        return tuple(hits)
    for number, hit in enumerate(hits):
        if normalize_name(hit.title) == title or fold(hit.id) == ident:
            return (hit, *hits[:number], *hits[number + 1:]) if number else tuple(hits)
    return tuple(hits)
