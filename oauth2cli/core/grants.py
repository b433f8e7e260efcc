"""Grant types and the form parameters of token requests (RFC 6749 §4, and extensions).

REGISTRY is the one list of grant types: what `--grant` accepts, what each sends, whether a
person is behind it, which options it reads, which token source implies it, and the flow that
runs it. Adding a grant is one entry here and its flow (a function in the flows layer, named by
a string so that this module imports none). Forms are ordered pairs, never dicts: `resource`,
`audience` and `-P` parameters repeat.
"""

from __future__ import annotations

from oauth2cli.core.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from oauth2cli.core.http import Pairs

FLOWS = "oauth2cli.flows.grants.grant_flows"


class Grant:
    """One grant type: the name people type, the grant_type it sends, whether a person is behind
    it, the options it reads, the token source option that implies it, and the flow that runs it.

    `flow` is "module:function", resolved only when the grant runs (flows/grants/grant_flows.run): the
    function takes (settings, deps, inputs) and returns a TokenSet, `inputs` being the values of
    the options named in `inputs` ({} for a stored profile's grant).
    """

    __slots__ = ("name", "value", "person", "inputs", "source", "client_optional", "flow", "summary")

    def __init__(self, name: str, value: str, *, person: bool, flow: str, inputs: tuple[str, ...] = (),
                 source: str | None = None, client_optional: bool = False, summary: str = "") -> None:
        self.name = name
        self.value = value
        self.person = person  # False: no user behind it, so a new token is simply asked for again
        self.inputs = inputs  # option dests (= TokenOptions fields) this grant reads
        self.source = source  # a CI token source option that implies this grant when no --grant is given
        self.client_optional = client_optional  # a token request without any client authentication is fine
        self.flow = flow
        self.summary = summary

    def __repr__(self) -> str:
        return f"Grant({self.name!r}, {self.value!r})"


REGISTRY: dict[str, Grant] = {g.name: g for g in (
    Grant("client_credentials", "client_credentials", person=False, flow=f"{FLOWS}:client_credentials",
          summary="RFC 6749 §4.4: the client's own token"),
    Grant("password", "password", person=True, flow=f"{FLOWS}:password",
          inputs=("username", "password_env", "password_file"),
          summary="RFC 6749 §4.3 (deprecated by RFC 9700 §2.4): the user's name and password"),
    Grant("refresh_token", "refresh_token", person=True, flow=f"{FLOWS}:refresh_token",
          inputs=("refresh_token_env", "refresh_token_file"),
          summary="RFC 6749 §6: a refresh token (the profile's, or one given)"),
    Grant("authorization_code", "authorization_code", person=True, flow=f"{FLOWS}:authorization_code",
          inputs=("code", "redirect_uri", "code_verifier"),
          summary="RFC 6749 §4.1.3: a code from an authorization response"),
    Grant("device_code", "urn:ietf:params:oauth:grant-type:device_code", person=True,  # RFC 8628 §3.4
          flow=f"{FLOWS}:device_code", summary="RFC 8628: a user approves on another device"),
    Grant("jwt-bearer", "urn:ietf:params:oauth:grant-type:jwt-bearer", person=False,  # RFC 7523 §2.1
          flow=f"{FLOWS}:jwt_bearer", inputs=("assertion_file",), source="assertion_source",
          client_optional=True,  # RFC 7523 §3.1
          summary="RFC 7523: a signed JWT assertion (a service account, a CI job's token)"),
    Grant("token-exchange", "urn:ietf:params:oauth:grant-type:token-exchange", person=False,  # RFC 8693 §2.1
          flow=f"{FLOWS}:token_exchange", source="subject_token_source",
          inputs=("subject_token", "subject_token_env", "subject_token_file", "actor_token", "actor_token_env",
                  "actor_token_file", "actor_token_type", "requested_token_type"),
          summary="RFC 8693: another token (a CI job's OIDC token) exchanged for one"),
)}


def find(name: str | None) -> Grant | None:
    """The registered grant with this short name or grant_type value, else None (an extension URI)."""
    if not name:
        return None
    grant = REGISTRY.get(name)
    if grant is not None:
        return grant
    for grant in REGISTRY.values():
        if grant.value == name:
            return grant
    return None


def names() -> tuple[str, ...]:
    """The short names, in the registry's order: --grant's choices."""
    return tuple(REGISTRY)


def is_userless(name: str | None) -> bool:
    """No person behind the grant: an expired token is replaced by a new grant, not a refresh."""
    grant = find(name)
    return grant is not None and not grant.person


def userless_names() -> tuple[str, ...]:
    return tuple(g.name for g in REGISTRY.values() if not g.person)


def client_optional(name: str | None) -> bool:
    grant = find(name)
    return grant is not None and grant.client_optional


def implied_by(options) -> str | None:
    """The grant a token source option says it is for (--assertion-source: jwt-bearer, ...)."""
    for grant in REGISTRY.values():
        if grant.source and options.get(grant.source):
            return grant.name
    return None


def source_options() -> tuple[str, ...]:
    """The token source options that imply a grant (--assertion-source, --subject-token-source)."""
    return tuple(g.source for g in REGISTRY.values() if g.source)


def input_fields() -> tuple[str, ...]:
    """Every grant's own options, each once, in the registry's order."""
    fields: dict[str, None] = {}
    for grant in REGISTRY.values():
        fields.update(dict.fromkeys(grant.inputs))
    return tuple(fields)


def choices_text() -> str:
    """--grant's help: the short names, then what else is taken."""
    return ", ".join(REGISTRY) + ", or a full grant_type URN."


