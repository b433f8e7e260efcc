"""flows/profiles/assertion_profiles.prepare: which `profile add` option combinations make sense, in one line each."""

from __future__ import annotations

import pytest

from oauth2cli.core.errors import ConfigError
from oauth2cli.core.grants import is_service_account
from oauth2cli.flows.profiles.assertion_profiles import prepare


@pytest.fixture
def pem(tmp_path):
    from joserfc.jwk import ECKey

    path = tmp_path / "k.pem"
    path.write_bytes(ECKey.generate_key("P-256").as_pem(private=True))
    return str(path)


def test_a_key_profile(pem):
    made = prepare({"grant": "jwt-bearer", "private_key": pem, "iss": "app", "sub": "ann", "aud": ("a", "b")})
    assert made.values == {"grant": "jwt-bearer", "assertion": {"iss": "app", "sub": "ann", "aud": ["a", "b"]}}
    assert made.private_key.startswith("-----BEGIN") and made.drop == ("private_key",)
    assert "BEGIN" not in repr(made)  # the key never shows in a repr (logs, tracebacks)


def test_a_key_that_also_signs_client_assertions_keeps_its_path(pem):
    made = prepare({"grant": "jwt-bearer", "private_key": pem, "client_id": "c", "auth_method": "private_key_jwt"})
    assert made.drop == ()


@pytest.mark.parametrize("options, words", [
    ({"grant": "jwt-bearer"}, "needs a key to sign with"),
    ({"grant": "jwt-bearer", "private_key": "PEM"}, "needs an issuer"),
    ({"iss": "x"}, "only apply to a jwt-bearer profile"),
    ({"grant": "jwt-bearer", "assertion_source": "github-actions", "sub": "x"}, "sent as it is"),
    ({"grant": "client_credentials", "service_account": "sa.json"}, "makes a jwt-bearer profile"),
], ids=["no-key", "no-iss", "iss-alone", "sub-with-source", "sa-with-other-grant"])
def test_combinations_that_make_no_sense(pem, options, words):
    if options.get("private_key") == "PEM":
        options = {**options, "private_key": pem}
    with pytest.raises(ConfigError) as err:
        prepare(options)
    assert words in err.value.message


def test_plain_profiles_are_untouched():
    assert prepare({"grant": "client_credentials", "client_id": "c"}).values == {}


@pytest.mark.parametrize("values, expected", [
    ({"grant": "jwt-bearer"}, True),
    ({"grant": "token-exchange", "subject_token_source": "kubernetes"}, True),
    ({"grant": "token-exchange"}, False),
    ({"grant": "client_credentials"}, False),
    ({}, False),
], ids=["jwt-bearer", "exchange-with-source", "exchange-without", "client-credentials", "user"])
def test_is_service_account(values, expected):
    assert is_service_account(values) is expected
