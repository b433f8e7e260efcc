"""oauth2cli: OAuth 2.0 and OpenID Connect from the command line."""

__version__ = "0.1.0"
