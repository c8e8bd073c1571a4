"""The archive: an Indexer that keeps the index and cross-reference fresh (walk, diff,
plan, stages, commit), and a Reader that answers from a committed snapshot. The top of
the core: only the command line, the UI, export and selftest import it."""
