"""The pure core of casefile: parsing, the library, the index, the cross-reference.

Nothing under this package imports Textual; tests/test_architecture.py proves it.
"""
