"""`python -m casefile` runs the command line."""

from casefile.cli import main

raise SystemExit(main())
