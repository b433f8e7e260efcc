"""Compliance fixes: small, named rewrites for servers that bend the protocol.

A fix maps hook names to functions. Request hooks take and return an HttpRequest,
response hooks an HttpResponse; both are pure. Fixes are switched on by name
(`--compliance-fix NAME[:ARG]`, a profile's `compliance_fixes`); third-party fixes come
from the entry-point group `oauth2cli.compliance_fixes` (see flows/exchange/plugins.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.http import HttpRequest, HttpResponse

# The seed's hook names, plus access_token_request (the twin of refresh_token_request).
REQUEST_HOOKS = ("access_token_request", "refresh_token_request", "revoke_token_request",
                 "introspect_token_request", "protected_request")
RESPONSE_HOOKS = ("access_token_response", "refresh_token_response")
HOOKS = REQUEST_HOOKS + RESPONSE_HOOKS
TOKEN_RESPONSE_HOOKS = RESPONSE_HOOKS


@dataclass(frozen=True)
class ComplianceFix:
    name: str
    hooks: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.hooks) - set(HOOKS)
        if unknown:
            raise ConfigError(f"compliance fix {self.name!r} uses unknown hooks: {', '.join(sorted(unknown))}",
                              hint="hooks are " + ", ".join(HOOKS))


def apply_request(fixes: Iterable[ComplianceFix], hook: str, request: HttpRequest) -> HttpRequest:
    for fix in fixes:
        fn = fix.hooks.get(hook)
        if fn is not None:
            request = _checked(fix, hook, fn(request), HttpRequest)
    return request


def apply_response(fixes: Iterable[ComplianceFix], hook: str, response: HttpResponse) -> HttpResponse:
    for fix in fixes:
        fn = fix.hooks.get(hook)
        if fn is not None:
            response = _checked(fix, hook, fn(response), HttpResponse)
    return response


def _checked(fix: ComplianceFix, hook: str, value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise ConfigError(f"compliance fix {fix.name!r} returned {type(value).__name__} from {hook}, not {kind.__name__}")
    return value


# -- helpers for fixes -------------------------------------------------------

def json_object(response: HttpResponse) -> dict[str, Any] | None:
    """The body as a JSON object, or None (a fix leaves what it cannot read alone)."""
    if response.truncated:
        return None
    try:
        data = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def with_json(response: HttpResponse, data: dict[str, Any], *, status: int | None = None) -> HttpResponse:
    headers = tuple((k, v) for k, v in response.headers if k.lower() not in ("content-type", "content-length"))
    return replace(response, headers=headers + (("Content-Type", "application/json"),),
                   body=json.dumps(data).encode("utf-8"), status=response.status if status is None else status)


def _edit_json(edit: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Callable[[HttpResponse], HttpResponse]:
    def hook(response: HttpResponse) -> HttpResponse:
        data = json_object(response)
        if data is None:
            return response
        changed = edit(dict(data))
        return response if changed is None else with_json(response, changed)

    return hook


def add_query(url: str, pairs: Iterable[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    query = urlencode(list(pairs))
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


def _token_fix(name: str, fn: Callable[[HttpResponse], HttpResponse], description: str) -> ComplianceFix:
    return ComplianceFix(name, {hook: fn for hook in TOKEN_RESPONSE_HOOKS}, description)


# -- built-in fixes ----------------------------------------------------------

def _form_token_response(response: HttpResponse) -> HttpResponse:
    # GitHub without Accept: application/json answers access_token=...&token_type=bearer (even errors, with 200).
    if response.content_type == "application/json" or response.truncated:
        return response
    try:
        text = response.body.decode("utf-8").strip()
    except UnicodeDecodeError:
        return response
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return response
    data = dict(pairs)
    if "access_token" not in data and "error" not in data:
        return response
    return with_json(response, data)


def _expires(data: dict[str, Any]) -> dict[str, Any] | None:
    # Facebook's old answers (and the seed's Stack Overflow example) say `expires` for expires_in.
    if "expires" in data and "expires_in" not in data:
        data["expires_in"] = data.pop("expires")
        return data
    return None


def _missing_token_type(data: dict[str, Any]) -> dict[str, Any] | None:
    if data.get("access_token") and not data.get("token_type"):
        data["token_type"] = "Bearer"
        return data
    return None


def _token_type_bearer(data: dict[str, Any]) -> dict[str, Any] | None:
    # Slack's oauth.v2.access says "token_type": "bot" (or "user") for tokens it takes as Bearer.
    token_type = data.get("token_type")
    if data.get("access_token") and isinstance(token_type, str) and token_type.lower() not in ("bearer", "dpop", "n_a"):
        data["token_type"] = "Bearer"
        return data
    return None


def _error_in_200(response: HttpResponse) -> HttpResponse:
    # Errors in non-standard shapes, usually with HTTP 200: {"error": {"message", "type", "code"}} (Facebook
    # Graph), or error_message / message where RFC 6749 §5.2 says error_description.
    data = json_object(response)
    if data is None or not data.get("error"):
        return response
    error = data["error"]
    fixed: dict[str, Any] = {}
    if isinstance(error, dict):
        fixed["error"] = str(error.get("error") or error.get("type") or error.get("code") or "error")
        description = error.get("error_description") or error.get("message") or error.get("error_message")
    else:
        fixed["error"] = str(error)
        description = data.get("error_description") or data.get("error_message") or data.get("message")
    if description:
        fixed["error_description"] = str(description)
    uri = data.get("error_uri") or (error.get("error_uri") if isinstance(error, dict) else None)
    if uri:
        fixed["error_uri"] = str(uri)
    # RFC 6749 §5.2: an error answer is a 400 (401 for client authentication).
    return with_json(response, fixed, status=response.status if response.status >= 400 else 400)


def _query_param(arg: str | None) -> ComplianceFix:
    key, sep, value = (arg or "").partition("=")
    if not sep or not key:
        raise ConfigError("compliance fix query_param needs KEY=VALUE, e.g. --compliance-fix query_param:site=stackoverflow")

    def hook(request: HttpRequest) -> HttpRequest:
        return replace(request, url=add_query(request.url, [(key, value)]))

    return ComplianceFix(f"query_param:{arg}", {name: hook for name in REQUEST_HOOKS},
                         "an extra query parameter on every request")


def _no_arg(name: str, fix: ComplianceFix) -> Callable[[str | None], ComplianceFix]:
    def make(arg: str | None) -> ComplianceFix:
        if arg:
            raise ConfigError(f"compliance fix {name} takes no argument (got {arg!r})")
        return fix

    return make


BUILTIN: dict[str, Callable[[str | None], ComplianceFix]] = {
    "form_token_response": _no_arg("form_token_response", _token_fix(
        "form_token_response", _form_token_response, "a form-encoded token answer (GitHub)")),
    "expires": _no_arg("expires", _token_fix("expires", _edit_json(_expires), "`expires` instead of `expires_in`")),
    "missing_token_type": _no_arg("missing_token_type", _token_fix(
        "missing_token_type", _edit_json(_missing_token_type), "no token_type: assume Bearer")),
    "error_in_200": _no_arg("error_in_200", _token_fix(
        "error_in_200", _error_in_200, "an error in a non-standard shape, often with HTTP 200")),
    "token_type_bearer": _no_arg("token_type_bearer", _token_fix(
        "token_type_bearer", _edit_json(_token_type_bearer), "a token_type like Slack's \"bot\": send it as Bearer")),
    "query_param": _query_param,
}

# The order fixes run in, whatever order they were given in: first make the answer JSON, then
# give an error its standard shape, then fill in fields. Plug-ins run after the built-ins, in
# the order given.
FIX_ORDER = ("form_token_response", "error_in_200", "expires", "missing_token_type", "token_type_bearer",
             "query_param")
# The built-in fixes that a failed token answer is tried with, to name the one that would cure it.
CURES = ("form_token_response", "error_in_200", "expires", "missing_token_type", "token_type_bearer")


def ordered(fixes: Iterable[ComplianceFix]) -> tuple[ComplianceFix, ...]:
    """Built-ins in FIX_ORDER, then the others as given (the sort is stable)."""
    def rank(fix: ComplianceFix) -> int:
        name = split_spec(fix.name)[0]
        return FIX_ORDER.index(name) if name in FIX_ORDER else len(FIX_ORDER)

    return tuple(sorted(fixes, key=rank))


def cure_for(raw: HttpResponse, fixes: Iterable[ComplianceFix], hook: str,
             parse: Callable[[HttpResponse], Any]) -> str | None:
    """The first built-in fix, not already given, under which `parse` reads the raw answer
    (or reads a proper error from it); None when none would."""
    from oauth2cli.core.errors import OAuth2CliError, ServerError

    fixes = tuple(fixes)
    given = {split_spec(f.name)[0] for f in fixes}
    for name in CURES:
        if name in given:
            continue
        trial = ordered([*fixes, BUILTIN[name](None)])
        try:
            parse(apply_response(trial, hook, raw))
        except ServerError:
            return name
        except OAuth2CliError:
            continue
        return name
    return None


def split_spec(spec: str) -> tuple[str, str | None]:
    """`name` or `name:argument`."""
    name, sep, arg = spec.partition(":")
    return name.strip(), (arg if sep else None)


def builtin_fix(spec: str) -> ComplianceFix | None:
    name, arg = split_spec(spec)
    make = BUILTIN.get(name)
    return None if make is None else make(arg)


def coerce_fix(name: str, value: Any, arg: str | None = None) -> ComplianceFix:
    """A plug-in's entry point as a ComplianceFix: a fix, a {hook: fn} mapping, or a factory of either."""
    if isinstance(value, ComplianceFix):
        return value
    if isinstance(value, Mapping):
        return ComplianceFix(name, dict(value))
    if callable(value):
        return coerce_fix(name, value(arg), None)
    raise ConfigError(f"compliance fix plug-in {name!r} is not a fix, a hook mapping or a factory")
