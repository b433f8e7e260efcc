"""A grant type that exists only in tests: one registry entry (core/grants.REGISTRY) and its flow,
which is all a new grant takes. A probe process calls register() before anything else runs."""

from __future__ import annotations

import os

NAME = "telepathy"
URN = "urn:example:params:oauth:grant-type:telepathy"


def register() -> None:
    """The entry; MADE_UP_GRANT_PERSON=1 says a person is behind it (else it is userless)."""
    from oauth2cli.core import grants

    grants.REGISTRY[NAME] = grants.Grant(
        NAME, URN, person=os.environ.get("MADE_UP_GRANT_PERSON") == "1", flow=f"{__name__}:telepathy",
        summary="a made-up grant: the client thinks of a token")


def telepathy(settings, deps, inputs):
    """Its flow: its grant_type, one parameter of its own, and the common request parameters."""
    from oauth2cli.core import grants
    from oauth2cli.flows.exchange import token as token_flow

    form = (("grant_type", URN), ("thought", "hello"))
    form += grants.common_parameters(settings.scope, settings.audience, settings.resources, settings.params)
    return token_flow.exchange(settings, deps, form)


PROBE_PREFIX = "import sys; sys.path.insert(0, %r)\nfrom tests.ci.made_up_grant import register\nregister()\n"
