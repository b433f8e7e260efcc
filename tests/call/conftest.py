"""Fixtures for `oauth2 call`: a local resource server, profiles with stored tokens, a byte-exact runner."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.call.resource import other_resource, resource  # noqa: F401 - fixtures


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout[:2000]!r}\n--- stderr\n{self.stderr}"


def oauth2(*args: str, input: bytes = b"", env: dict | None = None, timeout: float = 60) -> Run:
    """`oauth2 ARGS` as a real process; stdout as bytes, so binary bodies can be compared exactly."""
    proc = subprocess.run([sys.executable, "-m", "oauth2cli", *args], input=input, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return Run(proc.returncode, proc.stdout, stderr)


def store():
    from oauth2cli.deps import Deps
    from oauth2cli.store import Store

    return Store(Deps())


def make_profile(name: str, tokens=None, **values) -> None:
    """A profile in the isolated config.toml, and its tokens in the isolated test keyring."""
    s = store()
    s.save_profile(name, {"client_id": values.pop("client_id", "test-client"), **values})
    if tokens is not None:
        s.save_tokens(name, tokens)


def fake_tokens(access_token: str = "local-token", lifetime: float | None = 3600, **extra):
    from oauth2cli.core.tokens import TokenSet

    return TokenSet(access_token=access_token, expires_at=None if lifetime is None else time.time() + lifetime,
                    **extra)


def device_tokens(provider, client_id: str, *, scope: str = "openid offline_access", dpop_key=None) -> dict:
    """Tokens for a user of `client_id` through the device flow, the stand-in browser approving."""
    from tests.support import browser
    from tests.test_harness import dpop_proof

    device = httpx.post(provider.endpoint("device_authorization"), data={"client_id": client_id, "scope": scope}).json()
    browser.run(device["verification_uri_complete"], login="carol")
    token_url = provider.endpoint("token")
    headers = {"DPoP": dpop_proof(dpop_key, "POST", token_url)} if dpop_key is not None else {}
    resp = httpx.post(token_url, headers=headers, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": device["device_code"],
        "client_id": client_id})
    assert resp.status_code == 200, resp.text
    return resp.json()


DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def approved_device_code(provider, client_id: str, scope: str = "openid offline_access") -> str:
    """A device_code that a person (the stand-in browser) has approved."""
    from tests.support import browser

    resp = httpx.post(provider.endpoint("device_authorization"), data={"client_id": client_id, "scope": scope})
    assert resp.status_code == 200, resp.text
    device = resp.json()
    browser.run(device["verification_uri_complete"], login="carol")
    return device["device_code"]


def login(provider, profile: str, client_id: str, **values):
    """Profile `profile` for `client_id` at the provider, with tokens from an approved device flow,
    fetched by oauth2cli's own token flow (so a DPoP profile gets its proof and its stored key)."""
    from oauth2cli.deps import Deps
    from oauth2cli.flows import settings as settings_flow
    from oauth2cli.flows.exchange import token as token_flow

    make_profile(profile, None, issuer=provider.issuer, client_id=client_id, **values)
    deps = Deps()
    settings = settings_flow.resolve({}, deps, profile)
    code = approved_device_code(provider, client_id)
    tokens = token_flow.exchange(settings, deps, (("grant_type", DEVICE_GRANT), ("device_code", code)))
    deps.store.save_tokens(profile, tokens)
    return tokens


def stored_tokens(profile: str):
    return store().load_tokens(profile)
