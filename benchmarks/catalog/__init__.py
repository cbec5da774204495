"""The synthetic catalog of ``benchmarks/generate.py``, one module per idea.

``prices`` (USD prices converted to EUR and JPY with ``monops_lint.money``'s minor units),
``yaml_text`` (values written as YAML), ``dates``, ``charges`` and ``plans`` (a plan's
versions and charges), ``families`` (what each kind of product charges), ``products``,
``channels``, ``bundles``, ``promotions``, ``scenarios``, ``build`` (the whole catalog for
N and a seed, and its ``monops.yaml``), ``price_rise`` (the "1 % changed" commit) and
``files`` (writing them).
"""
