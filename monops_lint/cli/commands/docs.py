"""``monops rules``, ``monops explain`` and ``monops schema``: the documentation commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from monops_lint.cli.completion import complete_kinds, complete_rules
from monops_lint.errors import MonopsError

RULES_JSON_VERSION = 1
"""The version of `monops rules --json` (README: "JSON output and its version")."""


@click.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def rules_command(as_json: bool) -> None:
    """List every rule with its default severity."""
    from monops_lint.rules import all_rules

    rules = all_rules()
    if as_json:
        import json

        click.echo(json.dumps({"version": RULES_JSON_VERSION, "rules": [
            {"id": r.id, "severity": str(r.severity), "phase": r.phase, "summary": r.summary,
             "options": _jsonable(r.options)} for r in rules.values()]}, indent=2))
        return
    width = max(len(r) for r in rules)
    for rule in rules.values():
        scope = {"diff": " (diff)", "customers": " (diff --customers, rollout)"}.get(
            rule.phase, "")
        click.echo(f"{rule.id:<{width}}  {rule.severity!s:<7}  {rule.summary}{scope}")
    click.echo(f"\n{len(rules)} rules. `monops explain RULE` shows what one checks and how to "
               "fix it; set severities in monops.yaml under `rules:`.")


def _yaml_scalar(value: Any) -> str:
    """An option's default as it is written in monops.yaml (``false``, not ``False``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _jsonable(options: Any) -> dict[str, Any]:
    return {k: str(v) if not isinstance(v, (int, float, str, bool)) else v
            for k, v in dict(options).items()}


@click.command()
@click.argument("rule_id", metavar="RULE", shell_complete=complete_rules)
def explain(rule_id: str) -> None:
    """Explain RULE: what it checks, why it matters, a failing and a passing example."""
    from monops_lint.rules import all_rules
    from monops_lint.suggest import closest

    rules = all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        raise MonopsError(f"unknown rule `{rule_id}`{closest(rule_id, list(rules))} "
                          "(`monops rules` lists them)")
    header = f"{rule.id} (default severity: {rule.severity})"
    lines = [header, "=" * len(header), "", rule.doc]
    if rule.options:
        lines += ["", "## Options (monops.yaml, under `rules:`)", ""]
        lines += [f"    {rule.id}: {{{name}: {_yaml_scalar(value)}}}"
                  for name, value in rule.options.items()]
    click.echo("\n".join(lines))


@click.command()
@click.argument("kind", required=False, shell_complete=complete_kinds)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write every schema to DIR as <name>.schema.json instead of printing one.")
def schema(kind: str | None, out: Path | None) -> None:
    """Print the JSON Schema (draft-07) of KIND, or of any catalog document.

    KIND is one of product, bundle, plan, channel, promotion, scenario,
    rule, or `config` for monops.yaml. Point your editor's YAML language
    server at it, e.g. `# yaml-language-server: $schema=schemas/plan.schema.json`.
    """
    import json

    from monops_lint import schema as schemas
    from monops_lint.app.files import write_atomic
    from monops_lint.model import KINDS
    from monops_lint.suggest import closest

    names = [*KINDS, "config", "catalog"]
    if out is not None:
        for name in names:
            file_name = "monops" if name == "config" else name
            write_atomic(out / f"{file_name}.schema.json",
                         json.dumps(schemas.schema_for(name), indent=2) + "\n")
        click.echo(f"monops: wrote {len(names)} schemas to {out}", err=True)
        return
    name = kind or "catalog"
    if name not in names:
        raise MonopsError(f"unknown kind `{name}`{closest(name, names)}; "
                          f"one of: {', '.join(names)}")
    click.echo(json.dumps(schemas.schema_for(name), indent=2))


