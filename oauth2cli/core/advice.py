"""What to do next: the one table of the lines a person may see when something fails, what each
means and what to do, and the rules that choose a hint from what was sent and what came back.

The code gives each hint from here (`hint(key, ...)`), and scripts/gen-docs writes the README's
"Troubleshooting" section from TABLE, so the two cannot drift. No I/O here.
"""

from __future__ import annotations

from typing import NamedTuple


class Advice(NamedTuple):
    seen: str  # the line (or the part of it) a person sees
    means: str  # what it means
    hint: str  # what to do: the text the line ends with ({profile} and the like filled in)


OPENID_NEEDS_ISSUER = "an OpenID Connect login (scope openid) needs the issuer, to check the id_token"

TABLE: dict[str, Advice] = {
    "no-secret-sent": Advice(
        "error: the token endpoint refused: invalid_client …; no client secret was sent",
        "the request carried only the client_id (no secret, no assertion, no certificate), and this client "
        "must authenticate",
        "no client secret was sent: set OAUTH2_CLIENT_SECRET, or give --client-secret-env VAR or "
        "--client-secret-file PATH{stored}"),
    "secret-refused": Advice(
        "error: the token endpoint refused: invalid_client …; the server refused the client's credentials",
        "a secret (or assertion) was sent and the server did not accept it: a wrong or old secret, or the "
        "wrong --auth-method",
        "the server refused the client's credentials: {fix}, and check --auth-method"),
    "refresh-token-unusable": Advice(
        "error: the server refused the refresh token of profile 'P' …; log in again with `oauth2 login P`",
        "the refresh token expired or was revoked (invalid_grant, or a refresh answered with an error that "
        "names the refresh token); exit 7",
        "log in again with `oauth2 login {profile}`"),
    "refresh-failed-token-kept": Advice(
        "warning: could not get a new token (…); using the stored one, still valid for N s",
        "the server could not be reached within the refresh leeway, but the token has not expired: it is "
        "printed (exit 0) as long as it is valid for at least --min-ttl",
        "using the stored one, still valid for {left} s"),
    "no-scope": Advice(
        "error: the authorization server refused: access_denied …; no scope was asked for",
        "the login asked for no scope, and many servers grant nothing then",
        "no scope was asked for: give --scope (for example --scope openid){advertised}"),
    "request-object": Advice(
        "error: the authorization server refused: invalid_request: Request Object must be used …",
        "this client is registered to send its authorization request as a signed request object (RFC 9101)",
        "this client must send a signed request object: add --request-object (with --private-key, or the "
        "client secret for HS256)"),
    "no-refresh-token": Advice(
        "note: profile 'P' has no refresh token (the server sent none …); `oauth2 refresh` will need a new "
        "login: …",
        "the login worked, but the token cannot be renewed without a person; many servers (oidc-provider, "
        "Auth0, …) issue a refresh token for offline_access only when consent was asked for",
        "offline_access was asked for, and many servers issue a refresh token for it only after consent: log in "
        "with `oauth2 login {profile} -P prompt=consent` (to keep it: `oauth2 profile set {profile} auth_params "
        "prompt=consent`)"),
    "no-refresh-token-asked": Advice(
        "note: profile 'P' has no refresh token …; `oauth2 refresh` will need a new login: ask for one with "
        "offline_access …",
        "the scope did not ask for a refresh token, and this server gives none unasked",
        "ask for one with offline_access in the scope, or see how the server issues them"),
    "browser-never-returned": Advice(
        "error: no answer from the browser within N s; look at the browser window …",
        "the login page never redirected back: the server may show an error page (a refused scope, a "
        "redirect URI it does not know, or offline_access without consent)",
        "look at the browser window; if the server shows an error, a refused scope, an unknown redirect "
        "URI or offline_access without -P prompt=consent are the usual causes"),
    "device-chosen": Advice(
        "no browser can reach you here (…): signing in with the device flow",
        "without $BROWSER, $DISPLAY or $WAYLAND_DISPLAY no browser can be opened, and the server has a "
        "device endpoint; the wait ends when the code expires (Ctrl-C to stop)",
        "no browser can reach you here (no $BROWSER, $DISPLAY or $WAYLAND_DISPLAY): signing in with the "
        "device flow, which waits until the code below expires (--no-browser prints a URL to open elsewhere "
        "instead)"),
    "openid-needs-issuer": Advice(
        f"error: {OPENID_NEEDS_ISSUER}; give --issuer too …",
        "an OpenID Connect login returns an id_token whose iss must match an issuer; explicit endpoints "
        "alone do not name one",
        "give --issuer too (the endpoints are found from it), or leave openid out of --scope"),
    "not-a-jwt": Advice(
        "error: the token is not a JWT …",
        "`decode` reads JWTs only; an opaque token (random letters) has nothing to decode; exit 1",
        "an opaque token has no claims to show: ask the server with `oauth2 introspect` instead"),
}


