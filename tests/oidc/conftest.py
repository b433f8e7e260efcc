"""Fixtures of the OpenID Connect / JOSE tests: keys, and a local server (RouteServer) for what
the real provider cannot play (a JWT bearer token endpoint, a JWKS serving forged keys)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from oauth2cli.core.assertion import JWT_BEARER
from tests.support.routes import RouteServer


@pytest.fixture
def local_server():
    with RouteServer() as server:
        yield server


@pytest.fixture(scope="session")
def rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})


@pytest.fixture
def rsa_pem(tmp_path: Path, rsa_key: RSAKey) -> Path:
    path = tmp_path / "key.pem"
    path.write_bytes(rsa_key.as_pem(private=True))
    path.chmod(0o600)
    return path


class JwtBearerTokenEndpoint:
    """A token endpoint for the RFC 7523 §2.1 grant that checks what §3 asks of the server:
    the signature (with the registered public key), aud (its own URL), exp (and a lifetime
    of at most an hour), and that a jti is never used twice."""

    def __init__(self, server: RouteServer, public_key, issuer: str) -> None:
        self.server = server
        self.public_key = public_key
        self.issuer = issuer
        self.url = server.url("/token")
        self.seen_jti: set[str] = set()
        self.accepted: list[dict] = []
        self.forms: list[dict] = []
        server.route("POST", "/token", handler=self.handle)

    def refuse(self, description: str):
        return 400, {"error": "invalid_grant", "error_description": description}, "application/json"

    def handle(self, seen):
        form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
        self.forms.append(form)
        if form.get("grant_type") != JWT_BEARER:
            return self.refuse("unsupported grant")
        try:
            obj = jws.deserialize_compact(form["assertion"], self.public_key, algorithms=["RS256", "ES256"])
        except Exception as exc:
            return self.refuse(f"bad signature: {exc}")
        claims = json.loads(obj.payload)
        now = time.time()
        if claims.get("iss") != self.issuer:
            return self.refuse("unknown issuer")
        if claims.get("aud") != self.url and self.url not in (claims.get("aud") or []):
            return self.refuse("aud is not this token endpoint")
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
            return self.refuse("assertion expired")
        if claims["exp"] - claims.get("iat", now) > 3600:
            return self.refuse("assertion lives too long")
        jti = claims.get("jti")
        if not jti or jti in self.seen_jti:
            return self.refuse("jti replayed")
        self.seen_jti.add(jti)
        self.accepted.append(claims)
        token = {"access_token": f"at-{len(self.accepted)}", "token_type": "Bearer", "expires_in": 3600}
        if "scope" in claims:
            token["scope"] = claims["scope"]
        return 200, token, "application/json"


@pytest.fixture
def bearer_endpoint(local_server: RouteServer, rsa_key: RSAKey) -> JwtBearerTokenEndpoint:
    public = RSAKey.import_key(rsa_key.as_dict(private=False))
    return JwtBearerTokenEndpoint(local_server, public, issuer="svc@project.iam.gserviceaccount.com")


@pytest.fixture
def ec_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
