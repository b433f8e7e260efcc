"""`oauth2 kube-credential PROFILE`: kubectl's exec credential plugin."""

from __future__ import annotations

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices
from oauth2cli.cli.params import PROFILE


def run_kube_credential(profile: str, kind: str | None, choices, deps) -> None:
    from oauth2cli.core.kube import parse_exec_info
    from oauth2cli.flows.kube import credential

    info = parse_exec_info(deps.environ.get("KUBERNETES_EXEC_INFO"))  # a bad apiVersion is said first
    deps.stdout.write(credential(deps, profile, kind, info, choices))
    deps.stdout.flush()


def kube_credential(profile: str, kind: str | None, method: str | None, browser_timeout: float) -> None:
    run_kube_credential(profile, kind, helper_choices(method, browser_timeout), render.deps_of())
