"""JSON Schema checks: a compiled validator says pass/fail, jsonschema explains failures.

The pass/fail check is jsonschema-rs (compiled Rust; fastjsonschema, which it
replaced, evaluates each failing ``if`` of the plan schema by raising an
exception: BENCHMARKS.md, "Design measurements").

Every problem is mapped to the exact YAML node that is wrong (a field's key
for an unknown or missing field, the value otherwise) and phrased as one
clear message with a hint, instead of jsonschema's cascade of sub-errors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:  # jsonschema explains failures only: imported when one happens
    import jsonschema
    from jsonschema.exceptions import ValidationError
    from referencing import Resource

from monops_lint.model import KINDS
from monops_lint.suggest import closest

SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema problem: where (``keys`` below the document root), what, and the fix.

    ``on_key`` says the location is the key of ``keys[-1]`` (an unknown
    field) rather than its value.
    """

    keys: tuple[Any, ...]
    message: str
    hint: str = ""
    on_key: bool = False


def _read(name: str) -> dict[str, Any]:
    text = resources.files("monops_lint.schemas").joinpath(name).read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def catalog_schema() -> dict[str, Any]:
    """The schema of every catalog document (dispatching on ``kind``)."""
    return _read("catalog.schema.json")


@cache
def config_schema() -> dict[str, Any]:
    """The schema of ``monops.yaml``."""
    return _read("monops.schema.json")


@cache
def kind_schema(kind: str) -> dict[str, Any]:
    """A self-contained draft-07 schema for one kind (what ``monops schema KIND`` prints)."""
    whole = catalog_schema()
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"https://monops.dev/schemas/{kind}.schema.json",
        "title": f"monops {kind}",
        "description": whole["definitions"][kind].get("description", ""),
        # allOf, not a bare $ref: draft-07 ignores the siblings of $ref, $id included.
        "allOf": [{"$ref": f"#/definitions/{kind}"}],
        "definitions": whole["definitions"],
    }


def schema_for(name: str) -> dict[str, Any]:
    """A schema by name: a kind, ``catalog`` or ``monops`` (the config)."""
    if name == "catalog":
        return catalog_schema()
    if name in ("monops", "config"):
        return config_schema()
    return kind_schema(name)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"remote schema refused: {uri}")  # self-contained: no network


class _Whole:
    """``x-monops-whole``: an ``integer`` is a Python ``int``, as for jsonschema.

    JSON Schema counts ``5.0`` as an integer; monops reads ``5.0`` as
    ``Decimal("5.0")`` and models whole-number fields as ``int``, so the
    check refuses it, as the explaining validator does.
    """

    def __init__(self, parent_schema: Any, value: Any, schema_path: Any) -> None:
        pass

    def validate(self, instance: Any) -> None:
        if isinstance(instance, Decimal):
            raise ValueError(f"{instance} is not a whole number")


def _mark_whole(node: Any) -> Any:
    """``node`` with ``x-monops-whole`` beside every ``"type": "integer"``."""
    if isinstance(node, dict):
        marked = {key: _mark_whole(value) for key, value in node.items()}
        if node.get("type") == "integer":
            marked["x-monops-whole"] = True
        return marked
    if isinstance(node, list):
        return [_mark_whole(item) for item in node]
    return node


@cache
def compiled_check(name: str) -> Callable[[Any], bool]:
    """The pass/fail check of schema ``name``: true when the instance is valid."""
    definition = _mark_whole({k: v for k, v in schema_for(name).items() if k != "$id"})
    validator = jsonschema_rs.Draft7Validator(
        definition, formats={"date": _is_date}, validate_formats=True,
        keywords={"x-monops-whole": _Whole}, retriever=_refuse_remote)
    return validator.is_valid


def _no_retrieval(uri: str) -> Resource[Any]:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # self-contained: no network


