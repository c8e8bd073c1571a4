"""The Whoosh index: the only package that imports Whoosh (schema, store, queries, engine).

Text arrives pre-analyzed (index/documents.py): `stem` holds the folded words of title,
id, tags, names and body, stemmed by the case's language, with positions (phrases) and
weights (ranking). A query word is looked up under its English stem, its Spanish stem
and as written, so queries match across languages; a prefix also under the shorter
stems it may have been cut to. One ranked field keeps Whoosh's per-posting cost, which
bounds build speed, as low as a single-field index. Big batches are written by worker
processes, each its own segments (archive/parallel.py drives them): no final merge.
"""

import warnings

with warnings.catch_warnings():  # Whoosh's SyntaxWarnings must never reach the user
    warnings.simplefilter("ignore", SyntaxWarning)
    from casefile.core.engine import IndexDamaged
    from casefile.core.index.damage import CORRUPTION
    from casefile.core.index.engine import WhooshEngine, writing
    from casefile.core.index.evaluate import Evaluator, Unsupported
    from casefile.core.index.queries import (
        everything,
        highlight,
        new_searcher,
        parse,
        parser,
        prepare,
        rewrite,
        run,
        stem_variants,
    )
    from casefile.core.index.schema import (
        FIELD_ALIASES,
        STEMMERS,
        USER_FIELDS,
        _DateField,
        _FoldTokenizer,
        _Words,
        schema,
    )
    from casefile.core.index.store import (
        INDEX_NAME,
        OPEN_ERRORS,
        SCHEMA_VERSION,
        cancel,
        create,
        delete_paths,
        finish,
        generation,
        open_index,
        open_storage,
        writer,
    )

__all__ = [
    "CORRUPTION",
    "FIELD_ALIASES",
    "INDEX_NAME",
    "OPEN_ERRORS",
    "SCHEMA_VERSION",
    "STEMMERS",
    "USER_FIELDS",
    "Evaluator",
    "IndexDamaged",
    "Unsupported",
    "WhooshEngine",
    "_DateField",
    "_FoldTokenizer",
    "_Words",
    "cancel",
    "create",
    "delete_paths",
    "everything",
    "finish",
    "generation",
    "highlight",
    "new_searcher",
    "open_index",
    "open_storage",
    "parse",
    "parser",
    "prepare",
    "rewrite",
    "run",
    "schema",
    "stem_variants",
    "writer",
    "writing",
]
