"""The authorization request (RFC 6749 §4.1.1, §4.2.1) and the checks of what comes back to the
redirect URI (§4.1.2, RFC 9207). Pure: the caller gives the query or fragment it received.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oauth2cli.core.errors import ConfigError, ProtocolError, ServerError, printable
from oauth2cli.core.http import Pairs
from oauth2cli.core.pkce import Pkce, new_pkce

# Parameters the tool sets itself; `-P` may not replace them.
RESERVED = ("response_type", "client_id", "redirect_uri", "state", "nonce", "code_challenge",
            "code_challenge_method", "request_uri", "request", "response_mode")
DEFAULT_PATH = "/callback"
LOOPBACK_HOSTS = ("127.0.0.1", "[::1]", "localhost")


@dataclass(frozen=True)
class RedirectTarget:
    """A loopback redirect URI split into what the listener needs (RFC 8252 §7.3)."""

    scheme: str
    host: str  # as written in the URI: 127.0.0.1, [::1] or localhost
    port: int  # 0: any free port
    path: str

    @property
    def bind_address(self) -> str:
        # RFC 8252 §8.3: listen on the loopback interface only; "localhost" is served on 127.0.0.1.
        return "::1" if self.host == "[::1]" else "127.0.0.1"

    def uri(self, port: int | None = None) -> str:
        port = self.port if port is None else port
        return f"{self.scheme}://{self.host}:{port}{self.path}"


def parse_redirect_uri(uri: str | None) -> RedirectTarget:
    """The loopback redirect URI a listener can serve; ConfigError for anything else."""
    if not uri:
        return RedirectTarget("http", "127.0.0.1", 0, DEFAULT_PATH)
    parts = urlsplit(uri)
    netloc_host = parts.netloc.rsplit(":", 1)[0] if parts.port is not None else parts.netloc
    host = netloc_host.lower()
    if parts.scheme != "http" or host not in LOOPBACK_HOSTS:
        raise ConfigError(
            f"the redirect URI {uri!r} is not a loopback http URI",
            hint="use http://127.0.0.1:PORT/PATH, http://[::1]:PORT/PATH or http://localhost:PORT/PATH; "
                 "for any other redirect URI use --manual",
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"the redirect URI {uri!r} must not have a query or fragment (RFC 6749 §3.1.2)")
    try:
        port = parts.port or 0
    except ValueError:
        raise ConfigError(f"the redirect URI {uri!r} has an invalid port") from None
    return RedirectTarget("http", host, port, parts.path or "/")


@dataclass(frozen=True)
class AuthorizationRequest:
    """What was sent to the authorization endpoint, and what must come back."""

    authorization_endpoint: str
    client_id: str
    redirect_uri: str
    response_type: str
    state: str
    nonce: str | None
    pkce: Pkce | None
    params: Pairs  # every parameter, in order (also the body of a pushed request)

    @property
    def code_verifier(self) -> str | None:
        return self.pkce.code_verifier if self.pkce else None

    @property
    def url(self) -> str:
        return add_query(self.authorization_endpoint, self.params)

    def url_for_request_uri(self, request_uri: str) -> str:
        # RFC 9126 §4: client_id and request_uri only.
        return add_query(self.authorization_endpoint, (("client_id", self.client_id), ("request_uri", request_uri)))


def add_query(url: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The URL with the pairs appended to whatever query it already has (RFC 6749 §3.1)."""
    parts = urlsplit(url)
    query = urlencode(list(pairs))
    if parts.query:
        query = parts.query + "&" + query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def build_authorization_request(
    authorization_endpoint: str,
    *,
    client_id: str,
    redirect_uri: str,
    scope: str | None = None,
    response_type: str = "code",
    pkce: str = "S256",
    resources: Sequence[str] = (),
    audience: str | None = None,
    extra: Iterable[tuple[str, str]] = (),
    state: str | None = None,
    nonce: str | None = None,
    response_mode: str | None = None,
) -> AuthorizationRequest:
    """A fresh authorization request: random state, PKCE (S256 unless told), nonce with openid."""
    extra = tuple(extra)
    for key, _ in extra:
        if key in RESERVED:
            raise ConfigError(f"-P {key}=... would replace a parameter the login sets itself")
    # RFC 6749 §10.12 / RFC 9700 §4.7.1: state binds the response to this run; 256 bits.
    state = state or secrets.token_urlsafe(32)
    scopes = (scope or "").split()
    if nonce is None and "openid" in scopes and response_type != "token":
        # OIDC Core §3.1.2.1 (§3.3.2.11: REQUIRED in hybrid flows): the nonce ties the id_token to this request.
        nonce = secrets.token_urlsafe(32)
    challenge = None
    if pkce != "none" and "code" in response_type.split():
        challenge = new_pkce(pkce)
    params: list[tuple[str, str]] = [("response_type", response_type), ("client_id", client_id),
                                     ("redirect_uri", redirect_uri)]
    if scope:
        params.append(("scope", scope))
    if response_mode:
        params.append(("response_mode", response_mode))
    params.append(("state", state))
    if nonce:
        params.append(("nonce", nonce))
    if challenge:
        params += [("code_challenge", challenge.code_challenge),
                   ("code_challenge_method", challenge.code_challenge_method)]
    if audience:
        params.append(("audience", audience))
    params += [("resource", r) for r in resources]  # RFC 8707 §2: one parameter per resource
    params += extra
    return AuthorizationRequest(authorization_endpoint, client_id, redirect_uri, response_type, state, nonce,
                                challenge, tuple(params))


