"""The reader: a Textual app over the core (imported only when the app runs)."""
