"""`oauth2 assertion`: get a token with a signed JWT assertion (RFC 7523), e.g. a service account."""

from __future__ import annotations

import click


@click.command(short_help="Get a token with a signed JWT assertion (RFC 7523), e.g. a service account.")
def assertion() -> None:
    """Sign a JWT bearer assertion with a private key (Google's service-account JSON
    understood as is) and exchange it at the token endpoint.

    \b
    Examples:
      $ oauth2 assertion --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
    """
    from oauth2cli.core.errors import NotImplementedYet

    raise NotImplementedYet("oauth2 assertion (issue #7)")
