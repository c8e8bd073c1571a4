"""Suite-wide fixtures: no test may open a network socket.

The guard lives in tests/nonet/casefile_nonet.py; `tests/nonet/sitecustomize.py`
installs the same guard in child processes whose PYTHONPATH starts with tests/nonet
(`tests/safety/helpers.py: offline_env()` builds that environment).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

NONET_DIR = Path(__file__).parent / "nonet"


def _load_guard() -> ModuleType:
    """Import tests/nonet/casefile_nonet.py without putting it on sys.path."""
    spec = importlib.util.spec_from_file_location("casefile_nonet", NONET_DIR / "casefile_nonet.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered so tests can `import casefile_nonet` for NetworkBlockedError.
    sys.modules["casefile_nonet"] = module
    spec.loader.exec_module(module)
    return module


nonet = _load_guard()


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """Make every network socket creation and host lookup fail for the whole session."""
    undo = nonet.install()
    try:
        yield
    finally:
        undo()



LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and leaves English behind
    (the language is process-wide; a Spanish test must not leak into the next one)."""
    from casefile.core.wording import use_language

    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    use_language("en")
    yield
    use_language("en")
