"""Split YAML front matter from a Markdown file and load it safely.

YAML is loaded with safe loaders only, without timestamp conversion (dates stay the
strings the author wrote), with anchors and aliases refused, so an alias bomb is
rejected before it expands, with every explicit tag refused (`!!binary`, `!!set`,
`!!str`...: front matter is plain data) and with duplicate keys reported instead of
silently keeping the last value. The C loader is used when the text has no anchor,
alias or tag characters at all; the pure-Python loader, which sees them, otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from casefile.core.wording import N_

MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_NESTING = 64
_FENCE = "---"
_CLOSERS = ("---", "...")
_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML_TAG + name for name in ("null", "bool", "int", "float", "str", "seq", "map")}
# What sends a text to the careful loader: an anchor, an alias, or a `!` where a tag can start.
_NEEDS_CAREFUL = re.compile(r"[&*]|(?:^|[\s\[{,])!")


class FrontMatterError(ValueError):
    """Front matter that is not a safe YAML mapping; `line` is 1-based in the file."""

    def __init__(self, template: str, line: int, /, **params: object) -> None:
        super().__init__(template.format(**params) if params else template)
        self.line = line
        self.template = template
        """The English message with `{name}` placeholders (translated when shown)."""
        self.params = params


class _Refusal(yaml.MarkedYAMLError):
    """One of our own refusals, located by PyYAML, with its template and values kept."""

    def __init__(self, template: str, mark: yaml.Mark, /, **params: object) -> None:
        super().__init__(None, None, template.format(**params) if params else template, mark)
        self.template = template
        self.params = params


def _without_timestamps(resolvers: dict[Any, list[Any]]) -> dict[Any, list[Any]]:
    """A copy of a resolver table in which nothing resolves to a timestamp."""
    return {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class _PlainData(yaml.constructor.SafeConstructor):
    """Constructor checks shared by both loaders: plain types only, no duplicate keys."""

    # Our own table, not SafeConstructor's: bytes, sets, pairs and dates have no constructor.
    yaml_constructors = {tag: make for tag, make in yaml.SafeLoader.yaml_constructors.items()
                         if tag in _PLAIN_TAGS or tag is None}
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are all different; a repeated key is an error at its line."""
        first: dict[Any, yaml.Mark] = {}
        for key_node, _value in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                mark = first.setdefault(key, key_node.start_mark)
            except TypeError:
                continue  # an unhashable key: the base constructor reports it
            if mark is not key_node.start_mark:
                raise _Refusal("front matter has a duplicate key '{key}' (first on line {line})",
                               key_node.start_mark, key=str(key)[:40], line=str(mark.line + 2))
        return super().construct_mapping(node, deep)


class _StrictLoader(_PlainData, yaml.SafeLoader):
    """Safe loader that refuses anchors, aliases and explicit tags outright."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            _refuse("YAML aliases are not allowed in front matter", event)
        if getattr(event, "anchor", None):
            _refuse("YAML anchors are not allowed in front matter", event)
        if getattr(event, "tag", None):
            _refuse("front matter uses a YAML tag ({tag}); only plain data is allowed", event,
                    tag=_short_tag(event.tag))
        # Bounded nesting: the pure-Python composer recurses per level (libyaml stops at 1000).
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING:
                _refuse("front matter nested deeper than {levels} levels", event, levels=MAX_NESTING)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _refuse(template: str, event: Any, **params: object) -> None:
    """Raise a located YAML error for `event`."""
    raise _Refusal(template, event.start_mark, **params)


def _short_tag(tag: str) -> str:
    """`tag:yaml.org,2002:binary` -> `!!binary`; other tags as written, shortened."""
    return ("!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag)[:40]


if TYPE_CHECKING:  # the stubs know CSafeLoader, which exists only where libyaml does
    _FastBase = yaml.SafeLoader
else:
    _FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_PlainData, _FastBase):
    """Safe loader (libyaml when present) for text without anchors, aliases or tags."""


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
    unclosed: bool = False
    """True when an opening fence was never closed (the whole text is the body)."""


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
    return Split(None, text, 1, unclosed=True)


def load(yaml_text: str) -> dict[str, Any]:
    """Load front matter YAML into a mapping, or raise FrontMatterError.

    Line numbers in errors are relative to the YAML text (add 1 for the fence).
    """
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError("front matter longer than {limit} characters", 1, limit=MAX_FRONT_MATTER_CHARS)
    loader = _StrictLoader if _NEEDS_CAREFUL.search(yaml_text) else _FastLoader
    try:
        data = yaml.load(yaml_text, Loader=loader)  # noqa: S506 - both loaders are safe
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the broken construct starts
        line = mark.line + 1 if mark is not None else 1
        template, params = _describe(exc)
        raise FrontMatterError(template, line, **params) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a control character)
        line = yaml_text.count("\n", 0, max(exc.position, 0)) + 1
        if isinstance(exc.character, int):
            raise FrontMatterError("front matter holds a character YAML does not allow (U+{char})", line,
                                   char=format(exc.character, "04X")) from None
        raise FrontMatterError("front matter holds bytes YAML does not allow", line) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise FrontMatterError("front matter is not valid YAML ({error})", 1, error=type(exc).__name__) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values", 1)
    return data


def _describe(exc: yaml.MarkedYAMLError) -> tuple[str, dict[str, object]]:
    """A one-line reason (template, values) from a PyYAML error, without its excerpt."""
    if isinstance(exc, _Refusal):  # our own refusals say what they are
        return exc.template, exc.params
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem:
        return N_("front matter uses a YAML tag that is not allowed (only plain data is)"), {}
    return N_("front matter is not valid YAML: {detail}"), {"detail": problem}
