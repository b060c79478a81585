"""Screenshots of the main screens for the README, taken from a real headless Chromium.

Usage (Odoo serving cluster_demo, e.g. `make run` in another terminal):
    make screenshots                      # or:
    python scripts/screenshots.py --url http://localhost:8069 --db cluster_demo

Each page is opened as the user who works there (admin in the backend, a member firm's
signatory or expert in the portal) and saved as docs/screenshots/<name>.png.
"""

import argparse
import pathlib
import re
import sys

from playwright.sync_api import sync_playwright

OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# (file name, login, password, path, selector to wait for); "{xmlid}" in a path is the
# database id of that record (demo data).
BACKEND = ("admin", "admin")
PAGES = [
    (
        "member_register",
        *BACKEND,
        "/odoo/action-cluster_base.cluster_membership_action",
        ".o_kanban_view, .o_list_view",
    ),
    (
        "membership",
        *BACKEND,
        "/odoo/action-cluster_base.cluster_membership_action/"
        "{cluster_base.cluster_membership_telemarknad_demo}",
        ".o_form_view",
    ),
    (
        "joint_project",
        *BACKEND,
        "/odoo/action-cluster_projects.project_project_action_joint/"
        "{cluster_projects.project_project_public_sector_demo}",
        ".o_form_view",
    ),
    (
        "funder_report",
        *BACKEND,
        "/odoo/action-cluster_projects.cluster_funder_report_action",
        ".o_form_view",
    ),
    (
        "agreement",
        *BACKEND,
        "/odoo/action-cluster_consulting.cluster_agreement_action/"
        "{cluster_consulting.cluster_agreement_active_demo}",
        ".o_form_view",
    ),
    (
        "hour_approval",
        *BACKEND,
        "/odoo/action-cluster_consulting.account_analytic_line_action_cluster_approval",
        ".o_list_view",
    ),
    (
        "settlement",
        *BACKEND,
        "/odoo/action-cluster_consulting.cluster_settlement_action/"
        "{cluster_consulting.cluster_settlement_settled_month_demo}",
        ".o_form_view",
    ),
    # the member portal: the lending firm's signatory (demo logins, login = password)
    ("portal_overview", "karin", "karin", "/my/cluster", "#cluster_overview_sections"),
    ("portal_agreements", "karin", "karin", "/my/cluster/agreements", ".o_portal_wrap"),
    (
        "portal_agreement",
        "karin",
        "karin",
        "/my/cluster/agreements/{cluster_consulting.cluster_agreement_requested_demo}",
        ".o_portal_wrap",
    ),
    ("portal_hours", "astrid", "astrid", "/my/cluster/hours", ".o_portal_wrap"),
    # the same firm seen by its expert and by a contact without a role: no money
    ("portal_overview_expert", "astrid", "astrid", "/my/cluster", ".o_portal_wrap"),
    ("portal_overview_contact", "nils", "nils", "/my/cluster", ".o_portal_wrap"),
    ("portal_experts", "karin", "karin", "/my/cluster/experts", ".o_portal_wrap"),
    # the members' directory and the firm's state aid (de minimis)
    ("portal_directory", "karin", "karin", "/my/cluster/members", ".o_portal_wrap"),
    ("portal_state_aid", "karin", "karin", "/my/cluster/state-aid", ".o_portal_wrap"),
    (
        "state_aid",
        *BACKEND,
        "/odoo/action-cluster_projects.cluster_state_aid_action",
        ".o_list_view",
    ),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def xmlid_to_id(page, url, xmlid):
    """The database id of a record from its XML id, asked as the logged-in user."""
    module, name = xmlid.split(".")
    response = page.request.post(
        f"{url}/web/dataset/call_kw",
        data={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "ir.model.data",
                "method": "search_read",
                "args": [[["module", "=", module], ["name", "=", name]], ["res_id"]],
                "kwargs": {},
            },
        },
    )
    rows = response.json().get("result") or []
    if not rows:
        raise LookupError(f"no record {xmlid}")
    return rows[0]["res_id"]


_pages = {}


def login_page(browser, args, login, password):
    """A browser page logged in as ``login`` (one per user, reused)."""
    if login not in _pages:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="sv-SE")
        # the portal's language comes from the frontend_lang cookie (the login page sets
        # the browser's otherwise): the demo is Swedish, so are its pictures
        context.add_cookies([{"name": "frontend_lang", "value": args.lang, "url": args.url}])
        page = context.new_page()
        page.goto(f"{args.url}/web/login?db={args.db}")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        # the first visit builds the asset bundles: give it time
        page.wait_for_selector(".o_main_navbar, .o_portal, #wrap", timeout=180000)
        _pages[login] = page
    return _pages[login]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cluster_demo")
    parser.add_argument("--only", nargs="*", help="names of the pages to take")
    parser.add_argument("--lang", default="sv_SE", help="the portal's language (cookie)")
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
                sessions[login] = login_page(browser, args, login, password)
            page = sessions[login]
            # XML ids are looked up as admin (portal users may not read ir.model.data)
            path = re.sub(
                r"\{([\w.]+)\}",
                lambda m: str(xmlid_to_id(login_page(browser, args, *BACKEND), args.url, m[1])),
                path,
            )
            page.goto(args.url + path)
            try:
                page.wait_for_selector(selector, timeout=60000)
                page.wait_for_timeout(1500)
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
