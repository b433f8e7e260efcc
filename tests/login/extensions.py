"""A provider of its own for the authorization-request extensions of issue #19 (JAR, JARM, RAR,
form_post, hybrid), with the clients they need, and a key the tests sign and decrypt with."""

from __future__ import annotations

import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.provider import (
    API_RESOURCE,
    REDIRECT_URIS,
    Provider,
    _write_private_pem,
    jwk_thumbprint,
    public_jwk,
)

JAR_SECRET = secrets.token_urlsafe(32)
RAR_SECRET = secrets.token_urlsafe(32)
RAR_TYPES = ["payment_initiation", "account_information"]
PAYMENT = [{"type": "payment_initiation", "instructedAmount": {"currency": "EUR", "amount": "12.30"},
            "creditorName": "Merchant A"}]


def _client(client_id: str, auth_method: str, **extra):
    return {"client_id": client_id, "application_type": "native", "token_endpoint_auth_method": auth_method,
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "redirect_uris": list(REDIRECT_URIS), **extra}


@pytest.fixture(scope="module")
def ext_provider(tmp_path_factory):
    """(provider, key_path): the provider with the issue #19 clients; key_path is the RSA key of
    jar-rsa (signing) and jarm-enc (JARM encrypted to it)."""
    workdir = tmp_path_factory.mktemp("ext-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = workdir / "client-rsa.pem"
    _write_private_pem(key_path, key)
    jwk = public_jwk(key)
    kid = jwk_thumbprint(jwk)
    hybrid_types = ["code id_token", "code", "code token", "code id_token token"]
    clients = [
        _client("jar-rsa", "private_key_jwt", require_signed_request_object=True,
                token_endpoint_auth_signing_alg="RS256", request_object_signing_alg="RS256",
                jwks={"keys": [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]}),
        _client("jar-secret", "client_secret_basic", client_secret=JAR_SECRET, require_signed_request_object=True),
        _client("jarm-public", "none"),
        _client("jarm-enc", "none", authorization_encrypted_response_alg="RSA-OAEP-256",
                authorization_encrypted_response_enc="A128GCM",
                jwks={"keys": [{**jwk, "kid": kid + "-enc", "alg": "RSA-OAEP-256", "use": "enc"}]}),
        _client("hybrid", "none", response_types=hybrid_types,
                grant_types=["authorization_code", "refresh_token", "implicit"]),
        # issue #28 row 18: no refresh_token grant, so the server issues none even for offline_access
        _client("no-refresh", "none", grant_types=["authorization_code"]),
        _client("rar-conf", "client_secret_basic", client_secret=RAR_SECRET, authorization_details_types=RAR_TYPES,
                grant_types=["authorization_code", "refresh_token", "client_credentials"]),
    ]
    instance = Provider(workdir, extra_clients=clients).start()
    try:
        yield instance, key_path
    finally:
        instance.stop()


def resource() -> str:
    return API_RESOURCE
