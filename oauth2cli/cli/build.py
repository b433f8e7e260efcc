"""The click command tree, made from the option table (oauth2cli/cmdline): one declaration of each
option, read by click here and by the lean parser (cmdline/parse.py) alike."""

from __future__ import annotations

import click

from oauth2cli.cmdline import spec


def click_type(t: spec.Type):
    from oauth2cli.cli import params

    kind = t.kind
    if kind == "Choice":
        return click.Choice(t.args["choices"], case_sensitive=t.args["case_sensitive"])
    if kind in ("FloatRange", "IntRange"):
        return getattr(click, kind)(**t.args)
    if kind == "Path":
        return click.Path(**t.args)
    if kind in ("UNPROCESSED", "INT", "FLOAT"):
        return getattr(click, kind)
    return {"GRANT": params.GRANT, "KEY_VALUE": params.KEY_VALUE, "AUTH_METHOD": params.AUTH_METHOD,
            "PROFILE": params.PROFILE, "PRESET": params.PRESET}[kind]


def _words(words: tuple[str, ...]):
    return lambda ctx, param, incomplete: [w for w in words if w.startswith(incomplete)]


def click_param(p: spec.Param) -> click.Parameter:
    kw = dict(p.kw)
    if "type" in kw:
        kw["type"] = click_type(kw["type"])
    if "callback" in kw:
        kw["callback"] = spec.load(kw["callback"])
    if "effect" in kw:
        from oauth2cli.cli import options

        kw["callback"] = {"add_verbose": options._add_verbose, "reveal": options._reveal}[kw.pop("effect")]
    if "complete" in kw:
        kw["shell_complete"] = _words(kw.pop("complete"))
    return (click.Option if p.is_option else click.Argument)(list(p.decls), **kw)


def _version_option(command: spec.Command) -> click.Option:
    from oauth2cli import __version__

    decls, message = command.version
    holder = click.version_option(__version__, *decls, prog_name="oauth2", message=message)(lambda: None)
    return holder.__click_params__[0]


def _callback(command: spec.Command, path: tuple[str, ...]):
    if command.run:
        def run_use_case(**values):
            from oauth2cli.cli.render import deps_of
            from oauth2cli.cmdline.options import Options

            from oauth2cli.core.errors import UsageError

            ctx = click.get_current_context()
            try:
                code = spec.use_case(command.run)(Options(values), deps_of(ctx))
            except UsageError as exc:
                raise click.UsageError(exc.message, ctx) from None
            if code:
                ctx.exit(code)

        return run_use_case
    if command.callback is None:
        return None
    function = spec.load(command.callback)
    return click.pass_context(function) if command.pass_context else function


class OrderedCommand(click.Command):
    """A command whose use case reads the order of some repeatable options (spec.Command.ordered):
    click's parser knows it; the (dest, word) pairs become the `order` parameter, as the lean
    parser gives it."""

    def __init__(self, *args, ordered: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ordered = ordered

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []  # click says what is wrong when it parses for real, below
        ctx.meta["oauth2cli.order"] = [p.name for p in order]
        rest = super().parse_args(ctx, args)
        ctx.params["order"] = in_order(ctx, self.ordered, ctx.params)
        return rest


def in_order(ctx: click.Context, names: tuple[str, ...], values: dict) -> tuple[tuple[str, str], ...]:
    """(dest, word) of each value of the options `names`, in command-line order."""
    queues = {name: list(values.get(name) or ()) for name in names}
    return tuple((name, queues[name].pop(0)) for name in ctx.meta.get("oauth2cli.order", ())
                 if name in queues and queues[name])


def click_command(command: spec.Command, short_help: str | None = None, path: tuple[str, ...] = ()) -> click.Command:
    params = [click_param(p) for p in command.params]
    if command.version:
        params.insert(0, _version_option(command))
    attrs = dict(name=command.name, params=params, callback=_callback(command, path), help=command.help,
                 short_help=short_help, epilog=command.epilog, context_settings=dict(command.context_settings))
    if command.ordered:
        attrs["ordered"] = command.ordered
    if command.cls or command.ordered:
        cls = spec.load(command.cls) if command.cls else OrderedCommand
        if command.commands is not None:
            attrs.update(commands=command.commands, aliases=command.aliases, path=path)
        return cls(**attrs)
    if command.commands is not None:
        group = click.Group(**attrs)
        for name, (ref, short) in command.commands.items():
            group.add_command(click_command(spec.load(ref), short, path + (name,)))
        return group
    return click.Command(**attrs)
