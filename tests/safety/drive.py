"""Run several casefile command lines in one fresh interpreter: end-to-end, but fast.

Usage: python drive.py ARGV_JSON_LIST. Each run is preceded on stdout and stderr by a
`=== run N ===` marker (numbers only: never hostile text); the exit codes follow, as
JSON, after `=== codes ===`. An exception other than SystemExit escapes on purpose:
a traceback is a failure the test must see.
"""

from __future__ import annotations

import json
import os
import sys

from casefile.cli import main


def _mark(text: str) -> None:
    """Write a marker on both streams, after everything written so far."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, text.encode())
    os.write(2, text.encode())


def drive(argvs: list[list[str]]) -> list[int]:
    """Run each command line; return the exit codes."""
    codes = []
    for number, argv in enumerate(argvs):
        _mark(f"\n=== run {number} ===\n")
        try:
            codes.append(int(main(argv)))
        except SystemExit as exc:  # argparse errors
            codes.append(int(exc.code or 0))
    _mark(f"\n=== codes === {json.dumps(codes)}\n")
    return codes


if __name__ == "__main__":
    drive(json.loads(sys.argv[1]))
