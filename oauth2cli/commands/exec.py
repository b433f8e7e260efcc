"""`oauth2 exec [-p PROFILE] -- CMD [ARGS...]`: run CMD with a valid access token in its environment."""

from __future__ import annotations

from oauth2cli.commands.common import token_sources
from oauth2cli.commands.helper_input import helper_choices


def run(opts, deps) -> int:
    from oauth2cli.flows.helpers import exec_command

    environ = exec_command.token_environment(deps, opts.profile, opts.env_name, helper_choices(opts),
                                             token_sources(opts))  # fails before CMD runs
    deps.close()
    raise SystemExit(exec_command.run(list(opts.command), environ))
