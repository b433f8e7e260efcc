"""Start and drive the real OpenID Provider in tests/provider (oidc-provider on Node).

    from tests.support.provider import start_provider

    provider = start_provider()          # or: with Provider() as provider: ...
    provider.issuer                      # "http://127.0.0.1:PORT"
    provider.clients["conf-basic"]       # {"client_id", "client_secret", "private_key_path", "kid", ...}
    provider.introspect(token)           # introspection response (dict)
    provider.events()                    # what the token endpoint saw
    provider.stop()

Node is required: when it is missing this fails loudly instead of skipping.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import json
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.support.loopback_http import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = REPO_ROOT / "tests" / "provider"
OIDC_PROVIDER_VERSION = "9.13.3"

API_RESOURCE = "urn:oauth2cli:test-api"
API_SCOPE = "api:read api:write"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# application_type "native" lets any port on these loopback URIs match (RFC 8252 7.3).
REDIRECT_URIS = [
    "http://127.0.0.1/callback",
    "http://localhost/callback",
    "http://[::1]/callback",
]

# The environment as it was when the test session imported this module, before any
# per-test isolation replaced HOME & co. npm needs the real HOME (its ~/.npmrc).
_ORIGINAL_ENV = dict(os.environ)

# A client with response_types ["token"] (plain implicit) is not registered:
# oidc-provider 9.13.3 rejects a bare "token" response type outright
# ("unsupported response type: token", helpers/configuration.js checkResponseTypes);
# only combinations such as "id_token token" exist, and the provider does not
# enable those by default (responseTypes: code id_token, code, id_token, none).


class ProviderError(RuntimeError):
    """The test provider could not be installed, started or queried."""


# ---------------------------------------------------------------------------
# keys


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64u(value: int, length: int | None = None) -> str:
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return _b64u(value.to_bytes(length, "big"))


def public_jwk(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> dict[str, str]:
    """Public JWK (required members only) of an RSA or P-256 private key."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        numbers = private_key.public_key().public_numbers()
        return {"kty": "RSA", "e": _int_b64u(numbers.e), "n": _int_b64u(numbers.n)}
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("only P-256 EC keys are supported")
        numbers = private_key.public_key().public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": _int_b64u(numbers.x, 32),
            "y": _int_b64u(numbers.y, 32),
        }
    raise TypeError(f"unsupported key type {type(private_key).__name__}")


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 SHA-256 thumbprint."""
    members = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in members}, separators=(",", ":"), sort_keys=True)
    return _b64u(hashlib.sha256(canonical.encode("ascii")).digest())


def _write_private_pem(path: Path, key: Any) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.chmod(path, 0o600)


# ---------------------------------------------------------------------------
# installation


def _node_executable() -> str:
    node = shutil.which("node", path=_ORIGINAL_ENV.get("PATH"))
    if not node:
        raise ProviderError(
            "node is not on PATH: the integration tests need Node.js (>= 20) to run the "
            "oidc-provider test server in tests/provider; install Node.js and npm"
        )
    return node


def _installed_version() -> str | None:
    manifest = PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json"
    try:
        return json.loads(manifest.read_text("utf-8")).get("version")
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def _install_lock():
    lock_path = Path(tempfile.gettempdir()) / "oauth2cli-test-provider-npm.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_installed() -> None:
    """Run `npm ci` in tests/provider unless oidc-provider is already installed."""
    if _installed_version() == OIDC_PROVIDER_VERSION:
        return
    with _install_lock():
        if _installed_version() == OIDC_PROVIDER_VERSION:
            return
        npm = shutil.which("npm", path=_ORIGINAL_ENV.get("PATH"))
        if not npm:
            raise ProviderError(
                "npm is not on PATH: it is needed once to install oidc-provider into "
                f"{PROVIDER_DIR / 'node_modules'} (npm ci)"
            )
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            env=_ORIGINAL_ENV,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            raise ProviderError(
                f"`npm ci` in {PROVIDER_DIR} failed with exit code {proc.returncode}:\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        if _installed_version() != OIDC_PROVIDER_VERSION:
            raise ProviderError(
                f"`npm ci` did not install oidc-provider {OIDC_PROVIDER_VERSION} "
                f"(found {_installed_version()!r})"
            )


# ---------------------------------------------------------------------------
# the provider


class Provider:
    """A running oidc-provider with the standard set of test clients.

    Attributes: ``issuer``, ``port``, ``clients``, ``workdir``, ``config_path``,
    ``stderr_path``, ``startup_seconds``, ``rsa_key_path``, ``ec_key_path``.
    """

    def __init__(
        self,
        workdir: str | os.PathLike[str] | None = None,
        *,
        access_token_ttl: dict[str, int] | None = None,
        id_token_ttl: int | None = None,
        extra_clients: list[dict[str, Any]] | None = None,
        start_timeout: float = 20.0,
        dpop_nonce: bool = False,
        strict_redirects: bool = False,
        client_metadata_ca: str | None = None,
        registration: bool = True,
    ) -> None:
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="oauth2cli-provider-")
            workdir = self._tmp.name
        else:
            self._tmp = None
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path = self.workdir / "config.json"
        self.stderr_path = self.workdir / "provider.stderr.log"
        self.rsa_key_path = self.workdir / "pkjwt-rsa.pem"
        self.ec_key_path = self.workdir / "pkjwt-ec.pem"
        self.start_timeout = start_timeout
        self._access_token_ttl = dict(access_token_ttl or {})
        self._id_token_ttl = id_token_ttl  # None: the server's 3600 s
        self._extra_clients = list(extra_clients or [])
        self._dpop_nonce = dpop_nonce  # require server-provided DPoP nonces (RFC 9449 §8, §9)
        # issue #26: exact redirect URIs; Client ID Metadata Documents served over TLS by this CA; no RFC 7591
        self._strict = {"strictRedirects": strict_redirects, "registration": registration,
                        "clientIdMetadataDocuments": client_metadata_ca is not None}
        self._client_metadata_ca = client_metadata_ca
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr_fh = None
        self._http = None
        self._metadata: dict[str, Any] | None = None
        self.port: int | None = None
        self.issuer: str | None = None
        self.clients: dict[str, dict[str, Any]] = {}
        self.client_metadata: list[dict[str, Any]] = []
        self.startup_seconds: float | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> Provider:
        if self._proc is not None:
            raise ProviderError("provider already started")
        started = time.monotonic()
        node = _node_executable()
        ensure_installed()
        self._make_keys_and_clients()

        last_error: ProviderError | None = None
        for _attempt in range(3):
            port = free_port()
            try:
                self._launch(node, port)
            except _PortInUse as exc:  # somebody grabbed the port in between: retry
                last_error = exc
                continue
            break
        else:
            raise ProviderError(f"could not start the provider: {last_error}")

        self._http = httpx.Client(base_url=self.issuer, timeout=10.0, trust_env=False)
        self.startup_seconds = time.monotonic() - started
        atexit.register(self.stop)
        return self

    def _launch(self, node: str, port: int) -> None:
        config = {
            "port": port,
            "clients": self.client_metadata,
            "accessTokenTTL": self._access_token_ttl,
            **({"idTokenTTL": self._id_token_ttl} if self._id_token_ttl is not None else {}),
            "watchStdin": True,
            "dpopNonce": self._dpop_nonce,
            **self._strict,
            **self.trust.config(),  # issue #17: the CI issuer and service account the assertion grants trust
        }
        self.config_path.write_text(json.dumps(config, indent=2), "utf-8")
        os.chmod(self.config_path, 0o600)

        self._stderr_fh = open(self.stderr_path, "ab")
        env = dict(_ORIGINAL_ENV)
        env.pop("NODE_OPTIONS", None)
        if self._client_metadata_ca:
            env["NODE_EXTRA_CA_CERTS"] = self._client_metadata_ca
        proc = subprocess.Popen(
            [node, "server.js", str(self.config_path)],
            cwd=PROVIDER_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr_fh,
        )
        lines: queue.Queue[bytes | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, name=f"provider-stdout-{port}", daemon=True).start()

        deadline = time.monotonic() + self.start_timeout
        ready = None
        while ready is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._kill(proc)
                self._stderr_fh.close()
                raise ProviderError(
                    f"the provider did not print READY within {self.start_timeout:.0f} s\n"
                    f"{self._stderr_tail()}"
                )
            try:
                line = lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:
                code = proc.wait()
                tail = self._stderr_tail()
                self._stderr_fh.close()
                if "EADDRINUSE" in tail:
                    raise _PortInUse(f"port {port} in use")
                raise ProviderError(
                    f"the provider exited with code {code} before it was ready\n{tail}"
                )
            text = line.decode("utf-8", "replace").strip()
            if text.startswith("READY "):
                ready = text[len("READY "):]

        expected = f"http://127.0.0.1:{port}"
        if ready != expected:
            self._kill(proc)
            self._stderr_fh.close()
            raise ProviderError(f"provider announced {ready!r}, expected {expected!r}")
        self._proc = proc
        self.port = port
        self.issuer = ready

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s). Safe to call twice."""
        proc, self._proc = self._proc, None
        if self._http is not None:
            self._http.close()
            self._http = None
        if proc is not None:
            self._kill(proc)
        if self._stderr_fh is not None:
            self._stderr_fh.close()
            self._stderr_fh = None
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> Provider:
        return self.start() if self._proc is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _stderr_tail(self, limit: int = 4000) -> str:
        try:
            data = self.stderr_path.read_bytes()
        except OSError:
            return "(no stderr)"
        return "provider stderr:\n" + data[-limit:].decode("utf-8", "replace")

    # -- clients -----------------------------------------------------------

    def _make_keys_and_clients(self) -> None:
        from tests.support.ci_trust import make_trust

        self.trust = make_trust()  # issue #17 (tests/support/ci_trust.py)
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ec_key = ec.generate_private_key(ec.SECP256R1())
        _write_private_pem(self.rsa_key_path, rsa_key)
        _write_private_pem(self.ec_key_path, ec_key)

        rsa_jwk = public_jwk(rsa_key)
        ec_jwk = public_jwk(ec_key)
        rsa_kid = jwk_thumbprint(rsa_jwk)
        ec_kid = jwk_thumbprint(ec_jwk)

        user_grants = ["authorization_code", "refresh_token", DEVICE_CODE_GRANT]
        confidential_grants = [*user_grants, "client_credentials"]

        def interactive(client_id: str, auth_method: str, grants: list[str], **extra: Any):
            return {
                "client_id": client_id,
                "application_type": "native",
                "token_endpoint_auth_method": auth_method,
                "grant_types": grants,
                "response_types": ["code"],
                "redirect_uris": list(REDIRECT_URIS),
                "post_logout_redirect_uris": list(REDIRECT_URIS),
                **extra,
            }

        def secret() -> str:
            return secrets.token_urlsafe(32)

        metadata = [
            interactive("conf-basic", "client_secret_basic", confidential_grants, client_secret=secret()),
            interactive("conf-post", "client_secret_post", confidential_grants, client_secret=secret()),
            interactive("public-pkce", "none", user_grants),
            interactive(
                "pkjwt-rsa",
                "private_key_jwt",
                confidential_grants,
                token_endpoint_auth_signing_alg="RS256",
                jwks={"keys": [{**rsa_jwk, "kid": rsa_kid, "alg": "RS256", "use": "sig"}]},
            ),
            interactive(
                "pkjwt-ec",
                "private_key_jwt",
                confidential_grants,
                token_endpoint_auth_signing_alg="ES256",
                jwks={"keys": [{**ec_jwk, "kid": ec_kid, "alg": "ES256", "use": "sig"}]},
            ),
            interactive(
                "secret-jwt",
                "client_secret_jwt",
                confidential_grants,
                client_secret=secret(),
                token_endpoint_auth_signing_alg="HS256",
            ),
            {
                "client_id": "cc-only",
                "client_secret": secret(),
                "application_type": "native",
                "token_endpoint_auth_method": "client_secret_basic",
                "grant_types": ["client_credentials"],
                "response_types": [],
                "redirect_uris": [],
            },
            interactive("short-public", "none", user_grants),
            interactive("short-conf", "client_secret_basic", confidential_grants, client_secret=secret()),
            interactive("dpop-client", "none", user_grants, dpop_bound_access_tokens=True),
            *self.trust.clients(),
            *self._extra_clients,
        ]

        keys = {
            "pkjwt-rsa": (self.rsa_key_path, rsa_kid, "RS256"),
            "pkjwt-ec": (self.ec_key_path, ec_kid, "ES256"),
        }
        self.client_metadata = metadata
        self.clients = {}
        for meta in metadata:
            name = meta["client_id"]
            key_path, kid, alg = keys.get(name, (None, None, None))
            self.clients[name] = {
                "client_id": name,
                "client_secret": meta.get("client_secret"),
                "private_key_path": str(key_path) if key_path else None,
                "kid": kid,
                "alg": alg or meta.get("token_endpoint_auth_signing_alg"),
                "auth_method": meta.get("token_endpoint_auth_method", "client_secret_basic"),
                "grant_types": list(meta.get("grant_types", [])),
                "public": meta.get("token_endpoint_auth_method") == "none",
            }

    # -- HTTP helpers ------------------------------------------------------

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            raise ProviderError("provider is not running")
        return self._http

    def discovery(self) -> dict[str, Any]:
        """The provider's /.well-known/openid-configuration (cached)."""
        if self._metadata is None:
            resp = self.http.get("/.well-known/openid-configuration")
            resp.raise_for_status()
            self._metadata = resp.json()
        return self._metadata

    def endpoint(self, name: str) -> str:
        """Discovery URL by short name: token, introspection, revocation, ..."""
        key = name if name.endswith("_endpoint") or name == "jwks_uri" else f"{name}_endpoint"
        return self.discovery()[key]

    def events(self) -> list[dict[str, Any]]:
        """Recorded events: token/revocation/device requests and grant.* events."""
        resp = self.http.get("/__test/events")
        resp.raise_for_status()
        return resp.json()

    def authorizations(self) -> list[dict[str, Any]]:
        """The query parameters of every GET to the authorization endpoint, in order."""
        resp = self.http.get("/__test/authorizations")
        resp.raise_for_status()
        return resp.json()

    def reset_events(self) -> None:
        resp = self.http.post("/__test/reset")
        resp.raise_for_status()

    def client_assertion(self, client: str, audience: str | None = None) -> str:
        """A fresh client_assertion JWT for a private_key_jwt or client_secret_jwt client."""
        from joserfc import jwt
        from joserfc.jwk import ECKey, OctKey, RSAKey

        info = self.clients[client]
        now = int(time.time())
        claims = {
            "iss": info["client_id"],
            "sub": info["client_id"],
            "aud": audience or self.endpoint("token"),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + 60,
        }
        if info["auth_method"] == "private_key_jwt":
            pem = Path(info["private_key_path"]).read_bytes()
            key = (RSAKey if info["alg"].startswith(("RS", "PS")) else ECKey).import_key(pem)
            header = {"alg": info["alg"], "kid": info["kid"], "typ": "JWT"}
        elif info["auth_method"] == "client_secret_jwt":
            key = OctKey.import_key(info["client_secret"])
            header = {"alg": info["alg"] or "HS256", "typ": "JWT"}
        else:
            raise ProviderError(f"{client} does not use JWT client authentication")
        return jwt.encode(header, claims, key)

    def client_auth(self, client: str, audience: str | None = None) -> dict[str, Any]:
        """httpx keyword arguments (``auth`` and/or ``data``) authenticating *client*."""
        info = self.clients[client]
        method = info["auth_method"]
        if method == "client_secret_basic":
            return {"auth": (info["client_id"], info["client_secret"]), "data": {}}
        if method == "client_secret_post":
            data = {"client_id": info["client_id"], "client_secret": info["client_secret"]}
            return {"data": data}
        if method in ("private_key_jwt", "client_secret_jwt"):
            data = {
                "client_id": info["client_id"],
                "client_assertion_type": CLIENT_ASSERTION_TYPE,
                "client_assertion": self.client_assertion(client, audience),
            }
            return {"data": data}
        if method == "none":
            return {"data": {"client_id": info["client_id"]}}
        raise ProviderError(f"unsupported auth method {method}")

    def post_as(self, client: str, endpoint: str, data: dict[str, Any]) -> httpx.Response:
        """POST form *data* to a discovery endpoint (e.g. "token") authenticated as *client*."""
        auth = self.client_auth(client)
        form = {**auth.get("data", {}), **data}
        return self.http.post(self.endpoint(endpoint), data=form, auth=auth.get("auth"))

    def introspect(self, token: str, client: str = "conf-basic", **params: str) -> dict[str, Any]:
        """RFC 7662 introspection of *token*, authenticated as *client*."""
        resp = self.post_as(client, "introspection", {"token": token, **params})
        if resp.status_code != 200:
            raise ProviderError(f"introspection failed: {resp.status_code} {resp.text}")
        return resp.json()


class _PortInUse(ProviderError):
    pass


def start_provider(workdir: str | os.PathLike[str] | None = None, **kwargs: Any) -> Provider:
    """Start a Provider and return it once it answers; call ``.stop()`` when done."""
    return Provider(workdir, **kwargs).start()


__all__ = [
    "API_RESOURCE",
    "API_SCOPE",
    "CLIENT_ASSERTION_TYPE",
    "DEVICE_CODE_GRANT",
    "REDIRECT_URIS",
    "Provider",
    "ProviderError",
    "ensure_installed",
    "jwk_thumbprint",
    "public_jwk",
    "start_provider",
]
