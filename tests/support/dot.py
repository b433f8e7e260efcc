"""Start django-oauth-toolkit (tests/dot/server.py) as a real process on a free port.

    with DotServer(prefix="o/", workdir=tmp) as dot:
        dot.issuer   # "http://127.0.0.1:PORT/o"
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER = REPO_ROOT / "tests" / "dot" / "server.py"
START_TIMEOUT = 120  # migrations on a busy shared machine


class DotServer:
    def __init__(self, prefix: str, workdir: Path) -> None:
        self.prefix = prefix
        self.db = workdir / f"dot-{prefix.strip('/') or 'root'}.sqlite3"
        self.proc: subprocess.Popen | None = None
        self.base = self.issuer = ""

    def __enter__(self) -> DotServer:
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--prefix", self.prefix, "--db", str(self.db)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not line or not line[0].strip():
            self.proc.kill()
            err = self.proc.stderr.read()[-2000:] if self.proc.stderr else ""
            raise RuntimeError(f"django-oauth-toolkit did not start: {err}")
        info = json.loads(line[0])
        self.base, self.issuer = info["base"], info["issuer"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
