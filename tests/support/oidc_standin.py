"""A small OpenID provider stand-in (stdlib server + joserfc) that reproduces one provider's
documented behaviour, for the preset quirk tests: what no real server here can play (Google's
"refresh token only on first consent", Microsoft's multi-tenant issuer, ...).

    with OidcStandin() as op:            # op.issuer == "http://127.0.0.1:PORT"
        op.refresh_policy = "first_consent"   # or "always", "never", "prompt_consent"
        ... `oauth2 login` with --issuer op.issuer; op.authorizations, op.token_requests

The authorization endpoint answers at once with a redirect (the person is signed in and has
consented), so the stand-in browser (tests/support/browser.py) simply follows it.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.support.routes import RouteServer


class OidcStandin:
    def __init__(self, *, issuer_path: str = "", document_issuer: str | None = None) -> None:
        self.server = RouteServer()
        self.issuer = self.server.base + issuer_path
        # What the discovery document names as issuer (Microsoft's multi-tenant one names a template).
        self.document_issuer = document_issuer or self.issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": "standin-1", "use": "sig", "alg": "RS256"})
        self.sub = "user-1"
        self.id_token_iss: str | None = None  # None: the issuer
        self.extra_claims: dict[str, Any] = {}
        self.extra_answer: dict[str, Any] = {}  # added to every token answer (Salesforce's instance_url, ...)
        self.refresh_policy = "always"
        # Rewrites every token answer as the provider shapes it (Slack's "ok", token_type "bot", ...).
        self.shape_answer = lambda answer: answer
        self.rotate_refresh_tokens = False  # GitLab, Atlassian: a new one on every refresh, the old one dead
        self.authorizations: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._consented: set[str] = set()
        self._refresh_tokens: dict[str, str] = {}  # refresh token -> sub
        path = issuer_path
        s = self.server
        s.route("GET", path + "/.well-known/openid-configuration", handler=lambda seen: (200, self.document(), "application/json"))
        s.route("GET", path + "/authorize", handler=self._authorize)
        s.route("POST", path + "/token", handler=self._token)
        s.route("GET", path + "/jwks", handler=lambda seen: (200, {"keys": [self.key.as_dict(private=False)]}, "application/json"))
        s.route("GET", path + "/userinfo", handler=lambda seen: (200, {"sub": self.sub}, "application/json"))

    def url(self, path: str) -> str:
        return self.issuer + path

    def document(self) -> dict[str, Any]:
        return {
            "issuer": self.document_issuer, "authorization_endpoint": self.url("/authorize"),
            "token_endpoint": self.url("/token"), "jwks_uri": self.url("/jwks"),
            "userinfo_endpoint": self.url("/userinfo"), "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    # -- endpoints ---------------------------------------------------------
    def _authorize(self, seen) -> tuple:
        params = dict(seen.query)
        self.authorizations.append(params)
        code = secrets.token_urlsafe(16)
        self._codes[code] = params
        target = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params.get("state", "")})
        return 302, "", "text/plain", {"Location": target}

    def _issue_refresh(self, client_id: str, params: dict[str, str]) -> bool:
        first = (client_id, self.sub) not in self._consented
        self._consented.add((client_id, self.sub))
        policy = self.refresh_policy
        if policy == "always":
            return True
        if policy == "never":
            return False
        # Google: "a refresh token only on the first authorization", unless prompt=consent.
        offline = params.get("access_type") == "offline"
        if policy == "first_consent":
            return offline and (first or params.get("prompt") == "consent")
        raise AssertionError(policy)

    def _token(self, seen) -> tuple:
        form = seen.form_dict()
        self.token_requests.append(form)
        client_id = form.get("client_id") or "basic-client"
        if form.get("grant_type") == "authorization_code":
            params = self._codes.pop(form.get("code", ""), None)
            if params is None:
                return 400, {"error": "invalid_grant", "error_description": "Bad Request"}, "application/json"
            client_id = params.get("client_id", client_id)
            answer = self._tokens(client_id, params.get("nonce"), self._issue_refresh(client_id, params),
                                  oidc="openid" in params.get("scope", "").split())
            return 200, self.shape_answer(answer), "application/json"
        if form.get("grant_type") == "refresh_token":
            sub = self._refresh_tokens.get(form.get("refresh_token", ""))
            if sub is None:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, "application/json"
            answer = {"access_token": "at-" + secrets.token_urlsafe(8), "token_type": "Bearer", "expires_in": 3599,
                      **self.extra_answer}
            if self.rotate_refresh_tokens:
                del self._refresh_tokens[form["refresh_token"]]
                answer["refresh_token"] = token = "rt-" + secrets.token_urlsafe(8)
                self._refresh_tokens[token] = sub
            return 200, self.shape_answer(answer), "application/json"
        return 400, {"error": "unsupported_grant_type"}, "application/json"

    def id_token(self, client_id: str, nonce: str | None) -> str:
        now = int(time.time())
        claims = {"iss": self.id_token_iss or self.issuer, "aud": client_id, "sub": self.sub, "iat": now,
                  "exp": now + 3600, **self.extra_claims}
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": "standin-1"}, claims, self.key)

    def _tokens(self, client_id: str, nonce: str | None, refresh: bool, oidc: bool = True) -> dict[str, Any]:
        answer: dict[str, Any] = {"access_token": "at-" + secrets.token_urlsafe(8), "token_type": "Bearer",
                                  "expires_in": 3599, **self.extra_answer}
        if oidc:
            answer["id_token"] = self.id_token(client_id, nonce)
        if refresh:
            token = "rt-" + secrets.token_urlsafe(8)
            self._refresh_tokens[token] = self.sub
            answer["refresh_token"] = token
        return answer

    def __enter__(self) -> OidcStandin:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)
