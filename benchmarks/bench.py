"""The table being filled: which rows are wanted (--only), how many pairs (--runs), and the
one way a row is measured and judged, whatever it measures."""

from __future__ import annotations

import sys
from collections.abc import Callable

from timing import TIME, CommandFailed, Row, Side, interleaved, one_line, peak_rss, timed
from world import World

# A check looks at what a row's runs did (the provider's event log, a file they wrote) and
# returns "" or one line that says what went wrong.
Check = Callable[[], str]


class Bench:
    def __init__(self, world: World, runs: int, only: str) -> None:
        self.world, self.runs, self.only = world, runs, only
        self.rows: list[Row] = []
        self.skipped: list[str] = []

    def wanted(self, name: str, baseline: str = "") -> bool:
        return not self.only or self.only in name or self.only in baseline

    def skip(self, name: str, why: str) -> None:
        if self.wanted(name):
            self.skipped.append(f"{name}: {why}")

    def pair(self, name: str, baseline: str, goal: float, a: Side, b: Side, env_a: dict[str, str],
             env_b: dict[str, str] | None = None, *, check: Check | None = None, before: Callable[[], None] | None = None,
             rss: bool = False, cached: bool = False) -> Row | None:
        """Measure A against B, `runs` interleaved pairs after the warm-ups, and add the row. `cached`: the
        stored token is fresh, so the row fails if the provider's token endpoint was asked at all."""
        if not self.wanted(name, baseline):
            return None
        unit = "MB" if rss else "ms"
        if rss and not TIME:
            self.skipped.append(f"{name}: GNU time is not installed (apt-get install time)")
            return None
        answered, refused = self.world.resource.counts()
        try:
            if before:
                before()
            elif cached:
                self.world.provider.reset_events()
            values_a, values_b = interleaved(a, b, env_a, env_b or env_a, self.runs, peak_rss if rss else timed)
        except CommandFailed as exc:
            row = Row(name, baseline, goal, [], [], unit=unit, error=str(exc))
        except Exception as exc:  # the set-up of a run (a fresh token, the provider's log) failed: say so, go on
            row = Row(name, baseline, goal, [], [], unit=unit, error=f"the row could not run: {type(exc).__name__}: "
                                                                   f"{(str(exc).strip().splitlines() or [''])[0][:160]}")
        else:
            row = Row(name, baseline, goal, values_a, values_b, unit=unit)
            problems = []
            now_answered, now_refused = self.world.resource.counts()
            if now_refused > refused:
                problems.append(f"the resource refused {now_refused - refused} of "
                                f"{now_answered + now_refused - answered - refused} requests (no or a wrong Bearer token)")
            if cached:
                asked = self.world.count_events("token.request")
                if asked:
                    problems.append(f"the token endpoint was asked {asked} times, with a fresh token stored")
            if check:
                try:
                    problem = check()
                except Exception as exc:  # a check that cannot look is a failed check, not a crash
                    problem = f"the check could not run: {type(exc).__name__}: {one_line(str(exc))}"
                if problem:
                    problems.append(problem)
            if problems:
                row.broken = True
                row.note = "; ".join(problems)
        self.add(row)
        return row

    def add(self, row: Row) -> None:
        self.rows.append(row)
        line = f"{'pass' if row.ok else 'FAIL'}  {row.name}"
        if row.ratio is not None:
            line += f"  ({row.ratio:.2f}, goal {row.goal:g})"
        # progress on stderr: stdout is the table, as it is to be pasted
        print(line + (f"  {row.error or row.note}" if row.error or row.note else ""), file=sys.stderr, flush=True)
