"""The command line of `oauth2`, as data: one option table, and what reads it without click.

    spec.py     the table's shape: Command, Opt, Arg and the value types (plain classes, no click)
    tree.py     the root group, its options, and where each command's entry lives (with its short help)
    shared.py   the option groups several commands share, declared once
    login.py, grants.py, server.py, call.py, helpers.py, profile.py   each area's commands
    parse.py    the lean parser: argv read as click reads it, or None when it cannot decide exactly
    values.py   click's value types without click (and the project's own: grant, KEY=VALUE, ...)
    usage.py    a usage error worded as click words it
    running.py  around a use case: the run's Deps from the root options, the one error guard

cli/build.py makes the click tree (help, man pages, completions, usage errors) from the same table;
both call a command's use case in commands/ with the same options object.
"""