# ---------------------------------------------------------------------------
# what comes back


class CallbackIgnored(Exception):
    """A request to the listener that is not our authorization response.

    The listener answers it with `status` and keeps waiting: whoever can reach the
    loopback port must not be able to end or hijack the login.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class AuthorizationResponse:
    params: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        return self.params.get("code")


@dataclass(frozen=True)
class CallbackCheck:
    """What a valid authorization response must look like."""

    path: str
    state: str
    response_type: str = "code"
    issuer: str | None = None  # the issuer we expect in `iss`
    iss_required: bool = False  # metadata: authorization_response_iss_parameter_supported


def server_said(pairs: Iterable[tuple[str, str]]) -> str:
    """What a refused response's error fields say, marked unverified and escaped ("" for none).

    The response failed a check (state, iss), so nothing proves the server sent it; but when it
    is genuine, its error_description is often the only clue (e.g. "Code challenge required.").
    """
    fields = {}
    for key, value in pairs:
        if key in ("error", "error_description", "error_uri") and key not in fields:
            fields[key] = value
    if not fields.get("error"):
        return ""
    text = printable(fields["error"], 100)
    if fields.get("error_description"):
        text += ": " + printable(fields["error_description"], 300)
    if fields.get("error_uri"):
        text += f" (see {printable(fields['error_uri'], 200)})"
    return f"; the server (unverified) said: {text}"


def check_path(check: CallbackCheck, path: str) -> None:
    if path != check.path:
        raise CallbackIgnored(404, "not the redirect path")


def check_response(check: CallbackCheck, query: str) -> AuthorizationResponse:
    """The authorization response in `query` (a query string or a fragment), checked.

    Raises CallbackIgnored for what is not ours (wrong or missing state), and ServerError
    or ProtocolError for an answer that is ours and ends the login.
    """
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=False, max_num_fields=100)
    except ValueError:
        raise CallbackIgnored(400, "too many parameters") from None
    states = [v for k, v in pairs if k == "state"]
    said = server_said(pairs)
    if not states:
        raise CallbackIgnored(400, "the callback has no state parameter" + said)
    if len(states) > 1:
        raise CallbackIgnored(400, "the callback repeats the state parameter" + said)
    if not secrets.compare_digest(states[0].encode(), check.state.encode()):
        raise CallbackIgnored(400, "the state parameter does not match this login" + said)
    # From here on the sender knows the state: this is the answer to our request.
    params: dict[str, str] = {}
    for key, value in pairs:
        if key in params:
            # RFC 6749 §3.1: parameters must not be included more than once.
            raise ProtocolError(f"the authorization response repeats the parameter {printable(key, 100)!r}" + said)
        params[key] = value
    iss = params.get("iss")
    # RFC 9207 §2.4: a response with an id_token may leave iss out, the id_token's iss being checked
    # instead; only where an id_token is asked for (and so verified), never in the plain code flow.
    id_token_instead = "id_token" in check.response_type.split() and "id_token" in params
    if iss is not None or (check.iss_required and not id_token_instead):
        # RFC 9207 §2.4: compare with the issuer we sent the request to, by simple string comparison.
        if iss is None:
            raise ProtocolError("the authorization response has no iss, which the server's metadata promises "
                                "(RFC 9207): refusing it" + said)
        if check.issuer is not None and iss != check.issuer:
            raise ProtocolError(f"the authorization response comes from issuer {printable(iss, 200)!r}, not "
                                f"{check.issuer!r} (RFC 9207; a mix-up attack?): refusing it" + said)
    if "error" in params:
        raise ServerError(params["error"], params.get("error_description"), params.get("error_uri"),
                          endpoint="authorization server")
    if check.response_type == "logout":
        # RP-Initiated Logout 1.0 §3: the post_logout_redirect_uri gets state and nothing else we need
        return AuthorizationResponse(params)
    types = check.response_type.split()
    if "code" in types and not params.get("code"):
        raise ProtocolError("the authorization response has neither code nor error")
    if "token" in types and not params.get("access_token"):
        raise ProtocolError("the authorization response has neither access_token nor error")
    if "id_token" in types and not params.get("id_token"):
        # OIDC Core §3.3.2.5: a hybrid response with id_token in response_type carries one
        raise ProtocolError("the authorization response has neither id_token nor error")
    return AuthorizationResponse(params)


def check_redirect_url(check: CallbackCheck, url: str, redirect_uri: str) -> AuthorizationResponse:
    """A redirect URL a person pasted: same origin and path as the redirect URI, then as above."""
    url = url.strip()
    parts = urlsplit(url)
    expected = urlsplit(redirect_uri)
    if (parts.scheme.lower(), parts.netloc.lower()) != (expected.scheme.lower(), expected.netloc.lower()):
        raise CallbackIgnored(400, f"that URL does not start with the redirect URI {redirect_uri}")
    check_path(check, parts.path or "/")
    if check.response_type != "code" and parts.fragment:
        return check_response(check, parts.fragment)
    return check_response(check, parts.query)


def fragment_token_response(response: AuthorizationResponse) -> dict[str, Any]:
    """The token fields of an implicit-grant response (RFC 6749 §4.2.2), as a token response object."""
    return {k: v for k, v in response.params.items() if k not in ("state", "iss")}
