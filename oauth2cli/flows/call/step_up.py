"""Step-up in `oauth2 call` (RFC 9470): a 401 with error="insufficient_user_authentication" is shown;
with --step-up (or the profile's step_up) on a terminal the person logs in again with the
challenge's acr_values / max_age and the request is sent once more; otherwise exit 7, naming the
command that would log in as asked."""

from __future__ import annotations

from dataclasses import replace

from oauth2cli.core.errors import LoginRequired
from oauth2cli.core.step_up import StepUp, login_command, parse_challenge

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from oauth2cli.deps import Deps
    from oauth2cli.flows.call.call import Call


def _terminal(deps: Deps) -> bool:
    return all(getattr(stream, "isatty", lambda: False)() for stream in (deps.stdin, deps.stderr))


def after_response(call: Call, response, send_again: Callable[[], object], *, asked: bool):
    """`response`, or the answer to the one retry after a step-up login."""
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


def login_again(call: Call, step_up: StepUp) -> None:
    from oauth2cli.flows.login.login import LoginChoices, login

    settings, deps = call.full_settings(), call.deps
    # The challenge's values replace any the profile sends; everything else stays as configured.
    kept = tuple((k, v) for k, v in settings.auth_params if k not in ("acr_values", "max_age"))
    stepped = replace(settings, auth_params=kept + step_up.auth_params())
    result = login(stepped, deps, LoginChoices())
    with deps.store.lock(settings.profile):
        deps.store.save_tokens(settings.profile, result.tokens)
    call._say(f"oauth2: signed in again for profile {settings.profile!r}; sending the request once more")
