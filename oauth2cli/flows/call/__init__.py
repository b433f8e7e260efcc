"""oauth2 call: one authenticated HTTP request (call), the request as plain data (request_spec), the
settings it sends with (call_profile), a token for one run without a profile (call_adhoc), and
step-up on a 401 (step_up). No click, no httpx here.
"""
