"""CI conformance: the HTML outputs open in headless Chromium, self-contained, with the
numbers a reader needs (invoices from `monops render`, and the `monops diff` report)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium(page: Path, profile: Path, *args: str) -> str:
    """Load ``page`` in headless Chromium; return what it printed (the DOM with --dump-dom)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("chromium is not installed")
    run = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args,
                          page.as_uri()], capture_output=True, text=True, timeout=120,
                         check=False)
    if run.returncode != 0:
        raise SystemExit(f"chromium failed on {page}: {run.stderr[-2000:]}")
    return run.stdout


def check_self_contained(html: str, what: str) -> None:
    """No external resource: no src/href to another host, no @import."""
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html) + \
        re.findall(r"@import", html)
    if external:
        raise SystemExit(f"{what} loads external resources: {external[:3]}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(["monops", "render", "--format", "html", "--out", str(out / "html")],
                       check=True)
        data = json.loads(subprocess.run(["monops", "render", "--format", "json"], check=True,
                                         capture_output=True, text=True).stdout)
        for invoice in data["invoices"]:
            page = out / "html" / f"{invoice['scenario']}.html"
            check_self_contained(page.read_text(encoding="utf-8"), page.name)
            dom = chromium(page, out / "profile", "--dump-dom")
            digits = re.sub(r"\D", "", invoice["total"])
            shown = re.sub(r"\D", "", " ".join(re.findall(r"Total</td><td class=\"num\">([^<]*)<",
                                                          dom)))
            if "INVOICE" not in dom or digits not in shown:
                raise SystemExit(f"{page.name}: the total {invoice['total']} is not shown "
                                 f"in the rendered page")
        first = out / "html" / f"{data['invoices'][0]['scenario']}.html"
        chromium(first, out / "profile", "--window-size=1000,1400",
                 f"--screenshot={out / 'invoice.png'}")
        if (out / "invoice.png").stat().st_size < 10_000:
            raise SystemExit("the invoice screenshot is blank")
        print(f"HTML: {len(data['invoices'])} invoices rendered in Chromium, totals shown, "
              "self-contained")
        check_diff_report(out)
    return 0


def check_diff_report(out: Path) -> None:
    """A price rise in a copy of the example: the review page shows it, side by side."""
    repo = out / "repo"
    shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns(
        ".git", ".venv", "out", "__pycache__", ".*_cache", "tests", "benchmarks", "fuzz"))
    git = ["git", "-C", str(repo), "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    plan = repo / "pricing" / "storage.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "amount: {USD: 4.99, EUR: 4.59, JPY: 750}", "amount: {USD: 5.49, EUR: 5.05, JPY: 820}"),
        encoding="utf-8")
    page = out / "review.html"
    subprocess.run(["monops", "diff", "HEAD", "--root", str(repo), "--today", "2026-11-25",
                    "--format", "html", "--out", str(page)], check=False)
    html = page.read_text(encoding="utf-8")
    check_self_contained(html, page.name)
    dom = chromium(page, out / "profile", "--dump-dom")
    for expected in ("Catalog changes", "storage-plus", "USD 4.99", "USD 5.49",
                     'class="changed', "Before", "After", "history-rewrite"):
        if expected not in dom:
            raise SystemExit(f"the review page lacks {expected!r}")
    chromium(page, out / "profile", "--window-size=1200,1400",
             f"--screenshot={out / 'review.png'}")
    if (out / "review.png").stat().st_size < 10_000:
        raise SystemExit("the review screenshot is blank")
    print("HTML: the review page shows the change, both sides, highlighted lines, findings")


if __name__ == "__main__":
    sys.exit(main())
