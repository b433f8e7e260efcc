"""oauth2cli.cli.ui: decoration only on a terminal that wants it; the same words either way."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from oauth2cli.cli import ui
from oauth2cli.deps import Deps


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("seconds,text", [
    (0.4, "now"), (42, "in 42 s"), (59.6, "in 1 min"), (42 * 60, "in 42 min"), (3 * 3600 + 5 * 60, "in 3 h 5 min"),
    (7200, "in 2 h"), (3 * 86400, "in 3 days"), (-180, "3 min ago"), (None, "unknown"),
])
def test_relative(seconds, text):
    assert ui.relative(seconds) == text


def test_clock():
    assert [ui.clock(s) for s in (299.5, 61, 0, -5, 3725)] == ["4:59", "1:01", "0:00", "0:00", "1:02:05"]


def deps_for(stream, **environ) -> Deps:
    return Deps(environ=dict(environ), stdout=stream, stderr=stream)


@pytest.mark.parametrize("environ,color,decorated", [
    ({}, None, True), ({"NO_COLOR": "1"}, None, False), ({"NO_COLOR": ""}, None, False),
    ({"TERM": "dumb"}, None, False), ({}, False, False),
], ids=["terminal", "NO_COLOR", "NO_COLOR-empty", "TERM=dumb", "--no-color"])
def test_what_turns_decoration_off(environ, color, decorated):
    deps = deps_for(Tty(), **environ)
    deps.color = color
    assert ui.decorated(deps, deps.stdout) is decorated
    assert ui.decorated(deps_for(io.StringIO()), io.StringIO()) is False  # a pipe never


def test_json_plain_when_piped_coloured_on_a_terminal():
    value = {"active": True, "sub": "alice", "scope": "openid"}
    piped = io.StringIO()
    ui.print_json(deps_for(piped), value)
    assert piped.getvalue() == '{\n  "active": true,\n  "sub": "alice",\n  "scope": "openid"\n}\n'
    tty = Tty()
    ui.print_json(deps_for(tty), value)
    assert "\x1b[" in tty.getvalue()
    assert "alice" in tty.getvalue()


def test_table_plain_and_decorated_carry_the_same_words():
    headers, rows = ("PROFILE", "EXPIRES"), [("work", ui.relative(42 * 60)), ("home-lab", None)]
    piped = io.StringIO()
    ui.print_table(deps_for(piped), headers, rows)
    assert piped.getvalue() == "PROFILE   EXPIRES\nwork      in 42 min\nhome-lab\n"
    tty = Tty()
    ui.print_table(deps_for(tty), headers, rows)
    for word in ("PROFILE", "work", "in 42 min", "home-lab"):
        assert word in tty.getvalue()


def test_code_is_one_line_when_piped_and_boxed_on_a_terminal():
    piped = io.StringIO()
    ui.show_code(deps_for(piped), "Enter this code", "WDJB-MJHT", "https://id.example/device")
    assert piped.getvalue() == "Enter this code: WDJB-MJHT  (https://id.example/device)\n"
    tty = Tty()
    ui.show_code(deps_for(tty), "Enter this code", "WDJB-MJHT")
    assert "WDJB-MJHT" in tty.getvalue() and "╭" in tty.getvalue()


def test_waiting_prints_one_plain_line_when_not_a_terminal():
    out = io.StringIO()
    now = [1000.0]
    deps = Deps(environ={}, stderr=out, clock=lambda: now[0])
    with ui.Waiting(deps, "Waiting for the browser…", deadline=1300):
        now[0] += 10
    assert out.getvalue() == "Waiting for the browser… 5:00 left\n"


def test_waiting_counts_down_on_a_terminal():
    out = Tty()
    now = [1000.0]
    deps = Deps(environ={}, stderr=out, clock=lambda: now[0])
    waiting = ui.Waiting(deps, "Waiting for the browser…", deadline=1300, interval=0.01)
    assert waiting.text() == "Waiting for the browser… 5:00 left"
    with waiting:
        now[0] += 61
        assert waiting.text() == "Waiting for the browser… 3:59 left"
    assert "Waiting for the browser" in out.getvalue()


def test_rich_is_imported_only_when_drawing():
    code = ("import io, sys\nfrom oauth2cli.cli import ui\nfrom oauth2cli.deps import Deps\n"
            "d = Deps(environ={}, stdout=io.StringIO(), stderr=io.StringIO())\n"
            "ui.print_json(d, {'a': 1}); ui.print_table(d, ['A'], [[1]]); ui.show_code(d, 'code', 'X')\n"
            "print('rich' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"
