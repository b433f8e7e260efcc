"""Encrypted (JWE) userinfo answers from the real provider, decrypted with the profile's key
(OIDC Core §5.3.2), and userinfo with a DPoP-bound token (RFC 9449 §7)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.cli import assert_no_traceback, run_cli
from tests.support.login import code_flow_tokens
from tests.support.provider import REDIRECT_URIS, Provider, public_jwk


@pytest.fixture(scope="module")
def enc_provider(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("enc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = workdir / "enc-key.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    client = {
        "client_id": "enc-client", "application_type": "native", "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "redirect_uris": list(REDIRECT_URIS),
        "userinfo_signed_response_alg": "RS256",  # the provider signs, then encrypts (OIDC Core §5.3.2)
        "userinfo_encrypted_response_alg": "RSA-OAEP", "userinfo_encrypted_response_enc": "A128CBC-HS256",
        "jwks": {"keys": [{**public_jwk(key), "use": "enc", "alg": "RSA-OAEP", "kid": "enc-1"}]},
    }
    instance = Provider(workdir, extra_clients=[client]).start()
    instance.enc_key_path = key_path
    try:
        yield instance
    finally:
        instance.stop()


def save_profile(name: str, provider, client_id: str, tokens: dict, **values) -> None:
    from oauth2cli.core.tokens import token_set_from_json
    from oauth2cli.deps import Deps

    config = Path(os.environ["XDG_CONFIG_HOME"]) / "oauth2cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"[profiles.{name}]", f'issuer = "{provider.issuer}"', f'client_id = "{client_id}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    config.write_text("\n".join(lines) + "\n")
    answer = {k: v for k, v in tokens.items() if k != "obtained_at"}
    Deps(environ=dict(os.environ)).store.save_tokens(name, token_set_from_json(answer, tokens["obtained_at"]))


def test_an_encrypted_userinfo_answer_is_decrypted(enc_provider):
    tokens = code_flow_tokens(enc_provider, "enc-client", scope="openid email")
    save_profile("enc", enc_provider, "enc-client", tokens, private_key=str(enc_provider.enc_key_path))
    result = run_cli("userinfo", "enc")
    assert result.code == 0, result
    claims = json.loads(result.stdout)
    assert claims["sub"] == "alice" and claims["email"] == "alice@example.test"


def test_without_the_key_it_says_what_is_missing(enc_provider):
    tokens = code_flow_tokens(enc_provider, "enc-client", scope="openid")
    save_profile("nokey", enc_provider, "enc-client", tokens)
    result = run_cli("userinfo", "nokey")
    assert result.code == 3, result
    assert "encrypted (JWE), and this profile has no private key" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert_no_traceback(result)


def test_userinfo_with_a_dpop_bound_token(provider):
    from tests.call.conftest import login  # tokens by oauth2cli's own token flow, with the profile's DPoP key

    tokens = login(provider, "dp", "dpop-client", dpop=True)
    assert tokens.token_type == "DPoP"
    result = run_cli("userinfo", "dp")
    assert result.code == 0, result
    assert json.loads(result.stdout)["sub"]
