"""`oauth2 authorize` (alias `login`): log a person in and save the tokens in the profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import all_client_options, pop_common
from oauth2cli.cli.params import PROFILE


@dataclass
class AuthorizeOptions:
    profile: str | None
    method: str  # auto, browser, device, manual, password
    open_browser: bool
    browser_timeout: float
    output: str | None
    save: bool
    username: str | None
    common: dict[str, Any] = field(default_factory=dict)
    ciba: dict[str, Any] | None = None  # --ciba: login_hint, binding_message, acr_values (issue #20)
    fapi2: bool = False


def run_authorize(opts: AuthorizeOptions, deps) -> None:
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows import login as login_flow
    from oauth2cli.flows import settings as settings_flow

    if opts.profile is None and _resource_login(opts, deps):
        return
    opts.profile = settings_flow.profile_or_default(opts.profile, opts.common, deps)
    if opts.profile and deps.store.has_profile(opts.profile):
        deps.store.repair(opts.profile)  # a damaged entry is moved aside: a new login is its repair
    common = dict(opts.common)
    if opts.method != "password":
        # -P goes to the authorization (or device authorization) request: login_hint, prompt, acr_values...
        common["auth_param"] = common.pop("params", ())
    settings = settings_flow.resolve(common, deps, opts.profile)
    if opts.fapi2 or settings.fapi2:
        from oauth2cli.flows import fapi2

        settings = fapi2.apply(settings, common)
    output = opts.output or (None if opts.profile else "json")
    save = bool(opts.profile) and (output is None or opts.save)
    if opts.save and not opts.profile:
        raise ConfigError("--save needs a PROFILE to save the tokens in")

    if opts.method == "auto" and settings.login_method:
        opts.method = settings.login_method  # the profile's (or preset's) usual way to sign in
    choices = login_flow.LoginChoices(method=opts.method, open_browser=opts.open_browser,
                                      browser_timeout=opts.browser_timeout, username=opts.username)
    from oauth2cli.flows import commit

    previous = None
    if save:
        previous = deps.store.load_tokens(opts.profile)
    note = None
    # The store proves it can take the answer before the browser opens; the code exchange's
    # answer is saved under the profile's lock as soon as it is parsed (flows.commit).
    with commit.prepared(deps, opts.profile if save else None, previous=previous, kind="login") as saving:
        if opts.ciba is not None:
            from oauth2cli.flows.ciba import CibaChoices, ciba_login

            result = ciba_login(settings, deps, CibaChoices(**opts.ciba))
        else:
            result = login_flow.login(settings, deps, choices)
        if saving is not None:
            import dataclasses

            from oauth2cli.flows.login_keep import tokens_to_save

            with deps.store.lock(opts.profile):  # not between another run's refresh and its save
                # No refresh token in the answer: keep the stored one when it is the same account.
                tokens, note = tokens_to_save(settings, deps, opts.profile, result.tokens, result.claims)
                saving.final(tokens)
            result = dataclasses.replace(result, tokens=tokens)
    if output == "json":
        from oauth2cli.commands.token import print_token

        print_token(result.tokens, "json", deps)
    if note:
        render.say(note)
    render.say(login_flow.summary(result, opts.profile, deps.clock(), saved=save))


def _resource_login(opts: AuthorizeOptions, deps) -> bool:
    """`login --resource URL` without a profile or a server (issue #20): the resource names its server (RFC 9728)."""
    resources = [r for r in opts.common.get("resource") or () if r.lower().startswith(("https://", "http://"))]
    servers = ("issuer", "authorization_url", "token_url")
    if len(resources) != 1 or any(opts.common.get(k) for k in servers) or opts.method != "auto" or opts.output:
        return False
    from oauth2cli.flows import resource_login

    url = resources[0]
    options = {k: v for k, v in opts.common.items() if k != "resource"}
    known = resource_login.profile_of(deps, url)
    if known is not None:
        resource_login.log_in(known, deps)
    else:
        resource_login.set_up(url, deps, options, need_terminal=False, always_login=True)
    return True


@click.command(short_help="Log in through the browser: authorization code with PKCE via a loopback redirect.")
@click.argument("profile", required=False, type=PROFILE)
@click.option("--device", "method", flag_value="device", help="Use the device flow (RFC 8628): a code to enter on any device.")
@click.option("--manual", "method", flag_value="manual",
              help="Do not listen: print the URL and read the address the browser ends at from stdin.")
@click.option("--password", "method", flag_value="password",
              help="Resource owner password grant (deprecated, RFC 9700): username and password at the prompt.")
@click.option("--username", metavar="NAME", help="The username for --password.")
# -- CIBA poll mode (issue #20)
@click.option("--ciba", "method", flag_value="ciba",
              help="Client-Initiated Backchannel Authentication: the user approves on their own device (poll mode).")
@click.option("--login-hint", metavar="HINT", help="With --ciba: who to ask (login_hint: a user name, e-mail, ...).")
@click.option("--binding-message", metavar="TEXT", help="With --ciba: a short text shown here and on the user's device.")
@click.option("--acr-values", metavar="VALUES", help="With --ciba: the authentication context classes asked for.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; print the URL only.")
@click.option("--browser-timeout", type=click.FloatRange(min=1), default=300, show_default=True, metavar="SECONDS",
              help="Give up waiting for the browser after this long (exit 7).")
@click.option("--redirect-uri", metavar="URL",
              help="Fixed loopback redirect URI, e.g. http://127.0.0.1:8765/callback (default: 127.0.0.1, any free port).")
@click.option("--redirect-port", type=click.IntRange(1, 65535), multiple=True, metavar="PORT",
              help="Port to listen on, in order of preference (repeatable), for servers that want an exact match.")
@click.option("--pkce", type=click.Choice(["S256", "plain"]), help="PKCE method (RFC 7636); S256 unless told.")
@click.option("--no-pkce", is_flag=True, help="Send no PKCE, for servers that break on it.")
@click.option("--par/--no-par", default=None, help="Push the authorization request first (RFC 9126).")
@click.option("--response-type", type=click.Choice(["code", "token", "code id_token", "code token", "code id_token token"]),
              help="code (default); a hybrid flow (OIDC Core §3.3: the front-channel id_token is verified, c_hash "
                   "included); or token for the deprecated implicit grant.")
@click.option("--response-mode", type=click.Choice(["query", "fragment", "form_post", "jwt", "query.jwt",
                                                    "fragment.jwt", "form_post.jwt"]), metavar="MODE",
              help="How the answer comes back: query, fragment, form_post (one POST to the listener), or JARM "
                   "(jwt, query.jwt, fragment.jwt, form_post.jwt: a signed response JWT, verified against the "
                   "issuer's keys).")
@click.option("--request-object/--no-request-object", default=None,
              help="Send the request as a signed JWT (RFC 9101), with --private-key or HS256 with the client secret; "
                   "inside the pushed request with --par.")
@click.option("--fapi2", is_flag=True,
              help="FAPI 2.0: PAR, PKCE S256, a signed request object, DPoP and the iss check, all at once; "
                   "weaker choices (--no-par, --no-pkce, other response types, secret-based client auth) are refused.")
@click.option("-o", "--output", type=click.Choice(["json"]),
              help="Print the token response on stdout instead of saving it (add --save to do both).")
@click.option("--save", is_flag=True, help="With --output json: save the tokens in the profile as well.")
@all_client_options
def authorize(profile: str | None, method: str | None, username: str | None, login_hint: str | None,
              binding_message: str | None, acr_values: str | None, no_browser: bool,
              browser_timeout: float, redirect_uri: str | None, redirect_port: tuple[int, ...], pkce: str | None,
              no_pkce: bool, par: bool | None, response_type: str | None, response_mode: str | None,
              request_object: bool | None, fapi2: bool, output: str | None, save: bool, **kwargs: Any) -> None:
    """Log in as a person and save the tokens in the profile PROFILE.

    Opens the browser at the authorization endpoint, catches the redirect on a
    loopback listener (state and PKCE checked), exchanges the code and saves the
    token set. Without a display (or over SSH) it uses the device flow when the
    server has one. The URL is always printed on stderr too. `login` is an alias.

    \b
    Examples:
      $ oauth2 login github
      $ oauth2 login work -P login_hint=me@example.com -P prompt=consent
      $ oauth2 login work --redirect-uri http://127.0.0.1:8765/callback
      $ oauth2 authorize work --device
      $ oauth2 login --issuer https://id.example.com --client-id cli --scope openid -o json
      $ oauth2 login --resource https://api.example.com/mcp
      $ oauth2 login work --ciba --login-hint alice --binding-message "Order 42"
    """
    if pkce and no_pkce:
        raise click.UsageError("--pkce and --no-pkce exclude each other")
    ciba = None
    if method == "ciba":
        if not login_hint:
            raise click.UsageError("--ciba needs --login-hint HINT: the user the server should reach")
        ciba = {"login_hint": login_hint, "binding_message": binding_message, "acr_values": acr_values}
    elif login_hint or binding_message or acr_values:
        raise click.UsageError("--login-hint, --binding-message and --acr-values go with --ciba "
                               "(for a browser login use -P login_hint=...)")
    common = pop_common(kwargs)
    for name, value in (("redirect_uri", redirect_uri), ("redirect_port", redirect_port),
                        ("pkce", "none" if no_pkce else pkce), ("par", par), ("response_type", response_type),
                        ("response_mode", response_mode), ("request_object", request_object)):
        if value is not None and value != ():
            common[name] = value
    opts = AuthorizeOptions(profile=profile, method=method or "auto", open_browser=not no_browser,
                            browser_timeout=browser_timeout, output=output, save=save, username=username,
                            common=common, ciba=ciba, fapi2=fapi2)
    run_authorize(opts, render.deps_of())
