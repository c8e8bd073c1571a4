"""Dangling links of a vault counted independently of casefile, beside `casefile check`'s count.

    python bench/vault_dangling.py /path/to/vault            # both counts, one table
    python bench/vault_dangling.py /path/to/vault --no-casefile

Applies the format's rules (casefile-format.md v1.1) to the raw files with its own
small readers (no casefile import): notes are `*.md` below the folder (dot-folders
skipped), every other file is an attachment; front matter, fenced code and code spans
are skipped; `[[target#anchor|label]]`, `![[...]]` and `[text](relative/path)` are
links; a link resolves by id, exact path, path end or file name (notes with or
without `.md`), alias, title or listed name, comparing case-, accent- and
space-insensitively. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import yaml

WIKI = re.compile(r"!?\[\[([^\[\]\n]+)\]\]")
MARKDOWN = re.compile(r"!?\[[^\[\]\n]*\]\(\s*(<[^<>\n]+>|[^\s()<>]+)(?:\s+\"[^\"\n]*\")?\s*\)")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def key(text: str) -> str:
    """Case-, accent- and space-insensitive form (Arabic tatweel dropped too)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u0640", ""))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def files_of(root: Path) -> tuple[list[str], list[str]]:
    """(notes, attachments) as relative paths, dot-folders and dot-files skipped."""
    notes, others = [], []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(root).as_posix()
        for name in names:
            if name.startswith("."):
                continue
            path = name if rel == "." else f"{rel}/{name}"
            (notes if name.lower().endswith(".md") else others).append(path)
    return notes, others


def split_front(text: str) -> tuple[dict, list[str]]:
    """(front matter mapping, body lines with blank lines in the front matter's place)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                try:
                    meta = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)  # noqa: S506 - strings only
                except yaml.YAMLError:
                    meta = {}
                return (meta if isinstance(meta, dict) else {}), [""] * (end + 1) + lines[end + 1:]
    return {}, lines


def prose(lines: list[str]) -> list[str]:
    """Lines outside fenced code, code spans blanked."""
    out, fence = [], None
    for line in lines:
        opener = FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        out.append(CODE_SPAN.sub(" ", line) if "`" in line else line)
    return out


def as_list(value: object) -> list[str]:
    """A front matter value as a list of strings."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def read_note(root: Path, path: str) -> tuple[set[str], list[tuple[str, bool]]]:
    """(names this note defines, its links as (target, is_markdown))."""
    text = (root / path).read_text(encoding="utf-8", errors="replace")
    meta, lines = split_front(text)
    body = prose(lines)
    heading = next((line[2:].strip() for line in body if line.startswith("# ")), None)
    names = {key(meta.get("id") or path[:-3]), key(meta.get("title") or heading or Path(path).stem)}
    names.update(key(a) for a in as_list(meta.get("aliases")))
    if isinstance(meta.get("entities"), dict):
        names.update(key(n) for v in meta["entities"].values() for n in as_list(v))
    if meta.get("type"):
        names.add(key(meta.get("name") or meta.get("title") or heading or Path(path).stem))
    links = []
    for line in body:
        for found in WIKI.findall(line):
            target = found.split("|", 1)[0].rstrip("\\").split("#", 1)[0]
            if target.strip():
                links.append((target, False))
        for href in MARKDOWN.findall(WIKI.sub(" ", line)):
            href = href.strip("<>")
            if SCHEME.match(href) or href.startswith(("#", "/", "~")):
                continue
            target = unquote(href.split("#", 1)[0].split("?", 1)[0])
            if target and not posixpath.normpath(posixpath.join(posixpath.dirname(path), target)).startswith(".."):
                links.append((target, True))
    return names, links


def path_key(path: str) -> str:
    """A file as links name it: notes without `.md`."""
    return key(path[:-3] if path.lower().endswith(".md") else path)


def count(root: Path) -> tuple[int, Counter[str]]:
    """The number of dangling links, and the most frequent dangling targets."""
    notes, others = files_of(root)
    exact = {path_key(p) for p in notes + others}
    by_name: dict[str, list[str]] = {}
    for k in exact:
        by_name.setdefault(k.rpartition("/")[2], []).append(k)
    defined: set[str] = set()
    links: list[tuple[str, str, bool]] = []
    for path in notes:
        names, found = read_note(root, path)
        defined |= names
        links += [(path, target, markdown) for target, markdown in found]

    def is_file(target: str) -> bool:
        k = key(target)
        k = k[:-3] if k.endswith(".md") else k
        return k in exact or any(c == k or c.endswith("/" + k) for c in by_name.get(k.rpartition("/")[2], []))

    dangling: Counter[str] = Counter()
    for path, target, markdown in links:
        if markdown and path_key(posixpath.normpath(posixpath.join(posixpath.dirname(path), target))) in exact:
            continue
        if not is_file(target) and key(target) not in defined:
            dangling[target] += 1
    return sum(dangling.values()), dangling


def casefile_count(root: Path) -> int:
    """`casefile check --json`'s dangling-link warnings (nothing written: --no-disk-index)."""
    done = subprocess.run([sys.executable, "-m", "casefile", "check", "--json", "--no-disk-index",
                           "--cases", str(root)], capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    return sum(1 for w in report["warnings"] + report["errors"] if w["code"] == "dangling-link")


def main() -> None:
    """Count both ways; print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-casefile", action="store_true", help="only the independent count")
    args = parser.parse_args()
    mine, targets = count(args.folder)
    theirs = None if args.no_casefile else casefile_count(args.folder)
    print("| count | dangling links |\n| --- | --- |")
    print(f"| independent (bench/vault_dangling.py) | {mine} |")
    if theirs is not None:
        gap = abs(theirs - mine) / max(mine, 1)
        print(f"| casefile check | {theirs} |\n| difference | {gap:.1%} |")
    print("\nmost frequent dangling targets: " + ", ".join(f"{t} ({n})" for t, n in targets.most_common(8)))


if __name__ == "__main__":
    main()
