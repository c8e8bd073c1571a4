"""Is a file an entity page? Read only its head to find out, and all of it only if so."""

from __future__ import annotations

from pathlib import Path

from casefile.core.model import EntityInfo
from casefile.core.read import frontmatter
from casefile.core.read.library import FileStat, decode, read_bytes, read_case


def sniff_entity(root: Path, stat: FileStat, max_bytes: int) -> EntityInfo | None:
    """The entity data of a file if it is an entity page, reading its head only when it is not.

    The head is read as every file is: without following a link out of the folder.
    """
    try:
        head = read_bytes(root, stat.path, frontmatter.MAX_FRONT_MATTER_CHARS + 15)
    except OSError:
        return None
    if not head.startswith(b"---") or b"type" not in head:
        return None
    text, _ = decode(head, stat.path)
    split = frontmatter.split(text or "")
    if split.yaml_text is None or "type" not in split.yaml_text:
        return None
    case, _problems = read_case(root, stat, max_bytes)
    if case is None or not case.is_entity:
        return None
    return EntityInfo(case.entity_type or "unknown", (case.title, *case.aliases))
