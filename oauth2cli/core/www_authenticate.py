"""`WWW-Authenticate` challenges (RFC 9110 §11.6.1, §11.2), parsed without I/O.

    challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    auth-param = token BWS "=" BWS ( token / quoted-string )

Several challenges can share one header line, separated by commas, and a response can
carry several header lines; `parse_all` takes them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_TCHAR = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
_SCHEME = re.compile(rf"[ \t,]*({_TCHAR}+)")
_TOKEN68 = re.compile(r"[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)")
_PARAM = re.compile(rf'[ \t,]*({_TCHAR}+)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|{_TCHAR}+)[ \t]*(?=,|$)')


@dataclass(frozen=True)
class Challenge:
    scheme: str  # as sent; compare with `is_scheme`, schemes are case-insensitive (RFC 9110 §11.1)
    params: dict[str, str] = field(default_factory=dict)  # names lowercased (RFC 9110 §11.2)
    token68: str | None = None

    def is_scheme(self, name: str) -> bool:
        return self.scheme.lower() == name.lower()

    def get(self, name: str) -> str | None:
        return self.params.get(name.lower())


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def parse(header: str) -> list[Challenge]:
    """The challenges of one header value; a malformed tail is ignored, not fatal."""
    challenges: list[Challenge] = []
    pos, end = 0, len(header)
    while pos < end:
        m = _SCHEME.match(header, pos)
        if not m:
            break
        scheme, pos = m.group(1), m.end()
        params: dict[str, str] = {}
        token68 = None
        t = _TOKEN68.match(header, pos)
        if t:
            token68, pos = t.group(1), t.end()
        else:
            while True:
                p = _PARAM.match(header, pos)
                if not p:
                    break
                params.setdefault(p.group(1).lower(), _unquote(p.group(2)))
                pos = p.end()
                # A comma then `name=` continues this challenge; a comma then a bare token starts the next.
        challenges.append(Challenge(scheme, params, token68))
        rest = header[pos:].lstrip(" \t")
        if rest and not rest.startswith(","):
            break  # not a challenge list we understand; keep what we have
        pos = end - len(rest)
    return challenges


def parse_all(values: Iterable[str]) -> list[Challenge]:
    out: list[Challenge] = []
    for value in values:
        out.extend(parse(value))
    return out


def find(challenges: Iterable[Challenge], scheme: str) -> Challenge | None:
    for challenge in challenges:
        if challenge.is_scheme(scheme):
            return challenge
    return None
