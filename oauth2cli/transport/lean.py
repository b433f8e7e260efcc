"""Importing a library without the part of it we never use.

`import httpx` runs httpx/__init__.py, which tries `from ._main import main`: httpx's own
command line, which loads click, rich.console, rich.progress, rich.syntax, rich.table and
pygments whenever they are installed (here they always are) — about 45% of httpx's import.
The import is guarded by `except ImportError` (every httpx from 0.18 to 0.28 at least), so a
`None` in `sys.modules["httpx._main"]` — the documented way to make an import fail — keeps it
out, and `httpx.main` becomes httpx's own "the CLI dependencies are missing" stub.

The sentinel lives only while the package's __init__ runs: afterwards `import httpx._main`
works as usual. Should a future httpx need the module (an unguarded import), the package is
imported again whole, so the worst case is the old cost, never a broken import.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_without(package: str, submodule: str) -> ModuleType:
    """`package`, imported without `package.submodule` when its __init__ can do without it."""
    if package in sys.modules:
        return sys.modules[package]
    name = f"{package}.{submodule}"
    if name in sys.modules:  # loaded already, or blocked by someone else: not ours to change
        return importlib.import_module(package)
    sys.modules[name] = None  # type: ignore[assignment]
    try:
        return importlib.import_module(package)
    except ImportError as exc:
        if exc.name != name:
            raise
    finally:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]
    # This version cannot do without it: forget the half-imported package and import it whole.
    for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[loaded]
    return importlib.import_module(package)


def httpx() -> ModuleType:
    """httpx without its command line (httpx._main, and through it click, rich and pygments)."""
    return import_without("httpx", "_main")
