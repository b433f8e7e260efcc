"""`oauth2 authorize` (alias `login`): log a person in and save the tokens in the profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from oauth2cli.cli import render
from oauth2cli.cli.options import pop_common
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
        from oauth2cli.cli.token import print_token

        print_token(result.tokens, "json", deps.clock())
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


def authorize(profile: str | None, method: str | None, username: str | None, login_hint: str | None,
              binding_message: str | None, acr_values: str | None, no_browser: bool,
              browser_timeout: float, redirect_uri: str | None, redirect_port: tuple[int, ...], pkce: str | None,
              no_pkce: bool, par: bool | None, response_type: str | None, response_mode: str | None,
              request_object: bool | None, fapi2: bool, output: str | None, save: bool, **kwargs: Any) -> None:
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
