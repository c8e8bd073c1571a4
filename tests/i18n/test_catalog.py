"""The Spanish catalog is complete and shipped compiled: a user-facing string that is not
in it (or only in English) fails here, so no feature ships English-only."""

from __future__ import annotations

import ast
import importlib.util
import re
import string
import sys
from pathlib import Path
from types import ModuleType

import pytest

import casefile
from casefile.core import wording

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(casefile.__file__).resolve().parent
MARKERS = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "counted": (1, 2)}


def _tools() -> ModuleType:
    """tools/catalog.py, the extractor and compiler the developers run."""
    spec = importlib.util.spec_from_file_location("casefile_catalog_tool", ROOT / "tools" / "catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tools()


@pytest.fixture(scope="module")
def spanish(tool: ModuleType):
    return tool.read(wording.LOCALE_DIR / "es" / "LC_MESSAGES" / "casefile.po")


@pytest.fixture(scope="module")
def extracted(tool: ModuleType):
    return tool.extract(PACKAGE)


def test_every_extracted_string_has_a_spanish_translation(tool: ModuleType, spanish, extracted) -> None:
    assert len(extracted) > 150, "the extractor found too few strings: are the keywords right?"
    assert tool.untranslated(spanish, extracted) == []


def test_the_shipped_mo_is_the_compiled_po(tool: ModuleType, spanish) -> None:
    shipped = wording.LOCALE_DIR / "es" / "LC_MESSAGES" / "casefile.mo"
    assert shipped.read_bytes() == tool.compiled(spanish), "run: python tools/catalog.py compile"


def _fields(text: str) -> set[str]:
    """The `{name}` placeholders of a format string."""
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder(spanish) -> None:
    wrong = []
    for message in spanish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(_fields(text) != _fields(ids[-1]) for text in strings):
            wrong.append(ids[0])
    assert wrong == []


def _literal_calls(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each literal passed to a marker function, as the AST sees it
    (also inside f-strings, where a token-based extractor does not look)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
            for index in MARKERS[node.func.id]:
                if index < len(node.args) and isinstance(node.args[index], ast.Constant):
                    found.append((node.lineno, node.args[index].value))
    return found


def test_every_marked_literal_reaches_the_catalog(extracted) -> None:
    known = {text for message in extracted for text in (message.id if isinstance(message.id, tuple)
                                                         else (message.id,))}
    missed = [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
              for path in sorted(PACKAGE.rglob("*.py")) if "selftest" not in path.parts
              for line, text in _literal_calls(path) if isinstance(text, str) and text not in known]
    assert missed == [], "marked but not extracted (a _() inside an f-string?)"


def test_spanish_plural_forms_are_the_usual_two(spanish) -> None:
    assert spanish.num_plurals == 2
    assert re.sub(r"\s", "", spanish.plural_expr) in {"(n!=1)", "n!=1"}
