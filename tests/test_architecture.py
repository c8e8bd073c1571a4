"""The core's folders tell the truth: layering, no import circles, no UI library loaded.

Every module under `casefile/core/`, at any depth, is read (its imports, including those
inside functions) and imported in a fresh interpreter. The layers, lowest first:

    text/                          fold, wiki-link grammar, sanitizer, names, language, stems
    model, wording, engine, disk   plain records, words, the engine protocol, private files
    read/                          walk the folder, read a file safely, front matter, parse
    xref/  index/                  the cross-reference; the Whoosh adapter (neither imports the other)
    archive/                       the Indexer and the Reader: the only user of both
    export/                        FollowTheMoney and tables, from an archive

A module imports only from its own layer or those below.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import casefile.core

CORE = Path(casefile.core.__file__).parent
CORE_MODULES = sorted(info.name for info in pkgutil.walk_packages(casefile.core.__path__, "casefile.core."))
LAYERS = {"text": 0, "read": 2, "xref": 3, "index": 3, "archive": 4, "export": 5}
"""Layer of each sub-package; the core's top-level modules are layer 1."""
UI_LIBRARIES = ("textual", "rich", "markdown_it")


def _path(module: str) -> Path:
    relative = Path(*module.split(".")[2:])
    package = CORE / relative / "__init__.py"
    return package if package.exists() else (CORE / relative).with_suffix(".py")


def _imports(module: str) -> set[str]:
    """Every casefile.core module this one imports, at any depth of its code."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in CORE_MODULES else node.module
                      for a in node.names}
    return {name for name in found if name.startswith("casefile.core.") and name != module}


def _layer(module: str) -> tuple[int, str]:
    parts = module.split(".")
    if len(parts) == 3 and parts[2] not in LAYERS:
        return 1, ""
    return LAYERS[parts[2]], parts[2]


def test_core_modules_are_found_at_every_depth() -> None:
    assert {"casefile.core.read.parse", "casefile.core.model", "casefile.core.xref.store",
            "casefile.core.index.engine", "casefile.core.archive.facade"} <= set(CORE_MODULES)
    assert all(_path(module).exists() for module in CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_only_its_layer_and_below(module: str) -> None:
    layer, package = _layer(module)
    wrong = sorted(name for name in _imports(module)
                   if _layer(name)[0] > layer or (_layer(name)[0] == layer and _layer(name)[1] != package))
    assert not wrong, f"{module} (layer {layer}) imports from a higher or sibling layer: {wrong}"


def test_core_has_no_import_circle() -> None:
    graph = {module: _imports(module) for module in CORE_MODULES}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circle = [*path[path.index(target):], target]
                pytest.fail("import circle: " + " -> ".join(circle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in CORE_MODULES:
        if module not in state:
            visit(module)


def test_architecture_test_sees_a_circle_and_a_layer_breach() -> None:
    assert "casefile.core.text.fold" not in _imports("casefile.core.text.fold")
    assert _layer("casefile.core.archive.facade") > _layer("casefile.core.read.parse")
    assert "casefile.core.model" in _imports("casefile.core.read.parse")


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_a_ui_library(module: str) -> None:
    probe = (f"import sys, {module}; "
             f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {UI_LIBRARIES!r})))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} loaded {result.stdout.strip()}"


def test_a_refresh_and_a_search_load_no_ui_library(tmp_path: Path) -> None:
    cases = Path(__file__).resolve().parents[1] / "cases"
    probe = (
        "import sys; from pathlib import Path; from casefile.core.archive.facade import Archive\n"
        f"a = Archive.open(Path({str(cases)!r}), Path({str(tmp_path / 'index')!r}))\n"
        "a.refresh(); hits = a.search('journalist'); a.xref.entities(); a.problems(); a.close()\n"
        "assert hits.total > 0, hits\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {UI_LIBRARIES!r})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"a refresh and a search loaded {result.stdout.strip()}"


def test_only_the_index_package_imports_whoosh() -> None:
    package = Path(casefile.__file__).parent
    importers = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if any(isinstance(node, (ast.Import, ast.ImportFrom))
               and any(name.split(".")[0] == "whoosh"
                       for name in ([a.name for a in node.names] if isinstance(node, ast.Import)
                                    else [node.module or ""]))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    )
    assert importers, "the index package should import whoosh"
    assert all(path.startswith("core/index/") for path in importers), importers
