"""Issue #17: the outside issuers the test provider trusts for its jwt-bearer and token-exchange
grants (see the "issue #17" block in tests/provider/server.js):

- a stand-in CI issuer (GitHub Actions, GitLab CI, a Kubernetes cluster all sign OIDC tokens
  with their own key): `CI_ISSUER`, its RSA key, accepted audience `CI_AUDIENCE`;
- a service account (Google's JSON shape), whose client_email is the assertion's iss.

Public clients `ci-public` (no secret) and `assertion-public` (the stand-in for "no client
authentication", RFC 7523 §3.1), and the confidential `ci-conf`, may use both grants.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CI_ISSUER = "https://ci.oauth2cli.test"
CI_AUDIENCE = "oauth2cli-ci"
SA_EMAIL = "deployer@project.iam.gserviceaccount.com"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
SCOPE = "api:read api:write"


@dataclass
class Trust:
    ci_key: Any  # joserfc RSAKey (private)
    sa_key: Any
    sa_kid: str
    ci_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def config(self) -> dict[str, Any]:
        return {
            "assertionClient": "assertion-public",
            "assertionIssuers": [
                {"issuer": CI_ISSUER, "audience": CI_AUDIENCE, "jwks": {"keys": [_public(self.ci_key, "ci-1")]}},
                {"issuer": SA_EMAIL, "jwks": {"keys": [_public(self.sa_key, self.sa_kid)]}},
            ],
        }

    def clients(self) -> list[dict[str, Any]]:
        def client(client_id: str, method: str, **extra: Any) -> dict[str, Any]:
            return {"client_id": client_id, "token_endpoint_auth_method": method, "application_type": "native",
                    "grant_types": [JWT_BEARER, TOKEN_EXCHANGE], "response_types": [], "redirect_uris": [],
                    "scope": SCOPE, **extra}

        return [client("assertion-public", "none"), client("ci-public", "none"),
                client("ci-conf", "client_secret_basic", client_secret=self.ci_secret)]

    def ci_token(self, *, audience: str | list[str] = CI_AUDIENCE, lifetime: int = 300, key: Any = None,
                 issuer: str = CI_ISSUER, **claims: Any) -> str:
        """A CI job's OIDC token, as GitHub would sign it (with `key`, a foreign one, if given)."""
        from joserfc import jwt

        now = int(time.time())
        payload = {"iss": issuer, "sub": "repo:acme/app:ref:refs/heads/main", "aud": audience, "iat": now,
                   "nbf": now - 5, "exp": now + lifetime, "jti": uuid.uuid4().hex,
                   "repository": "acme/app", "ref": "refs/heads/main", **claims}
        return jwt.encode({"alg": "RS256", "typ": "JWT", "kid": "ci-1"}, payload, key or self.ci_key)

    def service_account_file(self, directory: Path, token_uri: str) -> Path:
        path = directory / "service-account.json"
        path.write_text(json.dumps({
            "type": "service_account", "project_id": "project", "private_key_id": self.sa_kid,
            "private_key": self.sa_key.as_pem(private=True).decode(), "client_email": SA_EMAIL,
            "client_id": "1234567890", "token_uri": token_uri,
        }, indent=2))
        return path


def _public(key: Any, kid: str) -> dict[str, Any]:
    return {**key.as_dict(private=False), "kid": kid, "alg": "RS256", "use": "sig"}


def make_trust() -> Trust:
    from joserfc.jwk import RSAKey

    return Trust(ci_key=RSAKey.generate_key(2048), sa_key=RSAKey.generate_key(2048), sa_kid=uuid.uuid4().hex[:12])


def foreign_key():
    from joserfc.jwk import RSAKey

    return RSAKey.generate_key(2048)