# RFC 8693 §3: token type identifiers, by the short names people type.
TOKEN_TYPES = {
    "access_token": "urn:ietf:params:oauth:token-type:access_token",
    "refresh_token": "urn:ietf:params:oauth:token-type:refresh_token",
    "id_token": "urn:ietf:params:oauth:token-type:id_token",
    "saml1": "urn:ietf:params:oauth:token-type:saml1",
    "saml2": "urn:ietf:params:oauth:token-type:saml2",
    "jwt": "urn:ietf:params:oauth:token-type:jwt",  # RFC 7519 §9
}


def grant_type_value(name: str) -> str:
    """The grant_type to send for a short name or a registered URN; KeyError when unknown."""
    grant = find(name)
    if grant is None:
        raise KeyError(name)
    return grant.value


def short_name(name: str) -> str:
    grant = find(name)
    return grant.name if grant is not None else name


def is_service_account(values) -> bool:
    """A profile with no user behind it that proves itself with a signed JWT (`status` says so)."""
    grant = values.get("grant")
    name = short_name(grant) if isinstance(grant, str) else None
    if name == "jwt-bearer":
        return True
    return name == "token-exchange" and bool(
        values.get("subject_token_source"))


def token_type_value(name: str) -> str:
    """An RFC 8693 token type: a short name (access_token, jwt, ...) or a URI as given."""
    return TOKEN_TYPES.get(name, name)


def common_parameters(
    scope: str | None = None,
    audience: str | Sequence[str] | None = None,
    resources: Sequence[str] = (),
    extra: Iterable[tuple[str, str]] = (),
) -> Pairs:
    """Parameters many grants take; `resource` repeats (RFC 8707 §2), `audience` may (RFC 8693 §2.1)."""
    pairs: list[tuple[str, str]] = []
    if scope:
        pairs.append(("scope", scope))
    audiences = [audience] if isinstance(audience, str) else list(audience or ())
    pairs.extend(("audience", a) for a in audiences if a)
    pairs.extend(("resource", r) for r in resources)
    pairs.extend((str(k), str(v)) for k, v in extra)
    return tuple(pairs)


def client_credentials_form(**common) -> Pairs:
    # RFC 6749 §4.4.2
    return (("grant_type", "client_credentials"),) + common_parameters(**common)


def password_form(username: str, password: str, **common) -> Pairs:
    # RFC 6749 §4.3.2 (deprecated by RFC 9700 §2.4, still met in the field)
    if not username:
        raise ConfigError("the password grant needs --username")
    return (("grant_type", "password"), ("username", username), ("password", password)) + common_parameters(**common)


def refresh_token_form(refresh_token: str, scope: str | None = None, extra: Iterable[tuple[str, str]] = (),
                       resources: Sequence[str] = ()) -> Pairs:
    # RFC 6749 §6; RFC 8707 §2.2 allows resource on a refresh too
    pairs: list[tuple[str, str]] = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)]
    if scope:
        pairs.append(("scope", scope))
    pairs.extend(("resource", r) for r in resources)
    pairs.extend(extra)
    return tuple(pairs)


def authorization_code_form(code: str, redirect_uri: str | None, code_verifier: str | None = None,
                            resources: Sequence[str] = (), extra: Iterable[tuple[str, str]] = ()) -> Pairs:
    # RFC 6749 §4.1.3; RFC 7636 §4.5 adds code_verifier
    pairs: list[tuple[str, str]] = [("grant_type", "authorization_code"), ("code", code)]
    if redirect_uri:
        pairs.append(("redirect_uri", redirect_uri))
    if code_verifier:
        pairs.append(("code_verifier", code_verifier))
    pairs.extend(("resource", r) for r in resources)
    pairs.extend(extra)
    return tuple(pairs)


def jwt_bearer_form(assertion: str, **common) -> Pairs:
    # RFC 7523 §2.1
    return (("grant_type", REGISTRY["jwt-bearer"].value), ("assertion", assertion)) + common_parameters(**common)


def token_exchange_form(
    subject_token: str,
    subject_token_type: str,
    *,
    actor_token: str | None = None,
    actor_token_type: str | None = None,
    requested_token_type: str | None = None,
    **common,
) -> Pairs:
    """RFC 8693 §2.1: subject_token and its type are required; an actor_token needs its type."""
    if not subject_token:
        raise ConfigError("token exchange needs a subject token: --subject-token, --subject-token-env or --subject-token-file")
    if not subject_token_type:
        raise ConfigError("token exchange needs --subject-token-type (access_token, refresh_token, id_token, jwt, ... or a URI)")
    pairs: list[tuple[str, str]] = [
        ("grant_type", REGISTRY["token-exchange"].value),
        ("subject_token", subject_token),
        ("subject_token_type", token_type_value(subject_token_type)),
    ]
    if actor_token:
        if not actor_token_type:
            # RFC 8693 §2.1: actor_token_type is REQUIRED when actor_token is present.
            raise ConfigError("--actor-token needs --actor-token-type")
        pairs += [("actor_token", actor_token), ("actor_token_type", token_type_value(actor_token_type))]
    elif actor_token_type:
        raise ConfigError("--actor-token-type was given without an actor token")
    if requested_token_type:
        pairs.append(("requested_token_type", token_type_value(requested_token_type)))
    return tuple(pairs) + common_parameters(**common)


def grant_of_form(form: Pairs) -> str | None:
    for key, value in form:
        if key == "grant_type":
            return value
    return None
