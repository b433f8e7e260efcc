"""How benchmarks/run measures: whole-process runs, interleaved pairs, medians.

A row's two sides run one after the other, pair after pair (A B, B A, A B, ...: every other
pair starts with the baseline), so whatever else the machine is doing slows both alike; the
ratio of the medians is what a row is judged by. A command that fails (exit status, or a check
of what it did) does not stop the benchmark: its row says which command failed and why, in one
line.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence

TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time (Debian package "time"), for peak RSS
WARM_UPS = 2  # pairs run first and not counted: page cache, .pyc files

# A side of a row: an argv, or a function that makes one (called before each run, outside the
# timing: `revoke P TOKEN` gets a token that was never revoked).
Side = Sequence[str] | Callable[[], Sequence[str]]


class CommandFailed(Exception):
    """One line: which command failed, and why."""


def one_line(text: str, limit: int = 160) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else "(nothing on stderr)"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def shown(cmd: Sequence[str], limit: int = 90) -> str:
    """The command as a person would type it: `oauth2 …`, `python …`, not the venv's paths."""
    parts = [str(part) for part in cmd]
    if parts and parts[0].startswith("/"):
        parts[0] = parts[0].rsplit("/", 1)[-1]
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def argv(side: Side) -> list[str]:
    return list(side() if callable(side) else side)


def timed(cmd: Sequence[str], env: dict[str, str], timeout: float = 120.0) -> float:
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CommandFailed(f"`{shown(cmd)}` did not finish in {timeout:g} s") from None
    except OSError as exc:
        raise CommandFailed(f"`{shown(cmd)}` could not start: {exc}") from None
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise CommandFailed(f"`{shown(cmd)}` exited {proc.returncode}: {one_line(proc.stderr.decode('utf-8', 'replace'))}")
    return elapsed


def peak_rss(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Peak resident set size of one whole run, in bytes, as GNU time reports it. (Not our own
    wait4: Linux keeps a forked child's high-water mark across exec, so a child forked from this
    big process would report at least this process's size.)"""
    with tempfile.NamedTemporaryFile("r") as out:
        proc = subprocess.run([TIME, "-f", "%M", "-o", out.name, *cmd], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        if proc.returncode != 0:
            raise CommandFailed(f"`{shown(cmd)}` exited {proc.returncode}: {one_line(proc.stderr.decode('utf-8', 'replace'))}")
        return int(out.read().split()[-1]) * 1024  # KiB


def interleaved(a: Side, b: Side, env_a: dict[str, str], env_b: dict[str, str], runs: int,
                measure: Callable[[Sequence[str], dict[str, str]], float] = timed) -> tuple[list[float], list[float]]:
    values_a: list[float] = []
    values_b: list[float] = []
    for i in range(WARM_UPS + runs):
        # Every other pair runs B first, so neither side always follows the other (A B, B A, ...).
        if i % 2:
            vb = measure(argv(b), env_b)
            va = measure(argv(a), env_a)
        else:
            va = measure(argv(a), env_a)
            vb = measure(argv(b), env_b)
        if i >= WARM_UPS:
            values_a.append(va)
            values_b.append(vb)
    return values_a, values_b


class Row:
    """One line of the table: A's values against the baseline B's, and the goal for their ratio."""

    def __init__(self, name: str, baseline: str, goal: float, a: list[float], b: list[float], note: str = "",
                 unit: str = "ms", error: str = "", absolute: bool = False) -> None:
        self.name, self.baseline, self.goal, self.a, self.b, self.note = name, baseline, goal, a, b, note
        self.unit = unit  # "ms" (values in seconds) or "MB" (values in bytes)
        self.absolute = absolute  # the goal is A's median itself (in the unit), not a ratio: no baseline
        self.error = error  # set when a command failed: the row has no figures and fails
        self.broken = False  # the figures are there, but a check of what the command did failed

    @property
    def ratio(self) -> float | None:
        if self.error or self.absolute or not self.a or not self.b:
            return None
        return statistics.median(self.a) / statistics.median(self.b)

    @property
    def ok(self) -> bool:
        if self.absolute:
            median = self.median(self.a)
            return not self.error and not self.broken and median is not None and median <= self.goal
        ratio = self.ratio
        return ratio is not None and ratio <= self.goal and not self.broken

    def median(self, values: list[float]) -> float | None:
        if not values:
            return None
        median = statistics.median(values)
        return median * 1000 if self.unit == "ms" else median / 1e6

    def spread(self, values: list[float]) -> str:
        scale = 1000 if self.unit == "ms" else 1e-6
        return f"{min(values) * scale:.1f}–{max(values) * scale:.1f}" if values else ""
