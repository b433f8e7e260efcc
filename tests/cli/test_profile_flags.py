"""Profiles take the same flags as ad-hoc use (DESIGN.md): this walks the click tree and fails
when an option of login/authorize, token, call or assertion that a profile could remember has no
profile key, or (for login, token and call) no `profile add` option, so the two cannot drift."""

from __future__ import annotations

import json

import click
import pytest

from oauth2cli.cli import cli
from oauth2cli.flows.profiles import profiles
from oauth2cli.flows import settings as settings_flow
from tests.support.cli import run_cli

# Options that describe one run, not the client: what they are for, so the choice is deliberate.
PER_RUN = {
    "verbose": "tracing", "reveal_secrets": "tracing", "output": "what to print", "save": "with -o json",
    "no_browser": "this terminal", "browser_timeout": "this run's patience", "username": "a person, each time",
    "client_secret_env": "a secret (goes to the secret store)", "client_secret_file": "a secret (secret store)",
    "min_ttl": "this run's need", "password_env": "secret", "password_file": "secret",
    "refresh_token_env": "secret", "refresh_token_file": "secret", "code": "one-time", "code_verifier": "one-time",
    "assertion_file": "one-time", "subject_token": "one-time", "subject_token_env": "secret",
    "subject_token_file": "one-time", "subject_token_type": "goes with the subject token", "actor_token": "one-time",
    "actor_token_env": "secret", "actor_token_file": "one-time", "actor_token_type": "goes with the actor token",
    "requested_token_type": "per exchange", "print_assertion": "what to print",
    # call: a curl-like request
    "profile": "names the profile", "request": "one request", "headers": "one request", "data": "one request",
    "data_binary": "one request", "data_raw": "one request", "data_urlencode": "one request", "json_": "one request",
    "form": "one request", "get": "one request", "include": "output", "head": "one request", "silent": "output",
    "fail": "exit status", "location": "one request", "max_time": "one request", "print_curl": "output",
    "claims": "a table: [profiles.NAME.assertion.claims] in config.toml",
    # login --ciba: whom to ask and what to show them, each time (acr_values: -P/--auth-param remembers it)
    "login_hint": "a person, each time", "binding_message": "one login", "acr_values": "one login (or --auth-param)",
    "save_as": "names a new profile",
    # zero-setup (issue #26): consent and a choice made once, when the profile is made
    "yes": "consent, each run", "make_default": "one set-up",
}
# Option names whose profile key is spelled differently.
KEY_OF = {"no_pkce": "pkce", "method": "login_method"}
# login's --device/--manual/--password (one option, "method") is `profile add --login-method`.
ADD_OPTION_OF = {"method": "login_method"}
# `oauth2 assertion` options: profile set assertion.NAME; `profile add --service-account` & co come with #17.
ASSERTION = {"service_account", "iss", "sub", "aud", "alg", "lifetime"}
COMMANDS = ("login", "authorize", "token", "call", "assertion")


def _command(name: str) -> click.Command:
    ctx = click.Context(cli)
    command = cli.get_command(ctx, name)
    assert command is not None, name
    return command


def _options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and p.name != "help"]


def _profile_add_names() -> set[str]:
    profile = _command("profile")
    add = profile.get_command(click.Context(profile), "add")
    return {p.name for p in _options(add)}


def rememberable() -> list[tuple[str, str]]:
    found = []
    for name in COMMANDS:
        for option in _options(_command(name)):
            if option.name not in PER_RUN and (name, option.name) not in found:
                found.append((name, option.name))
    return found


@pytest.mark.parametrize("command, option", rememberable(), ids=lambda v: str(v))
def test_every_rememberable_option_has_a_profile_key(command, option):
    if option in ASSERTION:
        key = "assertion." + option
        assert option in profiles.ASSERTION_KEYS, f"`oauth2 {command} --{option}`: no assertion.{option} key"
        return
    key = profiles.normalize_key(KEY_OF.get(option, option))
    if key.startswith("endpoints."):
        assert key.split(".", 1)[1] in settings_flow.ENDPOINT_NAMES
    else:
        assert key in settings_flow.PROFILE_KEYS, f"`oauth2 {command} --{option}` has no profile key"
    if command != "assertion":
        assert ADD_OPTION_OF.get(option, option) in _profile_add_names(), f"`oauth2 {command} --{option}` is not taken by `profile add`"


def test_the_walk_found_the_options_the_issue_names():
    names = {option for _, option in rememberable()}
    assert {"redirect_uri", "redirect_port", "pkce", "no_pkce", "par", "response_type", "private_key", "key_id",
            "assertion_audience", "auth_method"} <= names


def test_profile_add_remembers_login_flags():
    result = run_cli("profile", "add", "web", "--token-url", "https://as.example/token", "--authorization-url",
                     "https://as.example/authorize", "--client-id", "web", "--redirect-uri",
                     "http://127.0.0.1:8765/cb", "--no-pkce", "--par", "--response-type", "code", "--dpop",
                     "--url", "https://api.example", "--auth-param", "prompt=consent", "--login-method", "device",
                     "--redirect-port", "8765")
    assert result.code == 0, result
    settings = json.loads(run_cli("profile", "show", "web", "--json").stdout)["settings"]
    values = {k: v["value"] for k, v in settings.items()}
    assert values["redirect_uri"] == "http://127.0.0.1:8765/cb" and values["pkce"] == "none"
    assert values["use_par"] is True and values["dpop"] is True and values["urls"] == ["https://api.example"]
    assert values["auth_params"] == [["prompt", "consent"]] and values["login_method"] == "device"
    assert values["redirect_ports"] == [8765]


@pytest.mark.parametrize("key, value, shown_key, shown", [
    ("redirect-uri", "http://127.0.0.1:9000/cb", "redirect_uri", "http://127.0.0.1:9000/cb"),
    ("par", "true", "use_par", True),
    ("url", "https://a.example https://b.example", "urls", ["https://a.example", "https://b.example"]),
    ("login-method", "device", "login_method", "device"),
    ("assertion.lifetime", "120", "assertion", {"lifetime": 120}),
], ids=lambda v: str(v))
def test_profile_set_takes_flag_spellings(key, value, shown_key, shown):
    assert run_cli("profile", "add", "p", "--token-url", "https://as.example/token", "--client-id", "c").code == 0
    result = run_cli("profile", "set", "p", key, value)
    assert result.code == 0, result
    settings = json.loads(run_cli("profile", "show", "p", "--json").stdout)["settings"]
    assert settings[shown_key]["value"] == shown


def test_pkce_and_no_pkce_exclude_each_other():
    result = run_cli("profile", "add", "p", "--token-url", "https://as.example/token", "--client-id", "c",
                     "--pkce", "S256", "--no-pkce")
    assert result.code == 2 and "exclude each other" in result.stderr, result
