"""Broken twins of the example catalog: for every rule, the edit that makes it fire.

Each ``Mutation`` is what a catalog editor might really do wrong - a typo,
a forgotten currency, a copy-paste - written as exact text edits of the
example catalog at the repository's top (``monops.yaml``, ``catalog/``,
``pricing/``, ``scenarios/``, ``rules/``), with the finding the rule must
report for it.

The expected positions are worked out by hand from the edited text (the
comment beside each shows the count); they are never copied from monops'
output. A column is the 1-based column of the node the rule points at: a
value's first character, a flow mapping's ``{``, a key for an unknown
field, the ``#`` of a comment.

Every edit names its old text exactly, and applying it checks that the old
text occurs exactly once: when the example catalog changes under a
mutation, the twin fails loudly instead of silently testing nothing.

The mutations touch disjoint text, so they can all be applied to one twin
at once (``build_twin(dest, MUTATIONS)``, ``tests/broken/make_twin.py``).
The diff-only rules (history-rewrite, notice-period, id-reuse) need a
base catalog to compare with, and have no twin here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parents[2]
"""The example catalog's root: the repository's top, where monops.yaml is."""

TODAY = "2026-11-25"
"""The lint date the expectations hold for (``--today``)."""


class MutationError(AssertionError):
    """An edit whose old text is not in the file exactly once (the example changed)."""


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in ``path``.

    With ``old=None``, ``path`` is a new file whose content is ``new``.
    """

    path: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Expected:
    """A finding the rule must report: where (1-based), and a fragment of its message."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Mutation:
    """A broken twin of the example catalog for one rule.

    ``rule`` is a built-in rule id, or a custom rule of the example
    (``aurora/...``), whose findings carry the custom rule's id.
    ``severity`` is the least severity the findings must have.
    ``expected`` lists every finding of ``rule`` the edits cause, no more.
    """

    rule: str
    severity: str
    story: str
    edits: tuple[Edit, ...]
    expected: tuple[Expected, ...]


def _new_file(*lines: str) -> str:
    return "\n".join(lines) + "\n"


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "allowance-overlap", "warning",
        "Drive Plus's 100 included GB written a second time as a free first tier",
        (Edit("pricing/storage.yaml",
              "          - {up_to: 1000, unit_amount: {USD: 0.02, EUR: 0.018, JPY: 3}}\n",
              "          - {up_to: 100, unit_amount: {USD: 0.00, EUR: 0.00, JPY: 0}}\n"
              "          - {up_to: 1000, unit_amount: {USD: 0.02, EUR: 0.018, JPY: 3}}\n"),),
        # the new tier is inserted as line 54 (after `tiers:` on 53); `- {` puts the
        # mapping's `{` at column 13 (10 spaces, `-`, space).
        (Expected("pricing/storage.yaml", 54, 13,
                  "`included: 100` and tier 1 (up_to 100) at zero"),),
    ),
    Mutation(
        "bundle-availability", "error",
        "Family Connect rebuilt on DSL for areas fibre does not reach, while DSL was retired",
        (Edit("catalog/bundles/family-connect.yaml",
              "  - {product: fiber-broadband, quantity: 1}\n",
              "  - {product: dsl-broadband, quantity: 1}\n"),
         Edit("catalog/products/dsl-broadband.yaml",
              "status: deprecated\n", "status: retired\n")),
        # at each offering of family-connect-monthly, on the plan id: `  - plan: ` is 10
        # characters, so column 11; web.yaml line 27, retail.yaml line 29.
        (Expected("catalog/channels/web.yaml", 27, 11,
                  "component product dsl-broadband is retired"),
         Expected("catalog/channels/retail.yaml", 29, 11,
                  "component product dsl-broadband is retired")),
    ),
    Mutation(
        "bundle-discount", "warning",
        "Home Duo's price raised to USD 79.99 (EUR 73.49, JPY 11990) without checking that "
        "Fiber 500 + TV Basic cost only USD 74.98 (EUR 68.98, JPY 11220) bought alone",
        (Edit("pricing/bundles.yaml",
              "amount: {USD: 64.99, EUR: 59.99, JPY: 9740}",
              "amount: {USD: 79.99, EUR: 73.49, JPY: 11990}"),),
        # line 22: 8 spaces + `amount: ` puts `{` at 17, `USD: ` 18-22, 79.99 at 23-27,
        # `, EUR: ` 28-34, 73.49 at 35-39, `, JPY: ` 40-46, 11990 at 47.
        # web sells USD, EUR and JPY, retail EUR and JPY: five findings.
        (Expected("pricing/bundles.yaml", 22, 23, "USD 79.99 in web"),
         Expected("pricing/bundles.yaml", 22, 35, "EUR 73.49 in web"),
         Expected("pricing/bundles.yaml", 22, 47, "JPY 11990 in web"),
         Expected("pricing/bundles.yaml", 22, 35, "EUR 73.49 in retail"),
         Expected("pricing/bundles.yaml", 22, 47, "JPY 11990 in retail")),
    ),
    Mutation(
        "currency-coverage", "error",
        "the business fibre installation fee priced for the US and the EU, but not in yen, "
        "though the enterprise channel sells in JPY",
        (Edit("pricing/fiber.yaml",
              "amount: {USD: 250.00, EUR: 230.00, JPY: 37500}",
              "amount: {USD: 250.00, EUR: 230.00}"),),
        # line 78: the `amount` mapping's `{` at column 17 (8 spaces + `amount: `).
        (Expected("pricing/fiber.yaml", 78, 17,
                  "charge installation has no JPY price, but channel enterprise offers"),),
    ),
    Mutation(
        "custom-rule", "error",
        "a C habit in a custom rule: `&&` for `and`, so the rule does not compile",
        (Edit("rules/free-plans-are-capped.yaml",
              'when: "plan.free is defined and plan.free"',
              'when: "plan.free is defined && plan.free"'),),
        # line 8: `when: ` is 6 characters, the quoted value starts at column 7.
        (Expected("rules/free-plans-are-capped.yaml", 8, 7,
                  "custom rule aurora/free-plans-are-capped: `when` does not compile"),),
    ),
    Mutation(
        "aurora/retail-prices-include-tax", "error",
        "the retail channel's header copied from web's: shelf prices before tax",
        (Edit("catalog/channels/retail.yaml",
              "tax_inclusive: true\n", "tax_inclusive: false\n"),),
        # a custom rule's finding stands at the entity's id: line 7, `id: ` -> column 5.
        (Expected("catalog/channels/retail.yaml", 7, 5,
                  "channel retail sells to consumers and must be tax_inclusive"),),
    ),
    Mutation(
        "duplicate-id", "error",
        "next year's fibre welcome offer copied from 2027's, and its id left unchanged",
        (Edit("catalog/promotions/fiber-welcome-2028.yaml", None, _new_file(
            "# 25 % off the first three monthly bills for new fibre customers who sign",
            "# up online or in store during 2028.",
            "kind: promotion",
            "id: fiber-welcome-2027",
            "name: Fiber welcome offer 2028",
            "campaign: fiber-rollout-2028",
            "channels: [web, retail]",
            "plans: [fiber-500-monthly, fiber-gigabit-monthly]",
            "percent_off: 25",
            "duration_periods: 3",
            "valid_from: 2028-01-01",
            "valid_until: 2028-12-31")),),
        # files are read in path order, so the 2028 copy is the second: its `id:` is line 4,
        # the value at column 5. The first use is the 2027 file's line 4, column 5.
        (Expected("catalog/promotions/fiber-welcome-2028.yaml", 4, 5,
                  "promotion id `fiber-welcome-2027` is already used at "
                  "catalog/promotions/fiber-welcome-2027.yaml:4:5"),),
    ),
    Mutation(
        "free-tier", "warning",
        "a store manager drops Drive Free's upsell: the free plan has no paid step up in retail",
        (Edit("catalog/channels/retail.yaml",
              "  - plan: storage-free\n    upsell: [storage-plus]\n",
              "  - plan: storage-free\n"),),
        # the offering stays on line 30; its plan id at column 11.
        (Expected("catalog/channels/retail.yaml", 30, 11,
                  "free plan storage-free is offered in retail without a paid upsell"),),
    ),
    Mutation(
        "fx-consistency", "warning",
        "a slipped digit: Fiber Gigabit's EUR 64.49 typed as 46.49",
        (Edit("pricing/fiber.yaml",
              "amount: {USD: 69.99, EUR: 64.49, JPY: 10480}",
              "amount: {USD: 69.99, EUR: 46.49, JPY: 10480}"),),
        # line 54: `{` at 17, `USD: ` 18-22, 69.99 at 23-27, `, EUR: ` 28-34, 46.49 at 35.
        # (Still above Fiber 500's EUR 45.99, so its upsell stays a step up.)
        (Expected("pricing/fiber.yaml", 54, 35, "EUR 46.49 is"),),
    ),
    Mutation(
        "interval-ratio", "warning",
        "the yearly Fiber 500 priced at 13 monthly payments instead of about 10",
        (Edit("pricing/fiber.yaml",
              "amount: {USD: 499.00, EUR: 459.00, JPY: 74800}",
              "amount: {USD: 649.87, EUR: 597.87, JPY: 97240}"),),
        # line 37: `{` at 17, `USD: ` 18-22, 649.87 at 23-28, `, EUR: ` 29-35, 597.87 at
        # 36-41, `, JPY: ` 42-48, 97240 at 49. 13 x 49.99, 13 x 45.99, 13 x 7480: one
        # finding per currency.
        (Expected("pricing/fiber.yaml", 37, 23, "more than 12 × its monthly sibling"),
         Expected("pricing/fiber.yaml", 37, 36, "more than 12 × its monthly sibling"),
         Expected("pricing/fiber.yaml", 37, 49, "more than 12 × its monthly sibling")),
    ),
    Mutation(
        "lifecycle", "error",
        "the Wi-Fi 7 router discontinued (status: retired) while web and retail still sell it",
        (Edit("catalog/products/wifi-router.yaml", "status: active\n", "status: retired\n"),),
        # the router-purchase offerings: web.yaml line 18, retail.yaml line 20, column 11.
        (Expected("catalog/channels/web.yaml", 18, 11,
                  "channel web offers plan router-purchase, but its product wifi-router "
                  "is retired"),
         Expected("catalog/channels/retail.yaml", 20, 11,
                  "channel retail offers plan router-purchase, but its product wifi-router "
                  "is retired")),
    ),
    Mutation(
        "margin-floor", "error",
        "Messaging API packs cut to USD 4.00 per 1,000 to match a competitor: USD 0.004 a "
        "message, the carrier's cost with no margin",
        (Edit("pricing/messaging.yaml",
              "amount: {USD: 8.00, EUR: 7.40, JPY: 1200}",
              "amount: {USD: 4.00, EUR: 3.70, JPY: 600}"),),
        # line 18: `{` at 17, `USD: ` 18-22, 4.00 at 23 (only USD has a cost).
        (Expected("pricing/messaging.yaml", 18, 23, "below the margin floor of USD 0.0052"),),
    ),
    Mutation(
        "money-precision", "error",
        "Drive Plus's yen price recomputed as USD 4.99 x 150 and pasted unrounded: JPY 748.5",
        (Edit("pricing/storage.yaml",
              "amount: {USD: 4.99, EUR: 4.59, JPY: 750}",
              "amount: {USD: 4.99, EUR: 4.59, JPY: 748.5}"),),
        # line 44: `{` at 17, `USD: ` 18-22, 4.99 at 23-26, `, EUR: ` 27-33, 4.59 at 34-37,
        # `, JPY: ` 38-44, 748.5 at 45.
        (Expected("pricing/storage.yaml", 44, 45, "JPY 748.5 has 1 decimal; JPY allows 0"),),
    ),
    Mutation(
        "npi-incomplete", "error",
        "Aurora Pay's tax code lost while its file was tidied up",
        (Edit("catalog/products/payments.yaml", "tax_code: FIN-SVC\n", ""),),
        # a missing field is reported at the product's id: line 5, column 5.
        (Expected("catalog/products/payments.yaml", 5, 5,
                  "active product payments has no tax_code"),),
    ),
    Mutation(
        "orphan", "warning",
        "a new TV Sports plan written, but the pull request to offer it in a channel forgotten",
        (Edit("pricing/tv-sports.yaml", None, _new_file(
            "# TV Sports: live sport for households that want nothing else.",
            "kind: plan",
            "id: tv-sports",
            "name: TV Sports",
            "sku: TV-SPT",
            "description: The sports pack and 20 live channels, without the rest of TV Basic.",
            "product: tv",
            "billing_period: month",
            "features: [live-channels, sports-pack]",
            "versions:",
            "  - effective_from: 2026-12-01",
            "    charges:",
            "      - id: base",
            "        description: TV Sports monthly fee",
            "        type: recurring",
            "        model: flat",
            "        amount: {USD: 19.99, EUR: 18.49, JPY: 2990}")),),
        # the plan's id: line 3, column 5.
        (Expected("pricing/tv-sports.yaml", 3, 5,
                  "plan tv-sports of active product tv is offered in no channel"),),
    ),
    Mutation(
        "price-drift", "error",
        "the store team's own TV Basic at EUR 24.99 instead of the EUR 22.99 sold online, "
        "without a price override saying why",
        (Edit("pricing/tv.yaml",
              "        unit_amount: {USD: 14.99, EUR: 13.79, JPY: 2250}\n",
              "        unit_amount: {USD: 14.99, EUR: 13.79, JPY: 2250}\n"
              "---\n"
              "# TV Basic as sold in our stores.\n"
              "kind: plan\n"
              "id: tv-basic-store\n"
              "name: TV Basic\n"
              "sku: TV-BAS-STORE\n"
              "description: 120 live channels and 50 hours of cloud DVR, sold in store.\n"
              "product: tv\n"
              "billing_period: month\n"
              "features: [live-channels, cloud-dvr]\n"
              "versions:\n"
              "  - effective_from: 2026-11-01\n"
              "    charges:\n"
              "      - id: base\n"
              "        description: TV Basic monthly fee\n"
              "        type: recurring\n"
              "        model: flat\n"
              "        amount: {EUR: 24.99, JPY: 3740}\n"),
         Edit("catalog/channels/retail.yaml",
              "  - plan: tv-basic\n", "  - plan: tv-basic-store\n")),
        # pricing/tv.yaml had 42 lines; `---` is 43, the comment 44, kind 45, id 46, name 47,
        # sku 48, description 49, product 50, billing_period 51, features 52, versions 53,
        # effective_from 54, charges 55, `- id` 56, description 57, type 58, model 59, so
        # `amount` is line 60: `{` at 17, `EUR: ` 18-22, 24.99 at 23. JPY is the same as
        # online: one finding.
        (Expected("pricing/tv.yaml", 60, 23,
                  "tv-basic costs EUR 22.99 in web, but tv-basic-store"),),
    ),
    Mutation(
        "promotion-scope", "error",
        "marketing adds business fibre to the welcome offer, but web and retail do not sell it",
        (Edit("catalog/promotions/fiber-welcome-2027.yaml",
              "plans: [fiber-500-monthly, fiber-gigabit-monthly]",
              "plans: [fiber-500-monthly, fiber-gigabit-monthly, fiber-business]"),),
        # line 8: `plans: [` puts the first id at 9; fiber-500-monthly 9-25, `, ` 26-27,
        # fiber-gigabit-monthly 28-48, `, ` 49-50, fiber-business at 51.
        (Expected("catalog/promotions/fiber-welcome-2027.yaml", 8, 51,
                  "plan fiber-business is not offered in any of its channels (web, retail)"),),
    ),
    Mutation(
        "scenario-invalid", "error",
        "the sample household's free Drive usage bumped to 20 GB, over the 15 GB free cap",
        (Edit("scenarios/us-web-fiber-welcome.yaml",
              "    usage: {storage_gb: 12}\n", "    usage: {storage_gb: 20}\n"),),
        # line 22: 4 spaces + `usage: ` puts `{` at 12, storage_gb 13-22, `: ` 23-24, 20 at 25.
        (Expected("scenarios/us-web-fiber-welcome.yaml", 22, 25,
                  "usage 20 of `storage_gb` exceeds plan storage-free's limit of 15"),),
    ),
    Mutation(
        "schema", "error",
        "a misspelt field: TV Premium's `trial_days` typed `trial_day`",
        (Edit("pricing/tv.yaml", "trial_days: 14\n", "trial_day: 14\n"),),
        # an unknown field is reported at its key: line 27, column 1.
        # (The plan cannot be modelled; its id is still known, so nothing else fires.)
        (Expected("pricing/tv.yaml", 27, 1, "unknown field `trial_day`"),),
    ),
    Mutation(
        "tapered-rates", "error",
        "a surcharge for heavy users on Mobile Fleet's top data tier, in a `tapered` charge",
        (Edit("pricing/mobile.yaml",
              "{up_to: null, unit_amount: {USD: 1.00, EUR: 0.92, JPY: 150}}",
              "{up_to: null, unit_amount: {USD: 1.60, EUR: 1.47, JPY: 240}}"),),
        # line 97: 10 spaces, `- {` 11-13, `up_to: null, ` 14-26, `unit_amount: ` 27-39,
        # `{` 40, `USD: ` 41-45, 1.60 at 46 (the first currency that rises).
        (Expected("pricing/mobile.yaml", 97, 46, "tapered unit rate rises in tier 3"),),
    ),
    Mutation(
        "tier-order", "error",
        "a dropped zero: Mobile Fleet's second data tier ends at 500 GB instead of 5,000",
        (Edit("pricing/mobile.yaml",
              "{up_to: 5000, unit_amount:", "{up_to: 500, unit_amount:"),),
        # line 96: 10 spaces, `- {` 11-13, `up_to: ` 14-20, 500 at 21.
        (Expected("pricing/mobile.yaml", 96, 21,
                  "tier 2 up_to 500 does not rise above tier 1's up_to 500"),),
    ),
    Mutation(
        "tier-unbounded", "error",
        "Drive Plus's last storage tier given a bound of 100,000 GB: nothing prices usage above",
        (Edit("pricing/storage.yaml",
              "{up_to: null, unit_amount: {USD: 0.007,",
              "{up_to: 100000, unit_amount: {USD: 0.007,"),),
        # line 56: 10 spaces, `- {` 11-13, `up_to: ` 14-20, 100000 at 21.
        (Expected("pricing/storage.yaml", 56, 21,
                  "the last tier (tier 3) ends at up_to 100000"),),
    ),
    Mutation(
        "unknown-reference", "error",
        "a typo'd plan id in the enterprise channel: payment-standard",
        (Edit("catalog/channels/enterprise.yaml",
              "  - plan: payments-standard\n", "  - plan: payment-standard\n"),),
        # line 17: `  - plan: ` is 10 characters, the id at column 11.
        (Expected("catalog/channels/enterprise.yaml", 17, 11,
                  "channel enterprise names unknown plan `payment-standard`"),),
    ),
    Mutation(
        "unreachable-tier", "warning",
        "an overage price above 15 GB added to Drive Free, whose limits cap it at 15 GB",
        (Edit("pricing/storage.yaml",
              "        model: per_unit\n"
              "        unit_amount: {USD: 0.00, EUR: 0.00, JPY: 0}\n",
              "        model: graduated\n"
              "        tiers:\n"
              "          - {up_to: 15, unit_amount: {USD: 0.00, EUR: 0.00, JPY: 0}}\n"
              "          - {up_to: null, unit_amount: {USD: 0.02, EUR: 0.018, JPY: 3}}\n"),),
        # `model` stays on line 26, `tiers:` 27, tier 1 28, tier 2 29; its `{` at column 13.
        (Expected("pricing/storage.yaml", 29, 13,
                  "tier 2 (units above 15) can never be reached"),),
    ),
    Mutation(
        "unused-suppression", "warning",
        "a stale suppression, left from when partners sold Drive Plus at their own list price",
        (Edit("catalog/channels/partner.yaml",
              "  - plan: storage-plus\n",
              "  - plan: storage-plus  # monops: disable=price-drift -- partner list price "
              "until the 2026 contract\n"),),
        # line 17: `  - plan: storage-plus` is 22 characters, two spaces, `#` at column 25.
        (Expected("catalog/channels/partner.yaml", 17, 25,
                  "suppression of `price-drift` silences nothing"),),
    ),
    Mutation(
        "upsell-cycle", "error",
        "the small-business team makes Aurora Pay and the Messaging API upsell each other",
        (Edit("catalog/channels/web.yaml",
              "  - plan: payments-standard\n"
              "    cross_sell: [sms-api]\n"
              "  - plan: sms-api\n",
              "  - plan: payments-standard\n"
              "    upsell: [sms-api]\n"
              "  - plan: sms-api\n"
              "    upsell: [payments-standard]\n"),),
        # Both are priced by usage alone, so upsell-target does not compare their prices.
        # The loop is reported at its first step from the smallest id, payments-standard's
        # upsell: line 36, 4 spaces + `upsell: [` -> sms-api at column 14.
        (Expected("catalog/channels/web.yaml", 36, 14,
                  "upsell path loops: payments-standard -> sms-api -> payments-standard"),),
    ),
    Mutation(
        "upsell-target", "error",
        "stores upsell Fiber Gigabit customers to Fiber Business 1G, which retail does not sell",
        (Edit("catalog/channels/retail.yaml",
              "  - plan: fiber-gigabit-monthly\n    cross_sell: [router-purchase]\n",
              "  - plan: fiber-gigabit-monthly\n    upsell: [fiber-business]\n"
              "    cross_sell: [router-purchase]\n"),),
        # the new line 19: 4 spaces + `upsell: [` -> fiber-business at column 14.
        (Expected("catalog/channels/retail.yaml", 19, 14,
                  "upsell target fiber-business of plan fiber-gigabit-monthly is not offered "
                  "in retail"),),
    ),
    Mutation(
        "version-order", "error",
        "a wrong year on Mobile Unlimited's price rise: 2026-02-01 for 2027-02-01",
        (Edit("pricing/mobile.yaml",
              "  - effective_from: 2027-02-01\n", "  - effective_from: 2026-02-01\n"),),
        # line 55: `  - effective_from: ` is 20 characters, the date at column 21.
        (Expected("pricing/mobile.yaml", 55, 21,
                  "version 2 (effective_from 2026-02-01) is written after version 1 "
                  "(effective_from 2026-03-01)"),),
    ),
    Mutation(
        "volume-cliff", "warning",
        "the flat platform fee of Backup Business's second volume tier deleted as a 'surcharge': "
        "11 devices now cost less than 10",
        (Edit("pricing/backup.yaml",
              "            flat_amount: {USD: 10.00, EUR: 9.50, JPY: 1500}\n", ""),),
        # reported at tier 2's rate, line 25, in each currency: 12 spaces + `unit_amount: `
        # puts `{` at 26, `USD: ` 27-31, 5.00 at 32-35, `, EUR: ` 36-42, 4.60 at 43-46,
        # `, JPY: ` 47-53, 750 at 54.
        (Expected("pricing/backup.yaml", 25, 32, "USD 60.00, 11 cost USD 55.00"),
         Expected("pricing/backup.yaml", 25, 43, "EUR 55.00, 11 cost EUR 50.60"),
         Expected("pricing/backup.yaml", 25, 54, "past volume tier 1 (up to 10)")),
    ),
    Mutation(
        "yaml-syntax", "error",
        "an editor that indents with a tab",
        (Edit("scenarios/us-partner-msp-backup.yaml",
              "    usage: {storage_gb: 2400}\n", "\tusage: {storage_gb: 2400}\n"),),
        # the tab is the first character of line 18.
        (Expected("scenarios/us-partner-msp-backup.yaml", 18, 1, "tab character"),),
    ),
    Mutation(
        "yaml-trap", "error",
        "a scenario's weight updated by adding a second `weight:` line instead of editing it",
        (Edit("scenarios/jp-enterprise-storage.yaml",
              "weight: 15\n", "weight: 15\nweight: 20\n"),),
        # the second key is the new line 11, column 1; the first is line 10.
        (Expected("scenarios/jp-enterprise-storage.yaml", 11, 1,
                  'duplicate key "weight" (first at line 10)'),),
    ),
)

BY_RULE: dict[str, Mutation] = {m.rule: m for m in MUTATIONS}
assert len(BY_RULE) == len(MUTATIONS), "one mutation per rule"


def config_paths(root: Path = EXAMPLE) -> list[str]:
    """The catalog folders the example's monops.yaml lists."""
    config = yaml.safe_load((root / "monops.yaml").read_text(encoding="utf-8"))
    return [str(p) for p in config["paths"]]