_ECMA_END = re.compile(r"(?<!\\)\$$")  # an unescaped `$` ending a pattern


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """``pattern`` as JSON Schema means it (ECMA 262): ``$`` is the end of the text.

    Python's ``$`` also matches before a final newline, so jsonschema would
    let ``"abc\\n"`` pass ``^[a-z]+$`` where the compiled check refuses it.
    """
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not re.search(_ECMA_END.sub(r"\\Z", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def explaining_validator(name: str) -> jsonschema.Draft7Validator:
    """The jsonschema validator of schema ``name``, which says why an instance fails (it
    reads patterns and dates as ``compiled_check`` does, and fetches nothing remote)."""
    import jsonschema
    from referencing import Registry

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date")(_is_date)
    explainer = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft7Validator,
        {"pattern": _ecma_pattern})
    return explainer(schema_for(name), format_checker=formats,  # type: ignore[no-any-return]
                     registry=Registry(retrieve=_no_retrieval))  # type: ignore[call-arg]


def check(name: str, instance: Any) -> list[SchemaProblem]:
    """Validate ``instance`` against schema ``name``; no problems is an empty list."""
    if compiled_check(name)(instance):
        return []
    problems: dict[tuple[Any, ...], SchemaProblem] = {}
    for error in explaining_validator(name).iter_errors(instance):
        for problem in _explain(error):
            # One message per node: the first (most specific) wins.
            problems.setdefault(problem.keys + (problem.on_key,), problem)
    if not problems:  # the two validators disagree: never pass silently
        return [SchemaProblem((), f"does not match the {name} schema",
                              f"compare it with `monops schema {name}`")]
    return sorted(problems.values(), key=lambda p: [str(k) for k in p.keys])


# --- turning jsonschema errors into messages ----------------------------------

_TYPE_NAMES = {"number": "a number", "string": "text", "boolean": "true or false",
               "integer": "a whole number", "object": "a mapping", "array": "a list",
               "null": "null"}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO",
                 "ON", "OFF"}
_DECIMAL_CHARS = set("0123456789.,_ ")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+(?:\.[0-9]*)?")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return f'"{value}"' if isinstance(value, str) else str(value)


def _expected_types(wanted: Any) -> list[str]:
    return [wanted] if isinstance(wanted, str) else list(wanted)


def _type_hint(value: Any, wanted: list[str]) -> str:
    if "boolean" in wanted and isinstance(value, str) and value in _YAML11_BOOLS:
        return (f"monops reads YAML 1.2, where {value} is text, not a boolean: "
                f"write {'true' if value.lower() in ('yes', 'on', 'y') else 'false'}")
    if ("number" in wanted or "integer" in wanted) and isinstance(value, str):
        # Before "remove the quotes": 0755 is text with or without them.
        if _LEADING_ZERO.fullmatch(value):
            return f"a leading zero makes {value} text in YAML 1.2: write {Decimal(value):f}"
        if value.replace(".", "", 1).isdigit():
            return f"remove the quotes: {value}"
        if value and set(value) <= _DECIMAL_CHARS:
            return "write the number without separators or spaces, e.g. 1000.50"
        return "write a plain number such as 9.99"
    if "integer" in wanted and isinstance(value, Decimal) and "number" not in wanted:
        return (f"write it without a decimal point or exponent: {int(value)}"
                if value == value.to_integral_value() else "write a whole number")
    if "string" in wanted and not isinstance(value, str):
        return f'quote the value: "{_shown(value)}"' if not isinstance(value, (Mapping, list)) \
            else "write a single value here"
    if "array" in wanted and not isinstance(value, list):
        return f"write a list: [{_shown(value)}]"
    return ""


