"""Each grant's flow and a profile's tokens over time: the registry's dispatch (grant_flows), the JWT
bearer grant (assertion), a CI job's OIDC token (token_sources), the device grant (device), a secret
read for one run (secret_input), and the stored token, refresh or fresh grant (session). Built on
flows/exchange.
"""
