"""Split YAML front matter from a Markdown file and load it safely.

YAML is loaded with safe loaders only, without timestamp conversion (dates stay the
strings the author wrote), and with anchors and aliases refused, so an alias bomb is
rejected before it expands. The C loader is used when the text has no anchor or alias
characters at all; the pure-Python loader, which can refuse aliases, otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_NESTING = 64
_FENCE = "---"
_CLOSERS = ("---", "...")


class FrontMatterError(ValueError):
    """Front matter that is not a safe YAML mapping; `line` is 1-based in the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _without_timestamps(resolvers: dict[Any, list[Any]]) -> dict[Any, list[Any]]:
    """A copy of a resolver table in which nothing resolves to a timestamp."""
    return {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class _StrictLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors and aliases outright."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases are not allowed in front matter", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                None, None, "YAML anchors are not allowed in front matter", event.start_mark
            )
        # Bounded nesting: the pure-Python composer recurses per level (libyaml stops at 1000).
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING:
                raise yaml.MarkedYAMLError(
                    None, None, f"front matter nested deeper than {MAX_NESTING} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_FastBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_FastBase):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml when present) without timestamp conversion."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


@dataclass(frozen=True, slots=True)
class Split:
    """A file's text cut into front matter and body."""

    yaml_text: str | None
    """The YAML between the fences, or None when the file has no front matter."""
    body: str
    body_line: int
    """1-based line of the file on which the body starts."""
    too_long: bool = False
    """True when an opening fence had no closing fence within MAX_FRONT_MATTER_CHARS."""


def split(text: str) -> Split:
    """Cut `text` into front matter and body; a missing closing fence means no front matter."""
    if not text.startswith(_FENCE):
        return Split(None, text, 1)
    first_end = text.find("\n")
    if first_end == -1 or text[:first_end].rstrip() != _FENCE:
        return Split(None, text, 1)
    pos = first_end + 1
    line = 2
    while pos <= len(text):
        end = text.find("\n", pos)
        if end == -1:
            end = len(text)
        if text[pos:end].rstrip() in _CLOSERS:
            return Split(text[first_end + 1 : pos], text[end + 1 :], line + 1)
        if pos - first_end > MAX_FRONT_MATTER_CHARS:
            return Split(None, text, 1, too_long=True)
        pos = end + 1
        line += 1
    return Split(None, text, 1)


def load(yaml_text: str) -> dict[str, Any]:
    """Load front matter YAML into a mapping, or raise FrontMatterError.

    Line numbers in errors are relative to the YAML text (add 1 for the fence).
    """
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(f"front matter longer than {MAX_FRONT_MATTER_CHARS} characters", 1)
    loader = _StrictLoader if ("&" in yaml_text or "*" in yaml_text) else _FastLoader
    try:
        data = yaml.load(yaml_text, Loader=loader)  # noqa: S506 - both loaders are safe
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the broken construct starts
        line = mark.line + 1 if mark is not None else 1
        raise FrontMatterError(_describe(exc), line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character)
        line = yaml_text.count("\n", 0, max(exc.position, 0)) + 1
        raise FrontMatterError("front matter holds a character YAML does not allow "
                               f"(U+{exc.character:04X})" if isinstance(exc.character, int)
                               else "front matter holds bytes YAML does not allow", line) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise FrontMatterError(f"front matter is not valid YAML ({type(exc).__name__})", 1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values", 1)
    return data


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """A one-line reason from a PyYAML error, without its multi-line excerpt."""
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem:
        return "front matter uses a YAML tag that is not allowed (only plain data is)"
    return f"front matter is not valid YAML: {problem}"
