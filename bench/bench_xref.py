"""Benchmark of the cross-reference: build, load, incremental update, queries, memory.

    python bench/bench_xref.py [--sizes 10000 50000] [--entities 10000] [--work DIR]

Corpora come from `bench/corpus.py` (`generate`), topped up to about `--entities`
entity pages with made-up names, each case naming a few of them (some listed, some
linked, some only mentioned). Every phase runs in a fresh process so its time and
peak memory are its own. Prints one table (Markdown) per size.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

FIRST = ("Ana Beatriz Carlos Diana Emilio Fernanda Gabriel Héctor Inés Jorge Karla Lucía Manuel "
         "Nadia Óscar Paula Raúl Sofía Tomás Úrsula Valeria Ximena Yolanda Zoe Adrián Bruno "
         "Celia Darío Elena Felipe").split()
LAST = ("Álvarez Barrios Castañeda Domínguez Echeverría Fuentes Gutiérrez Hernández Ibarra "
        "Juárez Lozano Méndez Núñez Ortega Peña Quiroz Ríos Salgado Téllez Uribe Vázquez "
        "Zúñiga Aguilar Bravo Cortés Durán Espinoza Figueroa Galindo Herrera").split()
ORG_WORDS = ("Colectivo Red Centro Fundación Observatorio Comité Frente Unión Instituto Alianza").split()
ORG_TOPICS = ("Digital Libre Verdad Memoria Justicia Dignidad Paz Tierra Agua Prensa Defensa Acción "
              "Solidaria Popular Ciudadana Abierta").split()


def synthetic_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (type, name) pairs: people and organizations."""
    people = [f"{f} {a} {b}" for f in FIRST for a in LAST for b in LAST if a != b]
    orgs = [f"{w} {t} {place}" for w in ORG_WORDS for t in ORG_TOPICS
            for place in ("Sur", "Norte", "Guerrero", "Oaxaca", "Sonora")]
    rng.shuffle(people)
    chosen = [("organization", n) for n in orgs[: count // 5]]
    return chosen + [("person", n) for n in people[: count - len(chosen)]]


def top_up(folder: Path, entities: int, seed: int) -> None:
    """Add entity pages up to `entities`, and name three of them in every case."""
    rng = random.Random(seed)
    existing = sum(1 for _ in (folder / "entities").rglob("*.md"))
    names = synthetic_names(max(0, entities - existing), rng)
    for number, (kind, name) in enumerate(names):
        page = folder / "entities" / "more" / f"{number:05d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntype: {kind}\nname: {name}\n---\n\n# {name}\n\nNotes on {name}.\n", "utf-8")
    for path in sorted(folder.glob("[a-z][a-z]/*/*.md")):
        a, b, c = rng.sample(names, 3) if len(names) >= 3 else [("person", "Nadie")] * 3
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(f"\nAlso in this file: [[{a[1]}]], {b[1]} and {c[1].upper()}.\n")


def corpus(work: Path, size: int, entities: int) -> Path:
    """The corpus for `size` cases, generated once and kept."""
    folder = work / f"corpus-{size}-{entities}"
    if not (folder / ".done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, size, seed=7)
        top_up(folder, entities, seed=7)
        (folder / ".done").write_text("ok")
    return folder


def phase(name: str, folder: Path, store: Path) -> dict[str, float]:
    """Run one phase in a fresh interpreter; its figures as a dict."""
    out = subprocess.run([sys.executable, __file__, "--phase", name, str(folder), str(store)],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(name: str, folder: Path, store_dir: Path) -> dict[str, float]:
    """The body of one phase (in the child process)."""
    from casefile.core.read.library import load_library
    from casefile.core.xref.store import XrefStore

    figures: dict[str, float] = {}
    if name == "build":
        started = time.perf_counter()
        library = load_library(folder)
        figures["read_s"] = time.perf_counter() - started
        bodies = {case.path: case.body for case in library.cases}
        base = peak_mb()
        started = time.perf_counter()
        store = XrefStore.load(store_dir)
        store.clear()  # as the archive does for a store it must build
        store.update(library.cases, [], bodies.get)
        figures["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        store.save(store_dir)
        figures["save_s"] = time.perf_counter() - started
        figures["files"] = len(library.cases)
        figures["build_extra_mb"] = peak_mb() - base
        figures["store_mb"] = sum(p.stat().st_size for p in store_dir.iterdir()) / 1e6
    else:
        figures.update(_other_phase(name, folder, store_dir))
    figures["peak_mb"] = peak_mb()
    return figures


def _other_phase(name: str, folder: Path, store_dir: Path) -> dict[str, float]:
    """Phases that start from a saved store."""
    from casefile.core.xref.store import XrefStore

    figures: dict[str, float] = {}
    started = time.perf_counter()
    store = XrefStore.load(store_dir)
    if name == "noop":
        store.update([], [], lambda path: None)
        store.save(store_dir)
        figures["noop_s"] = time.perf_counter() - started
        return figures
    if name == "query":
        figures["load_s"] = _timed(lambda: len(store))
        figures["first_query_s"] = _timed(lambda: store.entity("Citizen Lab"))
        figures["entity_s"] = _timed(lambda: store.entity("Enrique Pena Nieto"))
        case_id = _some_case_id(folder)
        figures["case_s"] = _timed(lambda: store.case(case_id))
        figures["entities_s"] = _timed(lambda: store.entities())
        figures["graph_s"] = _timed(lambda: store.graph())
        figures["dupes_s"] = _timed(lambda: store.duplicates())
        return figures
    return _change_phase(name, folder, store_dir, store)


def _change_phase(name: str, folder: Path, store_dir: Path, store: object) -> dict[str, float]:
    """Phases that change the store: an edited case, a new name, a new alias."""
    from casefile.core.read.library import read_case, walk

    figures: dict[str, float] = {}
    root = folder.resolve()
    files = {f.path: f for f in walk(root).files}
    target = sorted(p for p in files if p.count("/") == 2 and not p.startswith("entities"))[len(files) // 3]
    read = lambda path: read_case(root, files[path])[0]  # noqa: E731
    case = read(target)
    assert case is not None
    if name == "edit":
        from dataclasses import replace
        case = replace(case, body=case.body + "\nSee also Carmen Aristegui and Citizen Lab.\n")
        figures["edit_s"] = _timed(lambda: (store.update([case], [], lambda p: None),  # type: ignore[attr-defined]
                                            store.save(store_dir)))  # type: ignore[attr-defined]
    elif name in ("new_name", "new_alias"):
        asked: list[str] = []
        page = new_page("Ximena Zúñiga Peña", ("Zúñiga",) if name == "new_alias" else ())
        bodies = lambda path: asked.append(path) or (read(path) or case).body  # noqa: E731
        figures[f"{name}_s"] = _timed(lambda: (store.update([page], [], bodies),  # type: ignore[attr-defined]
                                               store.save(store_dir)))  # type: ignore[attr-defined]
        figures[f"{name}_reread"] = len(asked)
    return figures


def new_page(name: str, aliases: tuple[str, ...]) -> object:
    """A new entity page whose name (and aliases) the archive has never seen."""
    from casefile.core.model import Case

    return Case(id="entities/bench-new", path="entities/bench-new.md", title=name, body=f"# {name}\n",
                kind="entity", entity_type="person", aliases=aliases)


def _some_case_id(folder: Path) -> str:
    """An id of a case of the corpus."""
    first = sorted(folder.glob("[a-z][a-z]/*/*.md"))[0]
    return first.stem.upper()


def _timed(action: object) -> float:
    """Seconds taken by `action()`."""
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def table(size: int, rows: dict[str, dict[str, float]]) -> list[str]:
    """The Markdown table of one size."""
    b, q = rows["build"], rows["query"]
    lines = [f"\n### {size:,} cases (+ entity pages: {int(b['files']):,} files)\n",
             "| figure | value |", "|---|---|"]
    lines += [f"| read + parse the folder (not xref; for scale) | {b['read_s']:.1f} s |",
              f"| xref full build (update with every file) | {b['build_s']:.1f} s "
              f"({b['files'] / b['build_s']:,.0f} files/s) |",
              f"| save | {b['save_s']:.2f} s, store {b['store_mb']:.1f} MB |",
              f"| build extra memory / peak | {b['build_extra_mb']:.0f} / {b['peak_mb']:.0f} MB |",
              f"| no-change update, new process (load+update([])+save) | {rows['noop']['noop_s'] * 1000:.1f} ms |",
              f"| load store (new process) | {q['load_s'] * 1000:.0f} ms |",
              f"| first entity query (computes the registry) | {q['first_query_s'] * 1000:.0f} ms |",
              f"| next queries: entity / case / entities / graph / duplicates | "
              f"{q['entity_s'] * 1000:.0f} / {q['case_s'] * 1000:.0f} / {q['entities_s'] * 1000:.0f} / "
              f"{q['graph_s'] * 1000:.0f} / {q['dupes_s'] * 1000:.0f} ms |",
              f"| query process peak memory | {q['peak_mb']:.0f} MB |",
              f"| update one edited case + save (new process, incl. load) | {rows['edit']['edit_s'] * 1000:.0f} ms |",
              f"| add an entity page with a new full name + rescan + save | "
              f"{rows['new_name']['new_name_s'] * 1000:.0f} ms "
              f"({rows['new_name']['new_name_reread']:.0f} files re-read) |",
              f"| same page with a one-word alias (a common surname) | "
              f"{rows['new_alias']['new_alias_s'] * 1000:.0f} ms "
              f"({rows['new_alias']['new_alias_reread']:.0f} files re-read) |"]
    return lines


def main() -> None:
    """Generate the corpora, run every phase, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/casefile-xref-bench"))
    args = parser.parse_args()
    for size in args.sizes:
        folder = corpus(args.work, size, args.entities)
        store = args.work / f"store-{size}"
        shutil.rmtree(store, ignore_errors=True)
        rows = {}
        for name in ("build", "noop", "query", "edit", "new_name", "new_alias"):
            rows[name] = phase(name, folder, store)
        print("\n".join(table(size, rows)), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(run_phase(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        main()
