"""No English sentence reaches the user unwrapped: an AST scan of the reader, the command
line and the core code that words problems and errors, for string literals (and f-strings)
passed straight to a user-facing sink instead of through `_()`, `counted()` or `problem()`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import casefile

PACKAGE = Path(casefile.__file__).resolve().parent
SCANNED = ("cli", "ui", "core", "config.py")
SINKS = {
    # callable name -> positions of user-facing arguments
    "notify": (0,), "Label": (0,), "Static": (0,), "Button": (0,), "Option": (0,),
    "emit": (0,), "report_error": (0,), "CasefileError": (0,), "OutputRefused": (0,),
    "IndexFolderRefused": (0,), "MissingExtra": (0,), "Problem": (3,), "add_parser": (), "Parser": (),
    "ArgumentParser": (), "add_argument": (), "add_argument_group": (0,), "Hit": (0, 2), "DiscoveryHit": (0, 2),
    "SystemCommand": (0, 1), "set_notice": (0,), "show_notice": (0,), "Text": (0,), "update": (0,),
    "write": (0,), "append": (0,),
}
KEYWORDS = {"help", "description", "epilog", "title", "sub_title", "placeholder", "tooltip", "message",
            "label", "text", "prompt", "border_title", "help_text"}
"""Keyword arguments that hold words for people, whatever the callable."""
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = re.compile(r"^(?:casefile|selftest|sha256)?[\W\d_]*$")
"""Literal parts that are no sentence: the program's name, a digest's name, punctuation.
Binding descriptions are not sinks here: the extractor reads them (`Binding:3`) and
`casefile.ui.words.TranslatedBindings` translates them where Textual shows them."""


def _name(func: ast.expr) -> str:
    """The called name: `emit` for emit(...) and self.app.notify(...) alike."""
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _english(node: ast.expr) -> str | None:
    """The literal text of `node` when it is an unwrapped sentence, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _english(node.left) or _english(node.right)
    elif isinstance(node, ast.BoolOp):
        return next(filter(None, map(_english, node.values)), None)
    elif isinstance(node, ast.IfExp):
        return _english(node.body) or _english(node.orelse)
    else:
        return None
    text = "".join(parts).strip()
    if WORD.search(text) and not NOT_WORDS.match(text):
        return text
    return None


def _unwrapped(path: Path, base: Path = PACKAGE) -> list[str]:
    """`file:line: text` for each English literal handed straight to a sink in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = [node.args[i] for i in SINKS.get(name, ()) if i < len(node.args)]
        args += [kw.value for kw in node.keywords if kw.arg in KEYWORDS]
        for arg in args:
            text = _english(arg)
            if text is not None:
                found.append(f"{path.relative_to(base)}:{node.lineno}: {text[:60]!r}")
    return found


def _files() -> list[Path]:
    """The Python files scanned (the self-test is a developer's check, in English)."""
    files = []
    for entry in SCANNED:
        target = PACKAGE / entry
        files += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return files


def test_no_user_facing_literal_is_left_unwrapped() -> None:
    found = [line for path in _files() for line in _unwrapped(path)]
    assert found == [], "wrap these with _() (or counted()/problem()):\n" + "\n".join(found)


def test_the_scan_sees_an_unwrapped_sentence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('emit("3 cases found")\nself.notify(f"saved {path}")\nemit(_("3 cases found"))\n'
                      'Label("Find:")\nText(date or "no date")\nemit("casefile: " + x)\n',
                      encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in _unwrapped(sample, tmp_path)] == [
        "'3 cases found'", "'saved'", "'Find:'", "'no date'"]


def _binds_underscore(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when `function` binds `_` itself (a parameter, `for _ in`, `a, _ = ...`),
    which makes every `_("...")` in it fail: `_` is then a local, not gettext."""
    arguments = function.args
    names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                             arguments.vararg, arguments.kwarg) if a is not None}
    names |= {node.id for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    return "_" in names


def test_no_function_hides_gettext_behind_an_underscore_variable() -> None:
    hidden = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_gettext = any(isinstance(node, ast.ImportFrom) and node.module == "casefile.core.wording"
                              and any(alias.name == "_" for alias in node.names) for node in tree.body)
        if imports_gettext:
            hidden += [f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}" for node in ast.walk(tree)
                       if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _binds_underscore(node)]
    assert hidden == []
