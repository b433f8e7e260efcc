"""What an ad-hoc grant loads (tests/cli/test_startup.py's kind of test): commands/token.run on the
wire client, as CI runs `oauth2 token --grant client_credentials`, needs no click (the command line
is read without it), no httpx (the wire client sends), no rich (nothing is drawn), no keyring and
no store (nothing is stored without a profile) but its preset layering, no config.toml reader, and no email or
datetime (Retry-After dates are parsed only when one comes). With a client secret it needs no
JOSE or crypto library and no TLS on a loopback http:// endpoint; private_key_jwt needs
cryptography's key reader and signature primitives, and not joserfc (core/jws_sign signs) nor
cryptography.x509."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qsl

import pytest

from tests.ci.test_token_one_path import TokenEndpoint

PROBE = """
import json, sys
from oauth2cli.commands.token import TokenOptions, run
from oauth2cli.deps import Deps
from oauth2cli.transport.wire import WireClient

options = json.loads(sys.argv[1])
deps = Deps(environ={"OAUTH2_CLIENT_SECRET": "s3cret"}, http_factory=WireClient)
code = run(TokenOptions(**options), deps)
sys.stdout.flush()
sys.stderr.write("\\nLOADED=" + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""
NEVER = ("click", "httpx", "rich", "keyring", "oauth2cli.cli", "oauth2cli.flows.grants.session",
         "tomllib", "email", "datetime", "http.client", "pathlib")
SIGNING = ("joserfc", "cryptography", "ssl")


# Of the store, only its preset layering (a pure function every settings read goes through).
STORE_ALLOWED = ("oauth2cli.store", "oauth2cli.store.presets")


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    found = {n for n in names for m in modules if m == n or m.startswith(n + ".")}
    return sorted(found | {m for m in modules if m.startswith("oauth2cli.store") and m not in STORE_ALLOWED})


@pytest.fixture
def endpoint():
    with TokenEndpoint() as server:
        yield server


def run_grant(endpoint, **options) -> tuple[str, list[str], dict]:
    options = {"token_url": endpoint.token_url, "client_id": "ci", "grant": "client_credentials", **options}
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(options)], capture_output=True, text=True,
                          timeout=60)
    head, _, tail = proc.stderr.rpartition("\nLOADED=")
    assert tail and head == "", proc.stderr
    result = json.loads(tail)
    assert result["code"] == 0 and proc.stdout == "mF_9.B5f-4.1JqM\n"
    (request,) = endpoint.requests
    return proc.stdout, result["modules"], dict(parse_qsl(request["body"].decode()))


def test_client_credentials_with_a_secret_loads_no_cli_http_library_store_or_crypto(endpoint):
    _, modules, form = run_grant(endpoint)
    assert form == {"grant_type": "client_credentials"}
    assert loaded(modules, NEVER + SIGNING) == []


def test_private_key_jwt_loads_only_what_signs_more(endpoint, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = tmp_path / "client.pem"
    key.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _, modules, form = run_grant(endpoint, auth_method="private_key_jwt", private_key=str(key))
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert loaded(modules, NEVER) == []
    assert loaded(modules, SIGNING) == ["cryptography"]  # the probe can see what signs
    assert loaded(modules, ("cryptography.x509", "cryptography.hazmat.primitives.serialization")) == []
