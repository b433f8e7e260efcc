"""`oauth2 kube-credential PROFILE`: kubectl's exec credential plugin."""

from __future__ import annotations

from oauth2cli.commands.helper_input import helper_choices


def run(opts, deps) -> int:
    from oauth2cli.core.kube import parse_exec_info
    from oauth2cli.flows.helpers.kube import credential

    info = parse_exec_info(deps.environ.get("KUBERNETES_EXEC_INFO"))  # a bad apiVersion is said first
    deps.stdout.write(credential(deps, opts.profile, opts.kind, info, helper_choices(opts)))
    deps.stdout.flush()
    return 0
