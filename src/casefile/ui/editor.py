"""Hand the terminal to the user's editor for one file, and say so when it cannot run."""

from __future__ import annotations

import shlex
import subprocess

from textual.app import App, SuspendNotSupported

from casefile.core.wording import _


def run_editor(command: str, path: str) -> int:
    """Run the user's editor on `path` and wait; its exit code."""
    return subprocess.run([*shlex.split(command), path], check=False).returncode


def edit_file(app: App[object], command: str, path: str) -> None:
    """Suspend `app`, run the editor on `path`, then come back (a notice when it failed)."""
    try:
        try:
            with app.suspend():
                code = run_editor(command, path)
        except SuspendNotSupported:  # headless (tests): nothing to hand over
            code = run_editor(command, path)
    except (OSError, ValueError) as exc:
        app.notify(_("Cannot run the editor: {error}").format(error=exc), severity="error", markup=False)
        return
    if code:
        app.notify(_("The editor exited with code {code}.").format(code=code), severity="warning")
