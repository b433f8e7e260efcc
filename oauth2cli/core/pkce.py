"""Proof Key for Code Exchange (RFC 7636)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass

# RFC 7636 §4.1: code-verifier = 43*128 unreserved characters.
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
METHODS = ("S256", "plain")


@dataclass(frozen=True)
class Pkce:
    code_verifier: str
    code_challenge: str
    code_challenge_method: str


def new_verifier(length: int = 64) -> str:
    """A fresh code_verifier: 64 characters of base64url from 48 random bytes (RFC 7636 §7.1)."""
    if not 43 <= length <= 128:
        raise ValueError("a code_verifier has 43 to 128 characters (RFC 7636 §4.1)")
    return secrets.token_urlsafe(length)[:length]


def challenge(verifier: str, method: str = "S256") -> str:
    if not _VERIFIER.match(verifier):
        raise ValueError("a code_verifier has 43 to 128 unreserved characters (RFC 7636 §4.1)")
    if method == "S256":
        # RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), no padding
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    if method == "plain":
        return verifier
    raise ValueError(f"unknown code_challenge_method {method!r}")


def new_pkce(method: str = "S256", verifier: str | None = None) -> Pkce:
    verifier = verifier or new_verifier()
    return Pkce(verifier, challenge(verifier, method), method)