# What the README's table shows where a hint names the case at hand.
EXAMPLES = {"profile": "P", "left": "N", "stored": " (or `oauth2 profile secret P`)",
            "fix": "store the right secret with `oauth2 profile secret P` (or check OAUTH2_CLIENT_SECRET, "
                   "--client-secret-env, --client-secret-file)",
            "advertised": "; the server advertises: openid profile …"}


def hint(key: str, **values: str) -> str:
    return TABLE[key].hint.format(**values)


def sent_credential(form: tuple[tuple[str, str], ...] | None, headers, url: str, cert: bool) -> bool:
    """Whether a request carried a client credential: Basic, a secret or assertion in the body or query,
    or a TLS client certificate (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705)."""
    if cert or any(k.lower() == "authorization" for k, _ in headers):
        return True
    names = {k for k, _ in form or ()}
    return bool(names & {"client_secret", "client_assertion"}) or "client_secret=" in url.partition("?")[2]


def token_refusal(error: str, *, sent: bool, profile: str | None) -> str | None:
    """The hint for an error from the token endpoint, decided from what was sent."""
    if error != "invalid_client":
        return None
    if not sent:
        return hint("no-secret-sent", stored=f" (or `oauth2 profile secret {profile}`)" if profile else "")
    fix = (f"store the right secret with `oauth2 profile secret {profile}`" if profile
           else "check the secret in OAUTH2_CLIENT_SECRET, --client-secret-env or --client-secret-file")
    return hint("secret-refused", fix=fix)


def refresh_token_unusable(error: str, description: str | None) -> bool:
    """A refresh refused because the refresh token itself is no longer usable: invalid_grant (RFC 6749
    §5.2), or another error whose description names the refresh token, the one thing a refresh sends
    that the client did not choose (Keycloak-like "Refresh token inactive", "refresh token expired")."""
    if error == "invalid_grant":
        return True
    text = (description or "").lower().replace("_", " ")
    return error == "invalid_request" and "refresh token" in text


def authorization_refusal(error: str, description: str | None, *, scope: str | None, request_object: bool,
                          scopes_supported=None, requires_request_object: bool = False) -> str | None:
    """The hint for an error from the authorization endpoint (or PAR), decided from what was sent."""
    text = (description or "").lower()
    if not request_object and (requires_request_object or (
            error in ("invalid_request", "invalid_request_object", "request_not_supported")
            and "request object" in text)):
        return hint("request-object")
    if not scope and (error in ("access_denied", "invalid_scope") or (error == "invalid_request" and "scope" in text)):
        advertised = ""
        if isinstance(scopes_supported, list) and scopes_supported:
            from oauth2cli.core.errors import printable

            shown = printable(" ".join(str(s) for s in scopes_supported[:12]), 300)  # the server's words
            advertised = f"; the server advertises: {shown}"
        return hint("no-scope", advertised=advertised)
    return None
