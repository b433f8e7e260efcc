"""The table, for a terminal (plain columns) or for the README (--markdown, pasted as is)."""

from __future__ import annotations

import os
import platform
import sys
import time
from importlib import metadata

from race import races_for
from timing import WARM_UPS, Row


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as fh:
            kib = int(next(line.split()[1] for line in fh if line.startswith("MemTotal")))
            memory = f", {kib / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = []
    for dist in ("httpx", "click"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return (f"{cpu or platform.machine()}, {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}, "
            f"{platform.python_implementation()} {platform.python_version()}, {', '.join(versions)}")


def preamble(runs: int, load_start: float) -> str:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (f"Figures of {when}, on {machine()}; load average {load_start:.1f} at the start and "
            f"{os.getloadavg()[0]:.1f} at the end. Times in ms, medians of {runs} interleaved pairs after "
            f"{WARM_UPS} warm-up pairs (memory rows: MB of peak RSS; the race: {races_for(runs)} races); "
            "ratio = median / baseline median."
            + ("" if runs >= 9 else f" Only {runs} pairs: a quick look, not the figures (the goals want at least 9)."))


def _goal(row: Row) -> str:
    return f"≤ {row.goal:g} {row.unit}" if row.absolute else f"≤ {row.goal:.2f}"


def _verdict(row: Row) -> str:
    if row.error:
        return f"FAIL: {row.error}"
    text = "pass" if row.ok else "FAIL"
    return f"{text} ({row.note})" if row.note else text


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def markdown(rows: list[Row], skipped: list[str], runs: int, load_start: float) -> str:
    lines = [preamble(runs, load_start), ""]
    passed = sum(row.ok for row in rows)
    lines.append(f"{passed} of {len(rows)} rows meet their goal.")
    lines.append("")
    lines.append("| what | median | baseline | baseline median | ratio | goal | |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        unit = " MB" if row.unit == "MB" and row.ratio is not None else ""
        ratio = "–" if row.ratio is None else f"{row.ratio:.2f}"
        baseline = f"`{row.baseline}`" if row.baseline else ""
        baseline_median = "" if row.absolute else _num(row.median(row.b)) + unit
        cells = [f"`{row.name}`", _num(row.median(row.a)) + unit, baseline, baseline_median, ratio, _goal(row),
                 _verdict(row)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    for note in skipped:
        lines.append(f"\nSkipped: {note}")
    return "\n".join(lines)


def plain(rows: list[Row], skipped: list[str], runs: int, load_start: float) -> str:
    lines = [f"{'what':60} {'median':>7} {'min–max':>13}  {'baseline':44} {'median':>7} {'ratio':>6} {'goal':>6}"]
    for row in rows:
        ratio = "     –" if row.ratio is None else f"{row.ratio:6.2f}"
        lines.append(f"{row.name[:60]:60} {_num(row.median(row.a)):>7} {row.spread(row.a):>13}  {row.baseline[:44]:44} "
                     f"{_num(row.median(row.b)):>7} {ratio} {_goal(row):>6}  {_verdict(row)}")
    for note in skipped:
        lines.append(f"skipped: {note}")
    lines.append(preamble(runs, load_start))
    return "\n".join(lines)


def write(rows: list[Row], skipped: list[str], runs: int, load_start: float, as_markdown: bool) -> None:
    text = (markdown if as_markdown else plain)(rows, skipped, runs, load_start)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
