"""Widgets of the reader app; each declares the messages it posts as nested classes."""