def _explain(error: ValidationError) -> Iterator[SchemaProblem]:
    """One problem per failing keyword, in words; sub-errors of anyOf/oneOf via best_match."""
    from jsonschema.exceptions import best_match

    keys = tuple(error.absolute_path)
    value: Any = error.instance
    wanted: Any = error.validator_value
    validator = error.validator
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if validator == "additionalProperties" and isinstance(value, Mapping):
        allowed = sorted(schema.get("properties", {}))
        hint = "allowed here: " + ", ".join(allowed) if allowed else ""
        split = _split_by_comma(value, set(allowed))
        for extra in sorted(set(value) - set(allowed)):
            yield SchemaProblem(keys + (extra,),
                                f"unknown field `{extra}`{closest(extra, allowed, cutoff=0.6)}",
                                split.get(extra, hint), on_key=True)
        return
    if validator == "required":
        missing = [name for name in wanted if name not in value]
        for name in missing:
            where = f" in {keys[-1]}" if keys and isinstance(keys[-1], str) else ""
            yield SchemaProblem(keys, f"missing required field `{name}`{where}",
                                f"add `{name}:`", on_key=bool(keys))
        return
    if validator in ("oneOf", "anyOf") and _is_exclusive_required(schema, str(validator)):
        names = [next(iter(option["required"])) for option in schema[str(validator)]]
        present = [n for n in names if n in value]
        listed = " or ".join(f"`{n}`" for n in names)
        if validator == "oneOf" and present:
            yield SchemaProblem(keys + (present[1],), f"give exactly one of {listed}, not both",
                                f"remove `{present[1]}` or `{present[0]}`", on_key=True)
        else:
            yield SchemaProblem(keys, f"missing one of {listed}", f"add one of {listed}",
                                on_key=bool(keys))
        return
    if validator in ("anyOf", "oneOf") and error.context:
        inner = best_match(error.context)
        yield from _explain(inner)
        return
    if validator == "type":
        types = _expected_types(wanted)
        expected = " or ".join(_TYPE_NAMES.get(w, w) for w in types)
        yield SchemaProblem(keys, f"expected {expected}, got {_shown(value)}",
                            _type_hint(value, types))
        return
    if validator == "enum":
        options = [str(o) for o in wanted]
        yield SchemaProblem(keys, f"{_shown(value)} is not one of: {', '.join(options)}"
                            f"{closest(str(value), options, cutoff=0.6)}",
                            "pick one of the values listed")
        return
    if validator == "const":
        yield SchemaProblem(keys, f"expected {_shown(wanted)}, got {_shown(value)}")
        return
    if validator == "pattern":
        yield SchemaProblem(keys, f"{_shown(value)} {_pattern_meaning(wanted)}",
                            _pattern_hint(wanted, value))
        return
    if validator == "format" and wanted == "date":
        yield SchemaProblem(keys, f"{_shown(value)} is not a calendar date",
                            "write a real date as YYYY-MM-DD")
        return
    if validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        relation = {"minimum": "at least", "exclusiveMinimum": "more than",
                    "maximum": "at most", "exclusiveMaximum": "less than"}[str(validator)]
        shown_limit = f"{wanted:,}" if isinstance(wanted, int) and wanted >= 10**6 else str(wanted)
        yield SchemaProblem(keys, f"{_shown(value)} must be {relation} {shown_limit}")
        return
    if validator == "minItems":
        yield SchemaProblem(keys, f"needs at least {wanted} item(s)",
                            "add an item or remove the field")
        return
    if validator == "minProperties":
        yield SchemaProblem(keys, "must not be empty", "add at least one entry")
        return
    if validator == "uniqueItems":
        yield SchemaProblem(keys, "lists an item twice", "remove the repeated item")
        return
    if validator == "propertyNames":
        yield SchemaProblem(keys, f"{error.message}")
        return
    yield SchemaProblem(keys, error.message)


def _split_by_comma(mapping: Mapping[str, Any], allowed: set[str]) -> dict[str, str]:
    """The hint for each unknown key that looks like the rest of a value a comma split.

    In a flow mapping, ``{description: Enterprise Suite, yearly}`` reads as
    ``description: Enterprise Suite`` and a key ``yearly`` with no value: the
    unknown keys without a value that follow a known field's text are most
    likely the rest of that text. One pass over the mapping.
    """
    hints: dict[str, str] = {}
    field, run = "", []
    for name, item in [*mapping.items(), ("", ...)]:  # the sentinel ends the last run
        if field and name not in allowed and name and item is None:
            run.append(name)
            continue
        if run:
            text = ", ".join([mapping[field], *run]).replace("\\", "\\\\").replace('"', '\\"')
            hint = (f"a comma inside `{{…}}` ends the value of `{field}`, and what follows "
                    f'reads as a field: quote the whole text: {field}: "{text}"')
            hints.update(dict.fromkeys(run, hint))
        field = name if name in allowed and isinstance(item, str) else ""
        run = []
    return hints


def _is_exclusive_required(schema: Mapping[str, Any], keyword: str) -> bool:
    """A ``oneOf``/``anyOf`` whose options each only require one field."""
    options = schema.get(keyword, [])
    return bool(options) and all(set(o) == {"required"} and len(o["required"]) == 1
                                 for o in options)


def _pattern_meaning(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]"):
        return "is not a valid id: use lower-case letters, digits, '.', '_' and '-'"
    if pattern == "^[A-Z]{3}$":
        return "is not a currency code: use three capital letters (ISO 4217)"
    if pattern.startswith("^[0-9]{4}"):
        return "is not a date: write YYYY-MM-DD"
    if "[0-9]" in pattern:
        return "is not a non-negative decimal number"
    return f"does not match {pattern}"


def _pattern_hint(pattern: str, value: Any) -> str:
    if pattern.startswith("^[a-z0-9]") and isinstance(value, str):
        suggestion = "".join(c if c.isalnum() or c in "._-" else "-" for c in value.lower())
        return f"for example `{suggestion.strip('-._') or 'my-id'}`"
    if pattern == "^[A-Z]{3}$" and isinstance(value, str):
        return f"for example `{value.upper()[:3]}`"
    if "[0-9]" in pattern:
        return "write digits with an optional decimal point, e.g. 9.99"
    return ""


def all_kinds() -> tuple[str, ...]:
    """Every kind that has a schema."""
    return KINDS
