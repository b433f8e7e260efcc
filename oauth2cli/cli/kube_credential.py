"""`oauth2 kube-credential PROFILE`: kubectl's exec credential plugin."""

from __future__ import annotations

import click

from oauth2cli.cli import render
from oauth2cli.cli.helper_options import helper_choices, login_wait_options
from oauth2cli.cli.params import PROFILE


def run_kube_credential(profile: str, kind: str | None, choices, deps) -> None:
    from oauth2cli.core.kube import parse_exec_info
    from oauth2cli.flows.kube import credential

    info = parse_exec_info(deps.environ.get("KUBERNETES_EXEC_INFO"))  # a bad apiVersion is said first
    deps.stdout.write(credential(deps, profile, kind, info, choices))
    deps.stdout.flush()


@click.command("kube-credential", short_help="kubectl's exec credential plugin: an ExecCredential with the profile's token.")
@click.argument("profile", type=PROFILE)
@click.option("--id-token", "kind", flag_value="id_token", help="Send the id_token (the default when the scope has openid).")
@click.option("--access-token", "kind", flag_value="access_token", help="Send the access token (the default otherwise).")
@login_wait_options
def kube_credential(profile: str, kind: str | None, method: str | None, browser_timeout: float) -> None:
    """Print an ExecCredential (JSON) for kubectl: status.token and
    status.expirationTimestamp, with the apiVersion KUBERNETES_EXEC_INFO names
    (client.authentication.k8s.io/v1 or v1beta1; v1 when run by hand).

    The token is the profile's id_token when its scope has openid (what Kubernetes'
    OIDC authenticator checks), else its access token; either is refreshed when it is
    about to expire. A login it needs uses the browser (or --device) as `oauth2 login`
    does, once for all the kubectl processes waiting for it. stdout is kubectl's;
    every message goes to stderr. In the kubeconfig:

    \b
      users:
      - name: work
        user:
          exec:
            apiVersion: client.authentication.k8s.io/v1
            command: oauth2
            args: [kube-credential, work]
            interactiveMode: IfAvailable

    \b
    Examples:
      $ oauth2 kube-credential work
      $ oauth2 kube-credential work --access-token
    """
    run_kube_credential(profile, kind, helper_choices(method, browser_timeout), render.deps_of())
