"""Retry-After on a token endpoint's 429/503 (RFC 9110 §10.2.3): when to try once more."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from oauth2cli.core.retry import retry_after

NOW = 1_800_000_000.0


@pytest.mark.parametrize(("status", "value", "expected"), [
    (503, "1", 1.0),
    (429, "10", 10.0),
    (503, "0", 0.0),
    (503, "11", None),           # longer than we wait
    (503, "120", None),
    (500, "1", None),            # a 500 may have been processed: never retried
    (400, "1", None),
    (503, None, None),           # no Retry-After: the answer stands
    (503, "soon", None),
    (503, "-1", None),
    (503, formatdate(NOW + 5, usegmt=True), 5.0),
    (503, formatdate(NOW - 5, usegmt=True), 0.0),
    (429, formatdate(NOW + 60, usegmt=True), None),
])
def test_retry_after(status, value, expected):
    assert retry_after(status, value, NOW) == expected
