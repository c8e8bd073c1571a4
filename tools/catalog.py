"""The Spanish catalog: extract the English strings from the source, merge them into
`casefile.po`, compile `casefile.mo` beside it (both are shipped in the package).

    python tools/catalog.py update    # new strings appear with an empty msgstr to translate
    python tools/catalog.py compile   # after translating: writes casefile.mo
    python tools/catalog.py check     # lists strings without a translation; exit 1 if any

Babel (a test dependency) does the work; tests/i18n/test_catalog.py uses the same
functions to fail when a string is missing from the catalog or the .mo is stale.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "casefile"
KEYWORDS = {
    "_": None, "N_": None, "ngettext": (1, 2), "counted": (2, 3),
    "problem": (4,), "report": (3,), "FrontMatterError": (1,), "_Refusal": (1,), "_refuse": (1,),
    "Binding": (3,),
}
"""The functions whose literal arguments are user-facing English (see casefile.core.wording)."""
SKIPPED = ("selftest/*",)
"""The self-test's own report is a developer's check, outside the catalog."""


def po_path(package: Path = PACKAGE) -> Path:
    """The Spanish catalog's source file."""
    return package / "locale" / "es" / "LC_MESSAGES" / "casefile.po"


def extract(package: Path = PACKAGE) -> Catalog:
    """Every translatable string of the package's Python source, as a template catalog."""
    template = Catalog(project="casefile", domain="casefile")
    method_map = [("selftest/**.py", "ignore"), ("**.py", "python")]
    for filename, line, message, comments, context in extract_from_dir(
            package, method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return template


def read(path: Path) -> Catalog:
    """A .po file as a Catalog."""
    with open(path, "rb") as handle:
        return read_po(handle, locale="es", domain="casefile")


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes of `catalog` (fuzzy entries left out, as gettext would)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def untranslated(catalog: Catalog, template: Catalog) -> list[str]:
    """The msgids of `template` that `catalog` lacks or leaves empty (or marks fuzzy)."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(values):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update(package: Path = PACKAGE) -> None:
    """Merge the source's strings into the .po (new ones empty, gone ones dropped)."""
    path = po_path(package)
    catalog = read(path) if path.exists() else Catalog(locale="es", domain="casefile", project="casefile")
    catalog.update(extract(package), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)


def compile_mo(package: Path = PACKAGE) -> None:
    """Write casefile.mo from casefile.po."""
    path = po_path(package)
    path.with_suffix(".mo").write_bytes(compiled(read(path)))


def main(argv: list[str]) -> int:
    """update | compile | check."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_mo()
    missing = untranslated(read(po_path()), extract())
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing and command == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
