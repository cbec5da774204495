"""``monops.yaml``: finding the catalog root, reading and validating the config.

A config problem is never a finding: it ends the command with exit 2 and one
line that names the file, the position and the closest valid name.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from monops_lint.errors import MonopsError
from monops_lint.findings import Severity
from monops_lint.model import FrozenMap
from monops_lint.source.tree import WorkingTree
from monops_lint.source.yamlstrict import locate, parse_yaml
from monops_lint.suggest import closest

CONFIG_NAME = "monops.yaml"
DEFAULT_PATHS = ("catalog", "pricing", "scenarios", "rules")
DEFAULT_MAX_FILE_BYTES = 1 << 20
"""The largest catalog file read (monops.yaml's ``max_file_bytes``; Kill Bill XML too)."""


@dataclass(frozen=True)
class RuleSetting:
    """What monops.yaml says about one rule: its severity, whether it is off, its options.

    ``severity`` None keeps the rule's default severity.
    """

    severity: Severity | None = None
    off: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KillBillSettings:
    """``export: {killbill: ...}`` in monops.yaml: how the catalog maps to Kill Bill's XML."""

    default_channel: str | None = None
    """The channel exported as the DEFAULT price list (None: DEFAULT is empty)."""
    catalog_name: str = "monops"
    units: Mapping[str, str] = field(default_factory=FrozenMap)
    """Usage metric -> Kill Bill unit name, where they differ."""


@dataclass(frozen=True)
class Config:
    """The validated config of one catalog root."""

    root: Path
    paths: tuple[str, ...] = DEFAULT_PATHS
    base_currency: str = "USD"
    fx_rates: Mapping[str, Decimal] = field(default_factory=FrozenMap)
    fx_tolerance: Decimal = Decimal("0.10")
    rounding: str = "half_up"
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    templates: str | None = None
    customers: str | None = None
    """A committed sample customer base: a folder inside the root (``monops impact``)."""
    currencies: Mapping[str, int] = field(default_factory=FrozenMap)
    """Currencies outside ISO 4217 and their minor-unit digits (``money.declare_currencies``)."""
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)
    killbill: KillBillSettings = field(default_factory=KillBillSettings)
    digest: str = ""

    def setting(self, rule_id: str) -> RuleSetting | None:
        """The config's word on ``rule_id``, if it says anything."""
        return self.rules.get(rule_id)


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds monops.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise MonopsError(f"no {CONFIG_NAME} found in {start} or any folder above it "
                      "(run `monops init DIR` to start a catalog, or pass --root DIR)")


def load_config(root: Path, rule_options: Mapping[str, Mapping[str, Any]],
                data: bytes | None = None, shown_as: str | None = None) -> Config:
    """Read and validate ``root/monops.yaml`` (or ``data``, its bytes at a git revision).

    ``rule_options`` maps every known rule id to its options and their
    defaults: an unknown rule or option is an error naming the closest one.
    ``shown_as`` names the file in messages (default: its path).
    """
    from monops_lint import schema

    path: Path | str = shown_as or root / CONFIG_NAME
    if data is None:
        # Like every catalog file: a symlink to a file outside the root is refused, not read.
        data = WorkingTree(root).read(CONFIG_NAME)
    parsed = parse_yaml(CONFIG_NAME, data)
    if parsed.findings:
        first = parsed.findings[0]
        raise MonopsError(f"{path}:{first.location.line}:{first.location.column}: "
                          f"{first.message}")
    documents = [d for d in parsed.documents if d.data is not None]
    if not documents:
        return Config(root=root, digest=_digest(data))
    if len(documents) > 1 or type(documents[0].data) is not dict:
        raise MonopsError(f"{path}: expected one mapping of settings")
    settings: dict[str, Any] = documents[0].data
    positions = documents[0].positions

    def where(*keys: Any) -> str:
        line, column = locate(settings, positions, keys) or (1, 1)
        return f"{path}:{line}:{column}"

    def where_key(*keys: Any) -> str:
        line, column = locate(settings, positions, keys, on_key=True) or (1, 1)
        return f"{path}:{line}:{column}"

    known_keys = sorted(schema.config_schema()["properties"])
    for key in settings:
        if key not in known_keys:
            raise MonopsError(f"{where_key(key)}: unknown setting `{key}`"
                              f"{closest(key, known_keys)}")
    rules = _rule_settings(settings.get("rules") or {}, rule_options, where, where_key)
    problems = schema.check("monops", settings)
    if problems:
        problem = problems[0]
        raise MonopsError(f"{where(*problem.keys)}: {'.'.join(map(str, problem.keys))}: "
                          f"{problem.message}")
    from monops_lint.money import CurrencyError, declare_currencies, minor_units

    declared = FrozenMap({code: int(spec["digits"])
                          for code, spec in (settings.get("currencies") or {}).items()})
    try:
        declare_currencies(declared)
    except CurrencyError as exc:
        code = str(exc).split(" ", 1)[0]
        raise MonopsError(f"{where_key('currencies', code)}: currencies: {exc}") from exc
    for currency in [settings.get("base_currency", "USD"), *((settings.get("fx") or {})
                                                              .get("rates") or {})]:
        try:
            minor_units(currency)
        except CurrencyError as exc:
            where_in = ("base_currency",) if currency == settings.get("base_currency") \
                else ("fx", "rates", currency)
            raise MonopsError(f"{where_key(*where_in)}: {exc}") from exc
    fx = settings.get("fx") or {}
    killbill = (settings.get("export") or {}).get("killbill") or {}
    return Config(
        root=root,
        paths=tuple(settings.get("paths", DEFAULT_PATHS)),
        base_currency=settings.get("base_currency", "USD"),
        fx_rates=FrozenMap({c: Decimal(str(r)) for c, r in (fx.get("rates") or {}).items()}),
        fx_tolerance=Decimal(str(fx.get("tolerance", "0.10"))),
        rounding=settings.get("rounding", "half_up"),
        max_file_bytes=settings.get("max_file_bytes", DEFAULT_MAX_FILE_BYTES),
        templates=settings.get("templates"),
        customers=settings.get("customers"),
        currencies=declared,
        rules=rules,
        killbill=KillBillSettings(
            default_channel=killbill.get("default_channel"),
            catalog_name=killbill.get("catalog_name", "monops"),
            units=FrozenMap(dict(killbill.get("units") or {}))),
        digest=_digest(data),
    )


