"""kubectl's exec credential plugin protocol (client.authentication.k8s.io), pure.

kubectl runs the plugin with KUBERNETES_EXEC_INFO set to an ExecCredential naming the
apiVersion the kubeconfig's exec block asked for (and whether a person is at a terminal,
spec.interactive); the plugin prints an ExecCredential of that same apiVersion with
status.token and, when known, status.expirationTimestamp (RFC 3339), until which kubectl
keeps it.

kubectl runs the plugin on every call, and its first step (flows/helpers/helper_view.py) answers a fresh
token with this module: so it imports no json, typing or enum (core.errors, only to raise).
"""

from __future__ import annotations

import time

from oauth2cli.core.jsonlite import dumps_compact, loads

GROUP = "client.authentication.k8s.io"
API_VERSIONS = (f"{GROUP}/v1", f"{GROUP}/v1beta1")  # v1alpha1 left kubectl in 1.24
DEFAULT_API_VERSION = f"{GROUP}/v1"
KINDS = ("id_token", "access_token")


class ExecInfo:  # a plain class, not a NamedTuple or dataclass: kubectl's fast path skips typing
    __slots__ = ("api_version", "interactive", "server")

    def __init__(self, api_version: str = DEFAULT_API_VERSION, interactive: bool | None = None,
                 server: str | None = None) -> None:
        self.api_version = api_version
        self.interactive = interactive  # None: kubectl did not say (run by hand)
        self.server = server  # the cluster's API server, when the kubeconfig sets provideClusterInfo

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExecInfo) and (self.api_version, self.interactive) == (other.api_version,
                                                                                      other.interactive)

    def __hash__(self) -> int:
        return hash((self.api_version, self.interactive))

    def __repr__(self) -> str:
        return f"ExecInfo(api_version={self.api_version!r}, interactive={self.interactive!r})"


def parse_exec_info(value: str | None) -> ExecInfo:
    """KUBERNETES_EXEC_INFO; ConfigError (one line) for JSON we cannot use or a version we do not speak."""
    if value is None or not value.strip():
        return ExecInfo()
    try:
        data = loads(value)
    except ValueError:
        data = ValueError
    if not isinstance(data, dict) or data.get("apiVersion") not in API_VERSIONS:
        from oauth2cli.core.errors import ConfigError, printable  # core.errors loads enum: only to refuse

        if data is ValueError:
            raise ConfigError("KUBERNETES_EXEC_INFO is not JSON", hint="kubectl sets it to an ExecCredential")
        if not isinstance(data, dict):
            raise ConfigError("KUBERNETES_EXEC_INFO is not a JSON object", hint="kubectl sets it to an ExecCredential")
        version = data.get("apiVersion")
        raise ConfigError(
            f"the kubeconfig asks for exec credential apiVersion {printable(version, 80)!r}, "
            f"which oauth2 does not speak",
            hint=f"use apiVersion: {DEFAULT_API_VERSION} (or {API_VERSIONS[1]}) in the kubeconfig's exec block",
        )
    version = data["apiVersion"]
    spec = data.get("spec")
    interactive = spec.get("interactive") if isinstance(spec, dict) else None
    cluster = spec.get("cluster") if isinstance(spec, dict) else None
    server = cluster.get("server") if isinstance(cluster, dict) else None
    return ExecInfo(version, interactive if isinstance(interactive, bool) else None,
                    server if isinstance(server, str) and server else None)


def default_kind(scope: str | None) -> str:
    """Kubernetes' OIDC authenticator validates id_tokens: the id_token when the scope has openid."""
    return "id_token" if "openid" in (scope or "").split() else "access_token"


def _claim(claims: dict, name: str) -> float | None:
    value = claims.get(name)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def id_token_times(id_token: str) -> tuple[float | None, float | None]:
    """(exp, iat) of an id_token that was validated when it was stored (not checked again here);
    an unreadable one counts as expired, so that it is fetched again."""
    claims = _claims(id_token)
    if claims is None:
        from oauth2cli.core.jose import split_jwt  # the full decoder, for anything out of the ordinary

        try:
            _, claims = split_jwt(id_token, what="the stored id_token")
        except Exception:  # noqa: BLE001
            return 0.0, None
    return _claim(claims, "exp"), _claim(claims, "iat")


def _claims(token: str) -> dict | None:
    """The claims core.jose.split_jwt finds in an ordinary JWS (UTF-8 JSON objects), without json
    or base64; None for anything else, which split_jwt then decides."""
    import binascii

    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = (loads(binascii.a2b_base64((part + "=" * (-len(part) % 4)).translate(_URLSAFE)).decode())
                          for part in parts[:2])
    except (ValueError, UnicodeError):
        return None
    return claims if isinstance(header, dict) and isinstance(claims, dict) else None


_URLSAFE = str.maketrans("-_", "+/")


def id_token_expiry(id_token: str) -> float | None:
    return id_token_times(id_token)[0]


def id_token_stale(id_token: str, now: float, leeway: float) -> bool:
    """Within the leeway of its exp (at most half its lifetime, as for access tokens)."""
    from oauth2cli.core.expiry import stale

    exp, iat = id_token_times(id_token)
    return stale(exp, iat, now, leeway)


def rfc3339(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(timestamp)))


def exec_credential(api_version: str, token: str, expires_at: float | None) -> str:
    """The ExecCredential kubectl reads from stdout, as one line of JSON."""
    status: dict[str, str] = {"token": token}
    if expires_at is not None:
        status["expirationTimestamp"] = rfc3339(expires_at)
    return dumps_compact({"apiVersion": api_version, "kind": "ExecCredential", "spec": {}, "status": status}) + "\n"
