"""`oauth2 profile presets [NAME]`: the provider presets, and one preset's parameters and settings."""

from __future__ import annotations

from oauth2cli.commands import output


def preset_text(name: str) -> str:
    from oauth2cli.providers import load

    preset = load(name)
    lines = [f"{preset.name}: {preset.description}"]
    if preset.docs:
        lines.append(f"docs: {preset.docs}")
    if preset.requires:
        lines.append("needs: " + ", ".join(f"--{r.replace('_', '-')}" for r in preset.requires))
    if preset.parameters:
        lines.append("parameters (--preset-param NAME=VALUE; `profile set PROFILE NAME VALUE` later):")
        width = max(len(p) for p in preset.parameters)
        for param, spec in preset.parameters.items():
            default = spec.get("default")
            lines.append(f"  {param:<{width}}  {spec.get('help', '')}" + (f" (default: {default})" if default else ""))
    else:
        lines.append("parameters: none")
    lines.append("settings (a flag or `profile set` overrides each):")
    for key, value in preset.settings.items():
        if isinstance(value, dict):
            for sub, item in value.items():
                lines.append(f"  {key}.{sub} = {item!r}")
        else:
            lines.append(f"  {key} = {value!r}")
    for topic, hint in preset.hints.items():
        lines.append(f"note ({topic.replace('_', ' ')}): {hint}")
    return "\n".join(lines)


def run(opts, deps) -> int:
    from oauth2cli.providers import load, names

    if opts.name:
        output.data(deps, preset_text(opts.name))
        return 0
    rows = [(n, load(n).description) for n in names()]
    width = max(len(n) for n, _ in rows)
    output.data(deps, "\n".join(f"{n:<{width}}  {d}" for n, d in rows))
    return 0