def copy_example(dest: Path) -> Path:
    """Copy the example catalog (monops.yaml and its catalog folders) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLE / "monops.yaml", dest / "monops.yaml")
    for folder in config_paths():
        shutil.copytree(EXAMPLE / folder, dest / folder)
    return dest


def apply_edit(root: Path, edit: Edit) -> None:
    """Apply one edit under ``root``; raise ``MutationError`` if its old text is not
    there exactly once (or its new file already exists)."""
    path = root / edit.path
    if edit.old is None:
        if path.exists():
            raise MutationError(f"{edit.path}: a mutation's new file already exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit.new.encode("utf-8"))
        return
    if not path.is_file():
        raise MutationError(f"{edit.path}: no such file in the example catalog")
    text = path.read_bytes().decode("utf-8")
    count = text.count(edit.old)
    if count != 1:
        raise MutationError(f"{edit.path}: the old text {edit.old!r} occurs {count} times, "
                            "not once; the example catalog changed under this mutation")
    path.write_bytes(text.replace(edit.old, edit.new).encode("utf-8"))


def build_twin(dest: Path, mutations: Iterable[Mutation]) -> Path:
    """A copy of the example catalog at ``dest`` with every edit of ``mutations`` applied."""
    copy_example(dest)
    for mutation in mutations:
        for edit in mutation.edits:
            apply_edit(dest, edit)
    return dest
