"""`oauth2 authorize` (alias `login`): log a person in and save the tokens in the profile."""

from __future__ import annotations

from oauth2cli.commands import output
from oauth2cli.commands.common import common as common_options

# login's own options that a profile takes as settings (flows/settings.py reads them by these names)
LOGIN_SETTINGS = ("redirect_uri", "redirect_port", "pkce", "par", "response_type", "response_mode", "request_object")


def run(opts, deps) -> int:
    from oauth2cli.cmdline.options import Options
    from oauth2cli.core.errors import UsageError

    if opts.pkce and opts.no_pkce:
        raise UsageError("--pkce and --no-pkce exclude each other")
    ciba = None
    if opts.method == "ciba":
        if not opts.login_hint:
            raise UsageError("--ciba needs --login-hint HINT: the user the server should reach")
        ciba = {"login_hint": opts.login_hint, "binding_message": opts.binding_message, "acr_values": opts.acr_values}
    elif opts.login_hint or opts.binding_message or opts.acr_values:
        raise UsageError("--login-hint, --binding-message and --acr-values go with --ciba "
                         "(for a browser login use -P login_hint=...)")
    common = common_options(opts)
    for name in LOGIN_SETTINGS:
        value = "none" if name == "pkce" and opts.no_pkce else getattr(opts, name)
        if value is not None and value != ():
            common[name] = value
    _login(Options(profile=opts.profile, method=opts.method or "auto", open_browser=not opts.no_browser,
                   browser_timeout=opts.browser_timeout, output=opts.output, save=opts.save, username=opts.username,
                   common=common, ciba=ciba, fapi2=opts.fapi2, yes=opts.yes, make_default=opts.make_default), deps)
    return 0


def _login(opts, deps) -> None:
    from oauth2cli.core.errors import ConfigError
    from oauth2cli.flows.login import login as login_flow
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
        from oauth2cli.flows.authorize import fapi2

        settings = fapi2.apply(settings, common)
    printed = opts.output or (None if opts.profile else "json")
    save = bool(opts.profile) and (printed is None or opts.save)
    if opts.save and not opts.profile:
        raise ConfigError("--save needs a PROFILE to save the tokens in")

    if opts.method == "auto" and settings.login_method:
        opts.method = settings.login_method  # the profile's (or preset's) usual way to sign in
    choices = login_flow.LoginChoices(method=opts.method, open_browser=opts.open_browser,
                                      browser_timeout=opts.browser_timeout, username=opts.username)
    from oauth2cli.flows.exchange import commit

    previous = None
    if save:
        previous = deps.store.load_tokens(opts.profile)
    note = None
    # The store proves it can take the answer before the browser opens; the code exchange's
    # answer is saved under the profile's lock as soon as it is parsed (flows.exchange.commit).
    with commit.prepared(deps, opts.profile if save else None, previous=previous, kind="login") as saving:
        if opts.ciba is not None:
            from oauth2cli.flows.login.ciba import CibaChoices, ciba_login

            result = ciba_login(settings, deps, CibaChoices(**opts.ciba))
        else:
            result = login_flow.login(settings, deps, choices)
        if saving is not None:
            import dataclasses

            from oauth2cli.flows.login.login_keep import tokens_to_save

            with deps.store.lock(opts.profile):  # not between another run's refresh and its save
                # No refresh token in the answer: keep the stored one when it is the same account.
                tokens, note = tokens_to_save(settings, deps, opts.profile, result.tokens, result.claims)
                saving.final(tokens)
            result = dataclasses.replace(result, tokens=tokens)
    if printed == "json":
        from oauth2cli.commands.token_print import print_token

        print_token(deps, result.tokens, "json", deps.clock())
    if note:
        output.say(deps, note)
    output.say(deps, login_flow.summary(result, opts.profile, deps.clock(), saved=save))


def _resource_login(opts, deps) -> bool:
    """`login --resource URL` without a profile or a server (issue #20): the resource names its server (RFC 9728)."""
    resources = [r for r in opts.common.get("resource") or () if r.lower().startswith(("https://", "http://"))]
    servers = ("issuer", "authorization_url", "token_url")
    if len(resources) != 1 or any(opts.common.get(k) for k in servers) or opts.method != "auto" or opts.output:
        return False
    from oauth2cli.commands.zero_setup import run_for
    from oauth2cli.flows.login.login_common import LoginChoices
    from oauth2cli.flows.profiles import resource_login

    url = resources[0]
    options = {k: v for k, v in opts.common.items() if k != "resource"}
    choices = LoginChoices(open_browser=opts.open_browser, browser_timeout=opts.browser_timeout)
    known = resource_login.profile_of(deps, url)
    if known is not None:
        resource_login.log_in(known, deps, choices)
    else:
        resource_login.set_up(url, deps, run_for(deps, options, need_terminal=False, yes=opts.yes,
                                                 make_default=opts.make_default, always_login=True, login=choices))
    return True
