"""The token endpoint and the checks of what a server sends: exchange() that every grant goes through
(token), the commit point of a token answer (commit), DPoP keys and proofs (dpop),
client-authentication plug-ins (plugins), the one retry (retry), a server's JWK Set (jwks) and the
id_token checks (oidc). Imports only flows/ top level (settings, discovery).
"""
