"""Keycloak, Ory Hydra and Dex as real peers: fetched or built by name, cached outside the
repository (tests/peers/cache.py), started once per session by the fixtures in conftest.py."""
