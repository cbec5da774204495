"""The example catalog at the top of the repository, exported: valid, deterministic, and
reporting exactly what Kill Bill cannot express of it."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from tests.conftest import REPO
from tests.hardening.checks import run_in_process
from tests.interchange.support import export_root, parsed, schema_errors

EXAMPLE = ("monops.yaml", "catalog", "pricing", "scenarios", "rules")


def example(root: Path, default_channel: str | None = "web") -> Path:
    """A copy of the example catalog (with ``export.killbill.default_channel``)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    if default_channel is not None:
        with (root / "monops.yaml").open("a", encoding="utf-8") as config:
            config.write(f"export: {{killbill: {{default_channel: {default_channel}, "
                         "catalog_name: Aurora}}\n")
    return root


def test_the_example_exports_one_valid_file_per_catalog_version(tmp_path: Path) -> None:
    result = export_root(example(tmp_path))
    # the days plan versions take effect (pricing/*.yaml), one catalog version each
    assert [name for name, _ in result.files] == [
        f"Aurora-{day}.xml" for day in ("2025-03-01", "2025-06-01", "2025-09-01",
                                        "2025-11-01", "2026-03-01", "2026-04-01",
                                        "2027-02-01", "2027-06-01")]
    for name, text in result.files:
        assert schema_errors(text) == [], name
    last = parsed(result.files[-1][1])
    assert last.default_price_list.name == "DEFAULT"
    assert "fiber-500-monthly" in last.default_price_list.plans
    # backup-business (volume on the quantity) and payments-standard (percentage) have
    # nothing Kill Bill can price: neither is on sale in any price list
    on_sale = {name for pl in last.price_lists for name in pl.plans}
    assert {"backup-business", "payments-standard"}.isdisjoint(on_sale)
    assert {p.name for p in last.plans} >= {"mobile-unlimited", "tv-premium", "router-purchase"}


def test_the_example_reports_each_thing_left_out(tmp_path: Path) -> None:
    left = [(item.entity, item.field) for item in export_root(example(tmp_path)).left_out]
    assert left == [
        ("plan sms-api", "id"),
        ("promotion drive-plus-half-price", "percent_off"),
        ("promotion family-switch-2027", "amount_off"),
        ("promotion fiber-welcome-2027", "percent_off"),
        ("bundle family-connect", "components"),
        ("bundle home-duo", "components"),
        ("plan backup-business", "versions[0].charges[0]"),
        ("plan backup-business", "versions"),
        ("plan mobile-essentials", "versions[0].charges[0].model"),
        ("plan mobile-fleet", "minimum"),
        ("plan mobile-fleet", "versions[0].charges[0].model"),
        ("plan mobile-unlimited", "versions[0].charges[0].model"),
        ("plan mobile-unlimited", "versions[1].charges[0].model"),
        ("plan payments-standard", "versions[0].charges[0]"),
        ("plan payments-standard", "versions[1].rollout"),
        ("plan payments-standard", "versions[1].charges[0]"),
        ("plan payments-standard", "versions"),
        ("plan storage-free", "limits"),
        ("channel partner", "offerings[0].price_override.percent"),
        ("channel partner", "currencies"),
        ("channel retail", "tax_inclusive"),
        ("channel retail", "currencies"),
        ("plan tv-premium", "phases on 2027-06-01"),
    ]


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = export_root(example(tmp_path / "a"))
    second = export_root(example(tmp_path / "b"))
    assert first == second
    code, _, err = run_in_process(["export", "killbill", "--root", str(tmp_path / "a"),
                                   "--out", str(tmp_path / "out1")])
    assert code == 0, err
    run_in_process(["export", "killbill", "--root", str(tmp_path / "b"),
                    "--out", str(tmp_path / "out2")])
    for name, text in first.files:
        assert (tmp_path / "out1" / name).read_bytes() == text.encode("utf-8")
        assert (tmp_path / "out2" / name).read_bytes() == text.encode("utf-8")


def test_the_cli_without_out_refuses_several_versions(tmp_path: Path) -> None:
    code, _, err = run_in_process(["export", "killbill", "--root", str(example(tmp_path))])
    assert code == 2
    assert err == "monops: error: the catalog has 8 catalog versions: give --out DIR to " \
                  "write them\n"


def test_strict_exits_1_and_the_report_lists_every_item(tmp_path: Path) -> None:
    root = example(tmp_path / "catalog")
    report = tmp_path / "left-out.md"
    code, _, err = run_in_process(["export", "killbill", "--root", str(root), "--out",
                                   str(tmp_path / "xml"), "--report", str(report), "--strict"])
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("monops: left out: ")]
    assert len(lines) == 23
    assert "monops: left out: plan mobile-fleet minimum: Kill Bill's catalog has no minimum " \
           "per period" in lines
    text = report.read_text()
    assert text.startswith("# Kill Bill export: 23 item(s) left out\n")
    assert "| plan mobile-fleet | minimum | Kill Bill's catalog has no minimum per period |" \
        in text


def test_rev_exports_the_catalog_as_committed(tmp_path: Path) -> None:
    root = example(tmp_path / "repo")
    git = ["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "catalog"], check=True)
    fiber = root / "pricing" / "fiber.yaml"
    fiber.write_text(fiber.read_text().replace("USD: 49.99", "USD: 54.99", 1))
    for rev, price in ((None, "54.99"), ("HEAD", "49.99")):
        out = tmp_path / f"out-{rev}"
        code, _, err = run_in_process(["export", "killbill", "--root", str(root), "--out",
                                       str(out), *(["--rev", rev] if rev else [])])
        assert code == 0, err
        catalog = parsed((out / "Aurora-2025-03-01.xml").read_text())
        fiber_500 = next(p for p in catalog.plans if p.name == "fiber-500-monthly")
        assert fiber_500.final_phase.recurring is not None
        assert dict(fiber_500.final_phase.recurring.prices)["USD"] == Decimal(price)


def test_a_misspelt_export_setting_is_one_line(tmp_path: Path) -> None:
    root = example(tmp_path, default_channel=None)
    with (root / "monops.yaml").open("a", encoding="utf-8") as config:
        config.write("export: {killbill: {default_chanel: web}}\n")
    code, _, err = run_in_process(["export", "killbill", "--root", str(root)])
    assert code == 2
    assert err.startswith("monops: error: ") and err.count("\n") == 1
    assert "default_chanel" in err
