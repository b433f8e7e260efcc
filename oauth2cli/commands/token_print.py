"""A token as `oauth2 token -o token|json|header|env` prints it (refresh, assertion and login's
-o json print the same)."""

from __future__ import annotations

from oauth2cli.commands import output


def token_text(tokens, output_format: str) -> str:
    """What `oauth2 token -o token|header|env` prints."""
    if output_format == "token":
        return tokens.access_token + "\n"
    if output_format == "header":
        return f"Authorization: {tokens.token_type} {tokens.access_token}\n"
    import shlex

    lines = [f"export OAUTH2_ACCESS_TOKEN={shlex.quote(tokens.access_token)}",
             f"export OAUTH2_TOKEN_TYPE={shlex.quote(tokens.token_type)}"]
    if tokens.expires_at is not None:
        lines.append(f"export OAUTH2_EXPIRES_AT={int(tokens.expires_at)}")
    return "".join(line + "\n" for line in lines)


def print_token(deps, tokens, output_format: str, now: float) -> None:
    if output_format == "json":
        print_json(deps, tokens.to_dict(), tokens.expires_at, now)
        return
    if output_format == "header" and tokens.token_type == "DPoP":  # RFC 9449 §7.1: every request needs its own proof
        from oauth2cli.flows.exchange.dpop import bare_header_refused

        raise bare_header_refused()
    output.data(deps, token_text(tokens, output_format).rstrip("\n"))


def print_json(deps, data: dict, expires_at: float | None, now: float) -> None:
    """-o json: the token set as stored (TokenSet.to_dict's form), with the seconds it has left."""
    if expires_at is not None:
        data["expires_in"] = max(int(expires_at - now), 0)
    output.json_data(deps, data)
