"""Use cases that join the core, the transport and the store. No click here.

The top level holds what every area uses: settings (flags, environment, profile and preset merged
into one run's ClientSettings), profile_keys (the vocabulary of a profile), discovery (a server's
endpoints) and origins (which profile a URL belongs to). The areas, each importing only those
below it: exchange (the token endpoint) < grants < endpoints (userinfo, introspect, revoke) <
authorize (the authorization request's shape) < login < profiles < call; helpers (git, kubectl,
exec) use login and grants. No package here imports its modules: each is imported by its path.
"""
