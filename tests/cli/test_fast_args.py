"""cli/fast.py reads a fast path's command line as click would for the options it knows, and
gives up (None: click answers) on anything else."""

from __future__ import annotations

import pytest

from oauth2cli.cli.fast import FLAG, VALUE, VALUES, parse, seconds

OPTIONS = {"-p": ("profile", VALUE), "--profile": ("profile", VALUE), "-H": ("headers", VALUES),
           "-s": ("silent", FLAG), "-i": ("include", FLAG), "--include": ("include", FLAG)}


@pytest.mark.parametrize(("argv", "expected"), [
    (["URL"], ({}, ["URL"])),
    (["-p", "work", "URL"], ({"profile": "work"}, ["URL"])),
    (["-pwork", "URL"], ({"profile": "work"}, ["URL"])),
    (["--profile=work", "URL"], ({"profile": "work"}, ["URL"])),
    (["URL", "-p", "a", "-p", "b"], ({"profile": "b"}, ["URL"])),  # the last one wins, as in click
    (["-si", "URL"], ({"silent": True, "include": True}, ["URL"])),
    (["-sp", "work", "URL"], ({"silent": True, "profile": "work"}, ["URL"])),
    (["-H", "A: 1", "GET", "-H", "B: 2", "URL"], ({"headers": ["A: 1", "B: 2"]}, ["GET", "URL"])),
    (["-p", "-s", "URL"], ({"profile": "-s"}, ["URL"])),  # a value option takes the next word whatever it is
    (["-", "URL"], ({}, ["-", "URL"])),
])
def test_what_it_reads(argv, expected):
    assert parse(argv, OPTIONS) == expected


@pytest.mark.parametrize("argv", [["--unknown", "URL"], ["-x", "URL"], ["-sx", "URL"], ["--", "URL"], ["URL", "-p"],
                                  ["--include=yes", "URL"], ["--profile"]],
                         ids=["unknown-long", "unknown-short", "unknown-bundled", "double-dash", "missing-value",
                              "flag-with-value", "missing-long-value"])
def test_what_it_leaves_to_click(argv):
    assert parse(argv, OPTIONS) is None


@pytest.mark.parametrize(("text", "value"), [("5", 5.0), ("0.1", 0.1), ("0.05", None), ("x", None), ("inf", None),
                                             ("nan", None), ("-1", None)])
def test_seconds_as_click_float_range_min_0_1(text, value):
    assert seconds(text) == value
