"""The OAuth protocol, without I/O: build requests as plain data, parse responses.

Nothing in this package imports click, rich, keyring or httpx, or reads the clock:
time is passed in by the caller.
"""
