"""`oauth2 call`'s options, and the request they make curl's way: headers, -d and its variants,
--json, -F, -G and the method curl would choose. No click, no dataclasses: a wrong combination
is core.errors.UsageError, shown in click's words by either parser."""

from __future__ import annotations

from oauth2cli.core.errors import UsageError

# Field names are the options' dests (click's parameter names); the defaults are "not given".
DEFAULTS = {
    "args": (), "profile": None, "request": None, "headers": (),
    "data": (),  # (flag, value) in command-line order: -d, --data-binary, --data-raw, --data-urlencode
    "json": (), "form": (), "get": False, "include": False, "head": False, "output": None, "silent": False,
    "fail": False, "location": False, "max_time": None, "cacert": None, "insecure": False, "allow_http": False,
    "verbose": False, "print_curl": False,
    "step_up": False,  # RFC 9470: log in again when the resource asks, then retry once
    "yes": False, "make_default": False,  # zero-setup: trust another origin's server; make the profile the default
    "ad_hoc": None,  # no profile: --client-id, --grant, ... (AD_HOC_NAMES); {} when none
}


# The options of a call without a profile (a CI job's one request): CallOptions.ad_hoc.
AD_HOC_NAMES = (
    "issuer", "token_url", "client_id", "client_secret_env", "client_secret_file", "auth_method", "private_key",
    "key_id", "grant", "scope", "audience", "resource", "params", "assertion_source", "subject_token_source",
    "subject_token_type", "save_as",
)
# The data options by dest, and the flag build_spec reads each as
DATA_FLAGS = {"data": "-d", "data_binary": "--data-binary", "data_raw": "--data-raw", "data_urlencode": "--data-urlencode"}


def from_options(opts) -> CallOptions:
    """CallOptions from the option table's options object (either parser's): the data options
    joined in command-line order (`order`), the ad-hoc ones gathered."""
    values = dict(vars(opts))
    order = values.pop("order", ())
    for dest in DATA_FLAGS:
        values.pop(dest, None)
    ad_hoc = {name: values.pop(name) for name in AD_HOC_NAMES if name in values}
    return CallOptions(**values, data=tuple((DATA_FLAGS[dest], word) for dest, word in order), ad_hoc=ad_hoc)


class CallOptions:
    """The options of one `oauth2 call`, by dest; any not given has its DEFAULTS value."""

    __slots__ = tuple(DEFAULTS)

    def __init__(self, **values) -> None:
        if "json_" in values:  # click's parameter name for --json (`json` would shadow the module there)
            values["json"] = values.pop("json_")
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown call options: {', '.join(sorted(unknown))}")
        for name, default in DEFAULTS.items():
            setattr(self, name, values.get(name, default))
        if self.ad_hoc is None:
            self.ad_hoc = {}
        self.args = tuple(self.args)

    def __repr__(self) -> str:
        return "CallOptions(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in DEFAULTS) + ")"


def check(opts: CallOptions) -> None:
    """The combinations curl's options cannot make (UsageError), found before anything is read or sent."""
    if sum(bool(x) for x in (opts.data, opts.json, opts.form)) > 1:
        raise UsageError("choose one of -d/--data (and its variants), --json and -F/--form")
    if opts.head and (opts.data or opts.json or opts.form):
        raise UsageError("-I/--head sends no body; drop -d/--json/-F")


def build_spec(opts: CallOptions, method_arg: str | None, url: str, stdin):
    """The request curl would send for these options (files and stdin read here)."""
    from oauth2cli.flows.call import request_spec as flow

    check(opts)
    spec = flow.RequestSpec(method="GET", url=url)
    for value in opts.headers:
        flow.header_line(value, spec)
    body: bytes | None = None
    if opts.data:
        pieces = []
        for flag, value in opts.data:
            if flag == "--data-urlencode":
                pieces.append(flow.urlencoded(value, stdin).encode("utf-8"))
            elif flag == "--data-raw":
                pieces.append(value.encode("utf-8"))
            else:
                pieces.append(flow.data_bytes(value, stdin, binary=flag == "--data-binary"))
        body = b"&".join(pieces)  # curl joins several -d with '&'
        if not opts.get and spec.header("content-type") is None and "content-type" not in spec.removed:
            spec.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if opts.json:
        # curl 7.82+ --json: the data as is, several concatenated, JSON content type and accept.
        body = b"".join(flow.data_bytes(v, stdin, binary=True) for v in opts.json)
        if spec.header("content-type") is None:
            spec.headers.append(("Content-Type", "application/json"))
        if spec.header("accept") is None:
            spec.headers.append(("Accept", "application/json"))
    for value in opts.form:
        flow.form_part(value, stdin, spec)
    if opts.get and body is not None:
        # -G: the data becomes the query string.
        text = body.decode("utf-8", "replace")
        spec.url = url + ("&" if "?" in url else "?") + text
        body = None
    spec.content = body
    explicit = opts.request or method_arg
    if explicit:
        spec.method = explicit
    elif opts.head:
        spec.method = "HEAD"
    elif opts.get:
        spec.method = "GET"
    elif body is not None or spec.parts:
        spec.method = "POST"  # data without a method means POST, as in curl
    return spec
