"""Spanish names for the query fields: `etiqueta:`, `persona:`, `organización:` ... are read
as `tag:`, `person:`, `org:` ... before the query is parsed, in either language.

The query syntax stays one (scripts see the same fields whatever the language); this
only lets a Spanish speaker type the field in Spanish, with or without accents.
"""

from __future__ import annotations

import re
import unicodedata

SPANISH_FIELDS = {
    "etiqueta": "tag", "etiquetas": "tag", "persona": "person", "personas": "person",
    "organizacion": "org", "organizaciones": "org", "lugar": "place", "lugares": "place",
    "estado": "status", "fecha": "date", "titulo": "title", "entidad": "entity",
    "entidades": "entity", "idioma": "lang", "tipo": "kind",
}
"""Folded Spanish field name -> the field it stands for (the English name)."""
_FIELD = re.compile(r'"[^"]*"|(?<![\w:])(\w+):(?=\S)')
"""A `name:` outside a quoted phrase (phrases are matched whole and left alone)."""


def fold(name: str) -> str:
    """`name` lower-cased without accents: `Organización` -> `organizacion`."""
    decomposed = unicodedata.normalize("NFD", name.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def english_fields(text: str) -> str:
    """`text` with each Spanish field name replaced by the English one it stands for."""
    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        english = SPANISH_FIELDS.get(fold(name)) if name else None
        return f"{english}:" if english else match.group(0)

    return _FIELD.sub(swap, text)
