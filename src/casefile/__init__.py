"""casefile: read, search and cross-reference a folder of Markdown case files, offline."""

__version__ = "0.1.0"
