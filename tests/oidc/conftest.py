"""Fixtures of the OpenID Connect / JOSE tests: keys, and small local servers for what the
real provider cannot play (a JWT bearer token endpoint, a JWKS serving forged keys)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from oauth2cli.core.assertion import JWT_BEARER


class LocalServer:
    """A threaded loopback HTTP server; `routes` maps a path to handler(method, body) -> (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                owner.requests.append((self.command, self.path))
                route = owner.routes.get(self.path.split("?")[0])
                if route is None:
                    status, headers, payload = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    status, headers, payload = route(self.command, body, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json_route(self, path: str, value: object, status: int = 200, headers: dict | None = None) -> None:
        body = json.dumps(value).encode()
        self.routes[path] = lambda *_: (status, {"Content-Type": "application/json", **(headers or {})}, body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()


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

    def __init__(self, server: LocalServer, public_key, issuer: str) -> None:
        self.server = server
        self.public_key = public_key
        self.issuer = issuer
        self.url = server.url + "/token"
        self.seen_jti: set[str] = set()
        self.accepted: list[dict] = []
        self.forms: list[dict] = []
        server.routes["/token"] = self.handle

    def refuse(self, description: str):
        body = json.dumps({"error": "invalid_grant", "error_description": description}).encode()
        return 400, {"Content-Type": "application/json"}, body

    def handle(self, method: str, body: str, headers):
        form = {k: v[0] for k, v in parse_qs(body).items()}
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
        return 200, {"Content-Type": "application/json"}, json.dumps(token).encode()


@pytest.fixture
def bearer_endpoint(local_server: LocalServer, rsa_key: RSAKey) -> JwtBearerTokenEndpoint:
    public = RSAKey.import_key(rsa_key.as_dict(private=False))
    return JwtBearerTokenEndpoint(local_server, public, issuer="svc@project.iam.gserviceaccount.com")


@pytest.fixture
def ec_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
