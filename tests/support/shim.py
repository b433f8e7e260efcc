"""An `oauth2` executable on PATH that runs this checkout with the test interpreter.

Shells (completion scripts, tmux panes) call `oauth2` by name, as a user's would.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path


def oauth2_bin(directory: Path) -> Path:
    """Write `directory/oauth2` and return the directory, for the front of PATH."""
    directory.mkdir(parents=True, exist_ok=True)
    shim = directory / "oauth2"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m oauth2cli \"$@\"\n")
    shim.chmod(0o755)
    return directory


def path_with(directory: Path) -> str:
    return f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"
