"""The core never loads Textual: each core module is imported in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import casefile
import casefile.core

CORE_MODULES = sorted(
    f"casefile.core.{info.name}" for info in pkgutil.iter_modules(casefile.core.__path__)
)


def test_core_modules_are_found() -> None:
    assert "casefile.core.parse" in CORE_MODULES
    assert "casefile.core.model" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_textual(module: str) -> None:
    probe = (
        f"import sys, {module}; "
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(','.join(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} loaded {result.stdout.strip()}"


def test_only_index_module_imports_whoosh() -> None:
    from pathlib import Path

    package = Path(casefile.__file__).parent
    importers = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if any(line.lstrip().startswith(("import whoosh", "from whoosh"))
               for line in path.read_text(encoding="utf-8").splitlines())
    )
    assert importers, "the index package should import whoosh"
    assert all(path.startswith("core/index/") for path in importers), importers
