"""Unbalanced query syntax, told apart before parsing: Whoosh quietly drops a stray `(`
or a dangling `AND`, so `pegasus AND (` would search `pegasus` and say nothing."""

from __future__ import annotations

import re

from casefile.core.wording import _

BINARY = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})
"""Operators that join two parts of a query."""
OPERATORS = BINARY | {"NOT", "TO"}
"""Every word the query language reads as syntax (upper case only)."""
_TOKEN = re.compile(r'"[^"]*"?|[()\[\]{}]|[^\s()\[\]{}"]+')
_CLOSE = {")": "(", "]": "[", "}": "{"}


def unbalanced(text: str) -> str | None:
    """What is unbalanced in `text` (an open quote, bracket or a dangling operator), or None."""
    if text.count('"') % 2:
        return _('a " is not closed')
    opened: list[str] = []
    previous = "("  # the start of the query is read like an opening parenthesis
    for token in _TOKEN.findall(text):
        if token in _CLOSE:
            if not opened or opened.pop() != _CLOSE[token]:
                return _("a '{token}' closes nothing").format(token=token)
        elif token in "([{":
            opened.append(token)
        if opened and opened[-1] != "(":
            continue  # inside a range `[a TO b]`: TO is its syntax
        problem = _dangling(previous, token)
        if problem:
            return problem
        previous = token
    if opened:
        return _("a '{token}' is not closed").format(token=opened[-1])
    return _dangling(previous, ")")


def _dangling(previous: str, token: str) -> str | None:
    """An operator with nothing on one side, seen from the pair (previous token, token)."""
    if token in BINARY and (previous == "(" or previous in OPERATORS):
        return _("{operator} has nothing before it").format(operator=token)
    if previous in BINARY | {"NOT"} and (token == ")" or token in BINARY):
        return _("{operator} has nothing after it").format(operator=previous)
    return None


def without_operators(text: str) -> str:
    """`text` with its upper-case operator words removed (for the plain-words reading)."""
    return " ".join(word for word in text.split() if word.strip("()") not in OPERATORS)
