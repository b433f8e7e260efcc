"""The flow of each grant in the registry (core/grants.REGISTRY), run from a command's inputs.

`run(name, settings, deps, inputs)` is the one dispatch: `oauth2 token --grant X`, a profile's
own grant when its token expires (flows/grants/session), and an ad-hoc `call` all come here. Each flow
takes (settings, deps, inputs) — `inputs` being the values of the grant's own options, {} for a
stored profile — and returns a TokenSet. A grant the registry does not know is an extension
grant (RFC 6749 §4.5), sent by its URI with the request parameters and -P.
"""

from __future__ import annotations

from oauth2cli.core import grants
from oauth2cli.core.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from oauth2cli.core.settings import ClientSettings
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.deps import Deps


def run(name: str, settings: ClientSettings, deps: Deps, inputs: Mapping[str, Any] | None = None) -> TokenSet:
    grant = grants.find(name)
    if grant is None:
        return extension(settings, deps, name)
    module, _, function = grant.flow.partition(":")
    flow = getattr(__import__(module, fromlist=(function,)), function)
    return flow(settings, deps, inputs or {})


def client_credentials(settings, deps, inputs):
    from oauth2cli.flows.exchange import token as token_flow

    return token_flow.client_credentials(settings, deps)


def password(settings, deps, inputs):
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.grants.secret_input import read_secret

    username = inputs.get("username")
    if not username:
        raise ConfigError("the password grant needs --username")
    secret = read_secret(deps, "password", env=inputs.get("password_env"), path=inputs.get("password_file"),
                         prompt=f"Password for {username}")
    return token_flow.password_grant(settings, deps, username, secret)


def refresh_token(settings, deps, inputs):
    """A refresh token given on the command line (stdin by default). A profile's own stored one is
    flows/grants/session.refresh's, which saves the answer under the profile's lock (commands/token)."""
    from oauth2cli.core.tokens import TokenSet
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.grants.secret_input import read_secret

    token = read_secret(deps, "refresh token", env=inputs.get("refresh_token_env"),
                        path=inputs.get("refresh_token_file"), stdin_default=True)
    return token_flow.refresh(settings, deps, TokenSet(access_token="", refresh_token=token))


def given_refresh_token(inputs: Mapping[str, Any]) -> bool:
    """A refresh token from the command line rather than the profile's store."""
    return bool(inputs.get("refresh_token_env") or inputs.get("refresh_token_file"))


def authorization_code(settings, deps, inputs):
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.grants.secret_input import read_secret

    code = read_secret(deps, "authorization code", value=inputs.get("code"), stdin_default=False)
    if not code:
        raise ConfigError("the authorization_code grant needs --code (or `--code -` to read it from stdin)",
                          hint="`oauth2 login` runs the whole browser flow")
    return token_flow.authorization_code(settings, deps, code, inputs.get("redirect_uri") or settings.redirect_uri,
                                         inputs.get("code_verifier"))


def device_code(settings, deps, inputs):
    from oauth2cli.flows.grants.device import device_authorization_grant

    return device_authorization_grant(settings, deps)


def jwt_bearer(settings, deps, inputs):
    """An assertion from --assertion-file, else the token source's, else one signed now (a profile's
    key, --private-key, a service account)."""
    from oauth2cli.flows.grants import assertion as assertion_flow

    path = inputs.get("assertion_file")
    if not path:
        if settings.assertion_source or settings.profile or settings.private_key or settings.assertion:
            return assertion_flow.fetch_with_assertion(settings, deps)
        raise ConfigError("the jwt-bearer grant needs --assertion-source SOURCE or --assertion-file PATH "
                          "(or - for stdin)", hint="`oauth2 assertion` signs one for you")
    from oauth2cli.flows.grants.secret_input import read_secret

    assertion = read_secret(deps, "assertion", value="-" if path == "-" else None,
                            path=None if path == "-" else path)
    # RFC 7523 §3.1: without --client-id no client authentication is sent.
    return assertion_flow.exchange_assertion(settings, deps, assertion, scope=settings.scope)


def token_exchange(settings, deps, inputs):
    """RFC 8693 §2.1: the subject token given, else the token source's (type jwt unless told otherwise)."""
    from oauth2cli.flows.exchange import token as token_flow
    from oauth2cli.flows.grants.secret_input import read_secret

    get = inputs.get
    if get("subject_token") == "-" and get("actor_token") == "-":
        raise ConfigError("only one of --subject-token and --actor-token can read stdin")
    subject = read_secret(deps, "subject token", value=get("subject_token"), env=get("subject_token_env"),
                          path=get("subject_token_file"))
    actor = read_secret(deps, "actor token", value=get("actor_token"), env=get("actor_token_env"),
                        path=get("actor_token_file"))
    from_source = subject is None and bool(settings.subject_token_source)
    if from_source:
        from oauth2cli.flows.grants import token_sources

        # RFC 8693 §3: an access or refresh token may be opaque; a jwt or id_token is a JWT
        opaque = (settings.subject_token_type or "jwt").rsplit(":", 1)[-1] in ("access_token", "refresh_token")
        subject = token_sources.read(settings.subject_token_source, settings, deps, "--subject-token-source",
                                     jwt=not opaque)
    if subject is None:
        raise ConfigError("token exchange needs a subject token: --subject-token-source SOURCE, "
                          "--subject-token - (stdin), --subject-token-env VAR or --subject-token-file PATH")
    from oauth2cli.core.token_source import JWT_TOKEN_TYPE

    subject_type = settings.subject_token_type or (JWT_TOKEN_TYPE if from_source else "")
    return token_flow.token_exchange(settings, deps, subject, subject_type, actor_token=actor,
                                     actor_token_type=get("actor_token_type"),
                                     requested_token_type=get("requested_token_type"))


def extension(settings, deps, grant_type: str):
    """RFC 6749 §4.5: a grant by its absolute URI; the request parameters and -P carry the rest."""
    from oauth2cli.flows.exchange import token as token_flow

    form = (("grant_type", grant_type),)
    form += grants.common_parameters(settings.scope, settings.audience, settings.resources, settings.params)
    return token_flow.exchange(settings, deps, form)
