"""Search as you type: the last word, still being typed, is searched as a prefix.

A pure function, used by the search pane. The query the user submits (Enter) stays
literal; only the searches fired while typing go through `typing_query`. The core's
exact-title boost ignores that final `*` (core/index/queries.py `prepare`).
"""

from __future__ import annotations

import re

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

