"""Step-up in `oauth2 call` (RFC 9470): a 401 with error="insufficient_user_authentication" is shown;
with --step-up (or the profile's step_up) on a terminal the person logs in again with the
challenge's acr_values / max_age and the request is sent once more; otherwise exit 7, naming the
command that would log in as asked. A 403 insufficient_scope with a `scope` (RFC 6750 §3.1) is a
step-up too: at a terminal one login for the union of scopes, kept in the profile, and the request
once more; elsewhere exit 7 with the command."""

from __future__ import annotations

from dataclasses import replace

from oauth2cli.core.errors import LoginRequired
from oauth2cli.core.step_up import StepUp, insufficient_scope, login_command, parse_challenge, union

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from oauth2cli.deps import Deps
    from oauth2cli.flows.call.call import Call


def _terminal(deps: Deps) -> bool:
    return all(getattr(stream, "isatty", lambda: False)() for stream in (deps.stdin, deps.stderr))


def after_response(call: Call, response, send_again: Callable[[], object], *, asked: bool):
    """`response`, or the answer to the one retry after a step-up login."""
    needed = insufficient_scope(response.status_code, response.headers.get_list("www-authenticate"))
    if needed is not None and call.settings.profile:
        return more_scope(call, response, send_again, needed)
    step_up = parse_challenge(response.status_code, response.headers.get_list("www-authenticate"))
    if step_up is None:
        return response
    settings, deps = call.settings, call.deps
    said = f": {step_up.description}" if step_up.description else ""
    call._say(f"oauth2: the resource asks for a stronger sign-in (RFC 9470){said}; it wants {step_up.wanted()}")
    command = login_command(settings.profile, step_up)
    if not (asked or settings.step_up) or not _terminal(deps) or not settings.profile:
        response.close()
        why = "" if (asked or settings.step_up) else " (or run the call again with --step-up)"
        raise LoginRequired("the resource refused the token: insufficient_user_authentication",
                            hint=f"log in as it asks with `{command}`{why}")
    response.close()
    login_again(call, step_up)
    return send_again()


def more_scope(call: Call, response, send_again: Callable[[], object], needed: str):
    """403 insufficient_scope: one login for the scopes held and the scopes needed, then the request again."""
    import shlex

    settings, deps = call.full_settings(), call.deps
    wanted = union(settings.scope, needed)
    call._say(f"oauth2: the resource needs scope {needed!r} (403 insufficient_scope, RFC 6750 §3.1)")
    response.close()
    person = bool(getattr(deps.stdin, "isatty", lambda: False)()) and deps.environ.get("CI", "").lower() in ("", "0", "false")
    if wanted == (settings.scope or "") or not person:
        why = "the profile asks for it already" if wanted == (settings.scope or "") else "this run has no terminal"
        raise LoginRequired(f"the resource refused the token: insufficient_scope ({why})",
                            hint=f"log in with `oauth2 login {shlex.quote(settings.profile)} --scope {shlex.quote(wanted)}`")
    _login(call, replace(settings, scope=wanted))
    deps.store.save_profile(settings.profile, {"scope": wanted})  # later logins ask for it too
    return send_again()


def _login(call: Call, settings) -> None:
    from oauth2cli.flows.login.login import LoginChoices, login

    deps = call.deps
    result = login(settings, deps, LoginChoices())
    with deps.store.lock(settings.profile):
        deps.store.save_tokens(settings.profile, result.tokens)
    call._say(f"oauth2: signed in again for profile {settings.profile!r}; sending the request once more")


def login_again(call: Call, step_up: StepUp) -> None:
    settings = call.full_settings()
    # The challenge's values replace any the profile sends; everything else stays as configured.
    kept = tuple((k, v) for k, v in settings.auth_params if k not in ("acr_values", "max_age"))
    _login(call, replace(settings, auth_params=kept + step_up.auth_params()))
