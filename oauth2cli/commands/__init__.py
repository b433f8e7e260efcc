"""Each command's use case, as a plain function: an options object and Deps in, an exit code out.

This package imports no click (tests/cli/test_startup.py guards it): the click declarations in
oauth2cli/cli/ and the lean command-line parser both build the same options object from the one
option table and call the same function here, so a command behaves the same however it was read.
"""
