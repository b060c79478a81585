"""Screenshots of the main screens for the README, taken from a real headless Chromium.

Usage (Odoo serving cluster_demo, e.g. `make run` in another terminal):
    make screenshots                      # or:
    python scripts/screenshots.py --url http://localhost:8069 --db cluster_demo

Each page is opened as the user who works there (admin in the backend, a member firm's
signatory or expert in the portal) and saved as docs/screenshots/<name>.png.
"""

import argparse
import pathlib
import sys

from playwright.sync_api import sync_playwright

OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# (file name, login, password, path, selector to wait for)
PAGES = [
    ("member_register", "admin", "admin",
     "/odoo/action-cluster_base.cluster_membership_action", ".o_kanban_view, .o_list_view"),
    ("membership_form", "admin", "admin",
     "/odoo/action-cluster_base.cluster_membership_action?view_type=list", ".o_list_view"),
    ("joint_project", "admin", "admin",
     "/odoo/action-cluster_projects.cluster_joint_project_action", ".o_view_controller"),
    ("agreements", "admin", "admin",
     "/odoo/action-cluster_consulting.cluster_agreement_action", ".o_view_controller"),
    ("hour_approval", "admin", "admin",
     "/odoo/action-cluster_consulting.cluster_hour_approval_action", ".o_view_controller"),
]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cluster_demo")
    parser.add_argument("--only", nargs="*", help="names of the pages to take")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    failed = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        sessions = {}
        for name, login, password, path, selector in PAGES:
            if args.only and name not in args.only:
                continue
            if login not in sessions:
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                page.goto(f"{args.url}/web/login?db={args.db}")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                sessions[login] = page
            page = sessions[login]
            page.goto(args.url + path)
            try:
                page.wait_for_selector(selector, timeout=20000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
            except Exception as exc:  # noqa: BLE001 - report and go on with the others
                print(f"{name}: {path} did not show {selector}: {exc}", file=sys.stderr)
                failed += 1
                continue
            target = OUT / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"{name}: {target}")
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
