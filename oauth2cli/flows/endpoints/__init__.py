"""The server's endpoints beyond the token endpoint that take a token: UserInfo (userinfo),
introspection (introspect) and revocation (revoke). Built on flows/exchange and flows/grants.
"""
