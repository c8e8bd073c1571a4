"""Text rules shared by the whole core: one fold, one wiki-link grammar."""
