"""The cross-reference: the entity registry, resolved links, mentions, co-occurrence,
possible duplicates, and their store beside the index. Imports `core.text` and
`core.read`, never the search index or the archive."""
