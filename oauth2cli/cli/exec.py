"""`oauth2 exec [-p PROFILE] -- CMD [ARGS...]`: run CMD with a valid access token in its environment."""

from __future__ import annotations

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices
from oauth2cli.cli.options import pop_token_sources
from oauth2cli.cli.params import PROFILE


def run_exec(profile: str | None, env_name: str, command: tuple[str, ...], choices, deps,
             sources: dict | None = None) -> None:
    from oauth2cli.flows import exec_command

    environ = exec_command.token_environment(deps, profile, env_name, choices, sources)  # fails before CMD runs
    deps.close()
    raise SystemExit(exec_command.run(list(command), environ))


def exec_(profile: str | None, env_name: str, method: str | None, browser_timeout: float,
          command: tuple[str, ...], **kwargs) -> None:
    run_exec(profile, env_name, command, helper_choices(method, browser_timeout), render.deps_of(),
             pop_token_sources(kwargs))
