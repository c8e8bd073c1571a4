"""What a refresh reads, in one pass or two: the newest files searchable before the rest is sniffed.

Cases are indexed with the aliases of the entity pages they name, so a file is sniffed
(is it an entity page?) before anything is indexed with it. On a folder never indexed that
sniff of every file took seconds at 50,000 files before the first results. So when a
refresh reads more than updater.FIRST_STAGE files, only the newest FIRST_STAGE are sniffed
first, indexed with the aliases known then and committed (the first pass); then the rest
is sniffed and indexed (the second pass), with the files of the first pass whose aliases
the rest changed indexed again. The final index is the one a single pass gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from casefile.core.archive.manifest import Diff
from casefile.core.read.folder import FileStat, Walk

if TYPE_CHECKING:
    from casefile.core.archive.updater import Outcome, Target
    from casefile.core.model import EntityInfo

Progress = Callable[[int, int], None]


def index(target: Target, found: Walk, delta: Diff, rebuild: bool, progress: Progress | None) -> Outcome:
    """Read and index what `delta` added and changed, and drop what it removed; the counts."""
    from casefile.core.archive.updater import FIRST_STAGE, Plan, Update, ripple

    read = delta.added + delta.changed
    changed = {stat.path for stat in delta.changed}
    if len(read) > FIRST_STAGE:
        return _two_passes(target, found, delta, rebuild, progress)
    aliases, extra = ripple(target.entries, _sniff(target, read), delta.removed)
    read += [FileStat(path, *found.stamps[path]) for path in extra if path in found.stamps]
    return Update(target, progress).run(Plan(read, changed, delta.removed, rebuild), aliases)


def _two_passes(target: Target, found: Walk, delta: Diff, rebuild: bool, progress: Progress | None) -> Outcome:
    """The newest FIRST_STAGE files committed first, then the rest (and the first again where
    the rest changed their aliases)."""
    from casefile.core.archive.updater import FIRST_STAGE, Outcome, Plan, Update, ripple

    ordered = sorted(delta.added + delta.changed, key=lambda stat: stat.mtime_ns, reverse=True)
    first, rest = ordered[:FIRST_STAGE], ordered[FIRST_STAGE:]
    changed = {stat.path for stat in delta.changed}
    aliases, extra = ripple(target.entries, _sniff(target, first), delta.removed)
    one = Update(target, progress).run(Plan(first, changed, delta.removed, rebuild), aliases, (0, len(ordered)))
    aliases, more = ripple(target.entries, _sniff(target, rest), [])
    later = {stat.path for stat in rest}
    again = [path for path in dict.fromkeys([*extra, *more]) if path not in later and path in found.stamps]
    read = rest + [FileStat(path, *found.stamps[path]) for path in again]
    plan = Plan(read, changed & later, [], rebuild, frozenset(again))  # the first pass made its hashes new
    whole = len(first) + len(read)
    two = Update(target, _scaled(progress, len(ordered), whole, len(first))).run(plan, aliases, (len(first), whole))
    return Outcome(one.added + two.added, one.changed + two.changed, one.removed + two.removed)


def _sniff(target: Target, stats: list[FileStat]) -> dict[str, EntityInfo | None]:
    """The entity data of each file that is an entity page (updater.sniff_all)."""
    from casefile.core.archive.updater import sniff_all

    return sniff_all(target.cases_dir, stats, target.max_file_bytes, target.parallel_from, target.workers)


def _scaled(progress: Progress | None, total: int, whole: int, start: int) -> Progress | None:
    """Progress of the second pass, counted in the refresh's files (`whole` counts the first
    pass's files indexed again too): never backwards, `total` only when it is done."""
    if progress is None:
        return None
    high = start

    def report(done: int, _whole: int) -> None:
        nonlocal high
        high = max(high, done * total // whole)
        progress(high, total)

    return report