def _rule_settings(raw: Any, rule_options: Mapping[str, Mapping[str, Any]],
                   where: Any, where_key: Any) -> dict[str, RuleSetting]:
    if not isinstance(raw, Mapping):
        raise MonopsError(f"{where('rules')}: `rules` must map rule ids to a severity or options")
    from monops_lint import schema

    known = sorted(rule_options)
    ranges = {rule_id: entry["anyOf"][-1]["properties"] for rule_id, entry in
              schema.config_schema()["properties"]["rules"].get("properties", {}).items()}
    result: dict[str, RuleSetting] = {}
    for rule_id, value in raw.items():
        if "/" in rule_id and rule_id not in rule_options:
            # A custom rule (`kind: rule`): the catalog, read later, says whether it exists.
            rule_options = {**rule_options, rule_id: {}}
        if rule_id not in rule_options:
            raise MonopsError(f"{where_key('rules', rule_id)}: unknown rule `{rule_id}`"
                              f"{closest(rule_id, known)} (see `monops rules`)")
        options = dict(value) if isinstance(value, Mapping) else {"severity": value}
        severity_text = options.pop("severity", None)
        severity: Severity | None = None
        if severity_text in ("error", "warning", "info"):
            severity = Severity.parse(severity_text)
        elif severity_text not in (None, "off"):
            raise MonopsError(f"{where('rules', rule_id)}: severity of `{rule_id}` must be "
                              f"error, warning, info or off, not {severity_text!r}")
        allowed = sorted(rule_options[rule_id])
        for option, option_value in options.items():
            if option not in allowed:
                hint = closest(option, allowed) or (
                    f" (it takes: {', '.join(allowed)})" if allowed else " (it takes no options)")
                raise MonopsError(f"{where_key('rules', rule_id, option)}: unknown option "
                                  f"`{option}` for rule `{rule_id}`{hint}")
            default = rule_options[rule_id][option]
            if isinstance(default, (int, Decimal)) and not isinstance(default, bool) and not \
                    isinstance(option_value, (int, Decimal)):
                raise MonopsError(f"{where('rules', rule_id, option)}: option `{option}` of "
                                  f"`{rule_id}` must be a number, not {option_value!r}")
            # The range the config schema gives the option, checked here so that the one
            # line says all of it: a value past it would overflow the rule's arithmetic.
            bounds = ranges.get(rule_id, {}).get(option)
            if bounds is not None and not _within(option_value, bounds):
                raise MonopsError(f"{where('rules', rule_id, option)}: option `{option}` of "
                                  f"`{rule_id}` must be {_range_words(bounds)}, not "
                                  f"{_short(option_value)}")
        result[rule_id] = RuleSetting(severity=severity, off=severity_text == "off",
                                      options=FrozenMap({**rule_options[rule_id], **options}))
    return result


_LIMITS = {"minimum": operator.ge, "exclusiveMinimum": operator.gt,
           "maximum": operator.le, "exclusiveMaximum": operator.lt}
"""JSON Schema's bounds, as comparisons of a value with the bound."""


def _within(value: Any, bounds: Mapping[str, Any]) -> bool:
    """Whether ``value`` is a number of the schema's ``type`` inside its bounds."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) \
            or (bounds.get("type") == "integer" and not isinstance(value, int)):
        return False
    return all(compare(value, bounds[name]) for name, compare in _LIMITS.items()
               if name in bounds)


def _range_words(bounds: Mapping[str, Any]) -> str:
    """``a whole number from 0 to 3650``, ``a number above 0 and below 1000``."""
    low = (f"from {bounds['minimum']}" if "minimum" in bounds
           else f"above {bounds['exclusiveMinimum']}" if "exclusiveMinimum" in bounds else "")
    high = (f"to {bounds['maximum']}" if "maximum" in bounds
            else f"below {bounds['exclusiveMaximum']}" if "exclusiveMaximum" in bounds else "")
    joined = f"{low} {high}" if low.startswith("from") and high.startswith("to") \
        else " and ".join(part for part in (low, high) if part)
    kind = "a whole number" if bounds.get("type") == "integer" else "a number"
    return f"{kind} {joined}".rstrip()


def _short(value: Any) -> str:
    """A value as a config error shows it: a long number in scientific notation."""
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return f"{Decimal(value):.3E}" if len(text) > 24 else text


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
