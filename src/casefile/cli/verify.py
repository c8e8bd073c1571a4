"""`casefile verify`: write or check a SHA-256 manifest of every file of the case folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from casefile.cli.output import emit, emit_json
from casefile.config import Config
from casefile.core.model import CasefileError
from casefile.core.read import integrity
from casefile.core.wording import _, counted, number


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `verify` command."""
    parser = subparsers.add_parser(
        "verify", parents=[parent], help=_("write or check a SHA-256 manifest of the case folder"),
        description=_("Without --manifest, print a manifest of every file's SHA-256. With --manifest "
                      "FILE: write FILE when it does not exist; otherwise check the folder against it "
                      "and list added, removed and changed files (exit status 1 on any difference). "
                      "Manifest lines are sha256sum lines."),
    )
    parser.add_argument("--manifest", metavar="FILE", help=_("manifest to write (if missing) or check"))
    parser.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def run(args: argparse.Namespace, config: Config) -> int:
    """Print, write or check the manifest."""
    if args.manifest is None:
        return _print(config, args.json)
    manifest = Path(args.manifest).expanduser().absolute()
    if manifest.exists():
        return _check(config, manifest, args.json)
    return _write(config, manifest, args.json)


def _print(config: Config, as_json: bool) -> int:
    """Print the manifest of the folder; nothing is written."""
    digests = integrity.hash_folder(config.cases_dir)
    if as_json:
        emit_json({"files": [{"path": integrity.escape_name(p), "sha256": d} for p, d in digests.items()]})
    elif digests:
        emit(integrity.format_manifest(digests).rstrip("\n"))
    return 0


def _write(config: Config, manifest: Path, as_json: bool) -> int:
    """Create the manifest file (never inside the case folder: casefile does not write there)."""
    if manifest.resolve().is_relative_to(config.cases_dir.resolve()):
        raise CasefileError(_("the manifest must be written outside the case folder"))
    digests = integrity.hash_folder(config.cases_dir)
    integrity.write_manifest(manifest, integrity.format_manifest(digests))
    if as_json:
        emit_json({"manifest": str(manifest), "written": True, "files": len(digests)})
    else:
        emit(counted(len(digests), "wrote a manifest of {n} file to {{path}}",
                     "wrote a manifest of {n} files to {{path}}").format(path=manifest))
    return 0


def _check(config: Config, manifest: Path, as_json: bool) -> int:
    """Compare the folder with the manifest; 1 on any difference."""
    expected = integrity.read_manifest(manifest)
    result = integrity.compare(expected, integrity.hash_folder(config.cases_dir, skip=manifest))
    if as_json:
        emit_json({"manifest": str(manifest), "written": False, "files": len(expected), "ok": result.ok,
                   "added": result.added, "removed": result.removed, "changed": result.changed})
    else:
        for label, paths in ((_("added: {path}"), result.added), (_("removed: {path}"), result.removed),
                             (_("changed: {path}"), result.changed)):
            for path in paths:
                emit(label.format(path=path))
        emit(_("{verdict}: {files} in the manifest, {added} added, {removed} removed, {changed} changed").format(
            verdict=_("OK") if result.ok else _("MISMATCH"), files=counted(len(expected), "{n} file", "{n} files"),
            added=number(len(result.added)), removed=number(len(result.removed)),
            changed=number(len(result.changed))))
    return 0 if result.ok else 1
