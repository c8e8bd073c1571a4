"""Helpers for the export tests: run the command, validate FtM entities strictly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casefile.cli import main

REPO = Path(__file__).resolve().parents[2]
BILINGUAL = REPO / "tests" / "data" / "bilingual"
SAMPLES = REPO / "cases"
XREF = REPO / "tests" / "data" / "xref"
NONET_DIR = REPO / "tests" / "nonet"


def export(capsys: pytest.CaptureFixture[str], cases: Path, *argv: str) -> tuple[int, str, str]:
    """`casefile export ... --no-disk-index --cases CASES` in this process."""
    code = main(["export", *argv, "--no-disk-index", "--cases", str(cases)])
    out, err = capsys.readouterr()
    return code, out, err


def export_process(cases: Path, *argv: str, seed: str = "0", env: dict[str, str] | None = None,
                   pre: str = "") -> subprocess.CompletedProcess[bytes]:
    """The same in a new interpreter (own hash seed; `pre` runs first, e.g. to block an import)."""
    import os

    child = dict(os.environ if env is None else env, PYTHONHASHSEED=seed)
    child["PYTHONPATH"] = os.pathsep.join(p for p in (str(NONET_DIR), child.get("PYTHONPATH")) if p)
    args = ["export", *argv, "--no-disk-index", "--cases", str(cases)]
    code = f"{pre}\nimport sys\nfrom casefile.cli import main\nsys.exit(main({args!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, check=False)


def ftm_lines(text: str) -> list[dict[str, Any]]:
    """The entities of an FtM export."""
    return [json.loads(line) for line in text.splitlines()]


def strict_problems(entities: list[dict[str, Any]]) -> list[str]:
    """Everything followthemoney's model rejects, and more strictly than `validate` alone:
    unknown or stub properties, values not already clean, dangling references, duplicate ids."""
    from followthemoney import model

    problems, ids = [], [entity["id"] for entity in entities]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    for entity in entities:
        problems += [f"{entity['id']}: {p}" for p in _entity_problems(model, entity, set(ids))]
    return problems


def _entity_problems(model: Any, entity: dict[str, Any], ids: set[str]) -> list[str]:
    """What is wrong with one entity."""
    schema = model.get(entity.get("schema", ""))
    if schema is None or schema.abstract:
        return [f"schema {entity.get('schema')!r} unknown or abstract"]
    found = [] if set(entity) == {"id", "schema", "properties"} else [f"keys {sorted(entity)}"]
    schema.validate(entity)  # raises InvalidData on a bad value or a missing required property
    for name, values in entity["properties"].items():
        prop = schema.properties.get(name)
        if prop is None or prop.stub:
            found.append(f"unknown property {name}")
            continue
        found += [f"{name}: {v!r} not clean" for v in values if prop.type.clean(v, proxy=None) != v]
        if prop.type.name == "entity":
            found += [f"{name}: {v} refers to nothing exported" for v in values if v not in ids]
    found += [f"required {name} missing" for name in schema.required if not entity["properties"].get(name)]
    reparsed = model.get_proxy(entity, cleaned=False).to_dict()  # what `ftm validate` does
    if _sorted(reparsed["properties"]) != _sorted(entity["properties"]):
        found.append("changes when followthemoney parses it again")
    return found


def _sorted(properties: dict[str, list[str]]) -> dict[str, list[str]]:
    """Property values in a canonical order."""
    return {name: sorted(values) for name, values in properties.items()}
