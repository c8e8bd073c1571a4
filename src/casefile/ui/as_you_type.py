"""Search as you type: the last word, still being typed, is searched as a prefix.

A pure function, used by the search pane. The query the user submits (Enter) stays
literal; only the searches fired while typing go through `typing_query`. The core's
exact-title boost ignores that final `*` (core/index/queries.py `prepare`).
"""

from __future__ import annotations

import re

from casefile.core.text.analysis import has_cjk

MIN_PREFIX = 3
"""Letters the last word needs before it is searched as a prefix of every word; a shorter
one matches too many body words, so it is searched in `SHORT_FIELDS` only."""
SHORT_FIELDS = ("title", "tag", "entity")
"""Where a one- or two-letter word is searched as a prefix: small vocabularies, short postings."""
_LAST_WORD = re.compile(r"(?:^|[\s(])([^\W\d_]+)$")
"""A bare word of letters ending the text, after a space, an opening paren or nothing
(so not `tag:x`, `-x`, `x*`, `x~`, `x^2`, `"x"`, digits or dates)."""
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_PHRASE = re.compile(r'"[^"]*"')


def typing_query(text: str) -> str:
    """`text` with its final bare word searched as a prefix, else `text` unchanged.

    A word of >= 3 letters gets a `*`; a shorter one becomes `(title:w* OR tag:w* OR
    entity:w*)`. Parentheses still open are closed (the user is typing inside them).
    Unchanged when the text ends with a space (the word is finished), a quote, a
    paren, field or operator syntax, or inside an open phrase, or when the word is two or
    more Chinese or Japanese characters (searched as bigrams, it matches inside longer runs).
    """
    match = _LAST_WORD.search(text)
    if match is None or text.count('"') % 2:  # no bare last word, or inside "a phrase
        return text
    word = match.group(1)
    if word in OPERATORS or (len(word) > 1 and has_cjk(word)):  # Chinese, Japanese: bigrams match inside
        return text
    if len(word) < MIN_PREFIX:
        text = text[:match.start(1)] + "(" + " OR ".join(f"{field}:{word}*" for field in SHORT_FIELDS) + ")"
    else:
        text = f"{text}*"
    outside = _PHRASE.sub("", text)
    return text + ")" * max(0, outside.count("(") - outside.count(")"))
