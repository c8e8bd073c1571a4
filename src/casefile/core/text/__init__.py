"""Text rules shared by the whole core: one fold, one wiki-link grammar, one sanitizer for
the terminal, names, language detection, stemming and snippet prose. The bottom layer:
imports nothing of casefile but the core's plain records and wording."""
