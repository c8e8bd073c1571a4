"""The catalog in memory keeps its kind counts and alias map as a recount would give them."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from casefile.core.archive import catalog
from casefile.core.archive.catalog import Entries, Entry
from casefile.core.model import EntityInfo

PATHS = st.sampled_from([f"p{n}.md" for n in range(6)])
ENTRIES = st.one_of(
    st.builds(lambda kind: Entry("sha", "id", kind), st.sampled_from(["case", "skipped"])),
    st.builds(lambda names: Entry("sha", "id", "entity", [], EntityInfo("person", tuple(names))),
              st.lists(st.sampled_from(["Ana", "Bea", "Ana María"]), min_size=1, max_size=3)),
)
STEPS = st.lists(st.tuples(st.sampled_from(["set", "pop", "del"]), PATHS, ENTRIES), max_size=25)


@given(STEPS)
def test_kind_counts_and_aliases_follow_every_change(steps: list[tuple[str, str, Entry]]) -> None:
    entries = Entries({"p0.md": Entry("sha", "id", "case")})
    for action, path, entry in steps:
        catalog.alias_map(entries)  # kept between changes
        if action == "set":
            entries[path] = entry
        elif action == "pop":
            entries.pop(path, None)
        elif path in entries:
            del entries[path]
        else:
            continue
        plain = dict(entries)
        recount = Counter(e.kind for e in plain.values())
        assert catalog.kind_counts(entries) == {"case": recount["case"], "entity": recount["entity"]}
        assert catalog.alias_map(entries) == catalog.alias_map(plain)
        assert path in entries.changed
