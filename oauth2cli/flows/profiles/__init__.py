"""Making and changing profiles: by hand or with discovery (profiles), for the JWT bearer grant and CI
token sources (assertion_profiles), by dynamic client registration (registration), and with zero
set-up from a protected resource (resource, resource_login).
"""
