"""SHA-256 manifests of every file of a case folder: write one, check one.

A manifest proves an archive was not altered after it left a colleague's hands. Its
lines are `sha256sum` lines (`<hex>  <path>`), so `sha256sum -c` can check it too.
Names with a backslash or a character that is not printable UTF-8 are escaped
(`\\\\`, `\\xHH` per byte) and the line starts with a backslash, as GNU does; the text
of a manifest is therefore always safe to show. Symbolic links are never followed:
a link is recorded by the hash of its target's name, so re-pointing it is a change.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from casefile.core.model import CasefileError
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _

_CHUNK = 1024 * 1024
_LINE = re.compile(r"^(\\?)([0-9a-fA-F]{64}) [ *](.+)$")
_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})|\\\\|\\n")


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a folder differs from a manifest; paths are escaped manifest names."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the folder matches the manifest exactly."""
        return not (self.added or self.removed or self.changed)


def escape_name(name: str) -> str:
    """A relative path as manifest text: printable UTF-8 kept, anything else `\\xHH`."""
    if clean_line(name) == name and "\\" not in name:
        return name
    out = []
    for char in name:
        if char == "\\":
            out.append("\\\\")
        elif clean_line(char) == char:
            out.append(char)
        else:
            out.extend(f"\\x{byte:02x}" for byte in os.fsencode(char))
    return "".join(out)


def unescape_name(text: str) -> str:
    """The relative path a manifest name stands for (inverse of `escape_name`)."""

    def byte(match: re.Match[bytes]) -> bytes:
        if match.group(1):
            return bytes([int(match.group(1), 16)])
        return b"\\" if match.group(0) == b"\\\\" else b"\n"

    return os.fsdecode(_ESCAPE.sub(byte, os.fsencode(text)))


def _file_digest(path: str) -> str:
    """SHA-256 of a regular file, read in chunks (bounded memory for any size)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with open(fd, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry_digest(entry: os.DirEntry[str]) -> str | None:
    """The digest recorded for one directory entry; None for what is not a file or link."""
    if entry.is_symlink():
        return hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(entry.path))).hexdigest()
    if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
        return _file_digest(entry.path)
    return None


def _entries(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below `root` with its relative path; folder links are not descended."""
    pending = [(str(root), "")]
    while pending:  # a stack, not recursion: trees can be deeper than the recursion limit
        directory, prefix = pending.pop()
        with os.scandir(directory) as found:
            for entry in found:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, rel + "/"))
                else:
                    yield rel, entry


def hash_folder(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Relative path -> SHA-256 for every file below `root` (except `skip`), sorted by path."""
    root = root.resolve()
    skipped = skip.resolve() if skip is not None else None
    digests: dict[str, str] = {}
    rel = "."
    try:
        for rel, entry in _entries(root):
            if skipped is not None and Path(entry.path) == skipped:
                continue
            digest = _entry_digest(entry)
            if digest is not None:
                digests[rel] = digest
    except OSError as exc:
        raise CasefileError(_("cannot read {path}: {reason}").format(
            path=escape_name(rel), reason=clean_line(exc.strerror or ""))) from None
    return dict(sorted(digests.items()))


def format_manifest(digests: dict[str, str]) -> str:
    """The manifest text: one `sha256sum` line per file."""
    lines = []
    for rel, digest in digests.items():
        name = escape_name(rel)
        marker = "\\" if name != rel else ""
        lines.append(f"{marker}{digest}  {name}")
    return "".join(line + "\n" for line in lines)


def parse_manifest(text: str) -> dict[str, str]:
    """Relative path -> digest from manifest text; CasefileError names the first bad line."""
    digests: dict[str, str] = {}
    # split("\n"), not splitlines(): U+2028 and friends may be part of a name.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise CasefileError(_("manifest line {number} is not '<sha256>  <path>'").format(number=number))
        escaped, digest, name = match.groups()
        digests[unescape_name(name) if escaped else name] = digest.lower()
    return digests


def compare(expected: dict[str, str], actual: dict[str, str]) -> Comparison:
    """Files added, removed and changed since the manifest was written."""
    return Comparison(
        added=[escape_name(p) for p in sorted(actual.keys() - expected.keys())],
        removed=[escape_name(p) for p in sorted(expected.keys() - actual.keys())],
        changed=[escape_name(p) for p in sorted(expected.keys() & actual.keys())
                 if expected[p] != actual[p]],
    )


def write_manifest(path: Path, text: str) -> None:
    """Create the manifest file, owner-only; never overwrite an existing one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CasefileError(_("cannot write manifest {path}: {reason}").format(
            path=clean_line(str(path)), reason=clean_line(exc.strerror or ""))) from None
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_manifest(path: Path) -> dict[str, str]:
    """Parse the manifest file at `path`."""
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as exc:
        raise CasefileError(_("cannot read manifest {path}: {reason}").format(
            path=clean_line(str(path)),
            reason=clean_line(getattr(exc, "strerror", None) or type(exc).__name__))) from None
    return parse_manifest(text)
