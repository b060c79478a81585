"""Portal load: distinct portal users log in and browse their firm's pages.

Run by ``make load`` (scripts/load.sh); by hand:

    LOAD_USERS_FILE=.run/load/users.json locust -f bench/load/locustfile.py --headless \
        -H http://127.0.0.1:8283 -u 50 -r 2 -t 120s

Every virtual user takes its own login from the users file (made by prepare.py), logs in
through /web/login with the form's CSRF token, then browses /my, /my/cluster and its
sub-pages with think time. Every body is checked: an HTTP error, an Odoo error page, a
lost session (the login form again) or another firm's name or number (isolation.py) is
a failure. Isolation findings are also written to ``LOAD_ISOLATION_OUT`` (JSON) at the
end.
"""

import itertools
import json
import os
import random
import re
import sys
import threading
import time

import gevent.event
from locust import HttpUser, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from isolation import FirmIndex, error_marker  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
LINK_RES = {
    "project": re.compile(r'href="/my/cluster/projects/(\d+)[?"]'),
    "agreement": re.compile(r'href="/my/cluster/agreements/(\d+)[?"]'),
}

with open(os.environ.get("LOAD_USERS_FILE", ".run/load/users.json"), encoding="utf-8") as fh:
    DATA = json.load(fh)
INDEX = FirmIndex(DATA["firms"], DATA["allowed"])
ACCOUNTS = itertools.cycle(DATA["users"])
THINK = [float(x) for x in os.environ.get("LOAD_THINK", "1,4").split(",")]
LOCK = threading.Lock()
# Login phase: every user logs in first (Odoo 18 hashes passwords with 600,000 PBKDF2
# rounds, so a login storm is CPU-bound); when the last one is in, the login figures are
# kept and locust's statistics are reset, so the tables show browsing only.
ALL_IN = gevent.event.Event()
TIMELINE = []
LOGIN_WAIT = float(os.environ.get("LOAD_LOGIN_WAIT", "240"))
STARTED = time.time()
FINDINGS = {
    "login_phase": None,
    "login_failures": 0,
    "checked_bodies": 0,
    "isolation_failures": 0,
    "error_pages": 0,
    "lost_sessions": 0,
    "probes": 0,
    "logins": 0,
    "examples": [],
}


def _note(kind, example=None):
    with LOCK:
        FINDINGS[kind] += 1
        if example and sum(1 for e in FINDINGS["examples"] if e.get("kind") == kind) < 5:
            FINDINGS["examples"].append({"kind": kind, **example})


@events.request.add_listener
def _timeline(name, response_time, exception=None, start_time=None, **_kw):
    """Every browsing request (after the logins) with its start, for the report's split
    between the time the money runs held workers and the rest."""
    if ALL_IN.is_set():
        TIMELINE.append(
            (round(start_time or time.time(), 3), name, round(response_time), not exception)
        )


@events.test_stop.add_listener
def _write_findings(environment, **_kw):
    out = os.environ.get("LOAD_ISOLATION_OUT")
    if out:
        FINDINGS.pop("_done", None)
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(FINDINGS, fh, indent=1, ensure_ascii=False)
        with open(out.replace(".json", "-timeline.json"), "w", encoding="utf-8") as fh:
            json.dump(TIMELINE, fh)


class PortalUser(HttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        with LOCK:
            self.account = next(ACCOUNTS)
        self.firm_id = self.account["firm_id"]
        self.ids = {"project": [], "agreement": []}
        if not self.login():
            _note("login_failures", {"user": self.account["login"], "url": "/web/login"})
        self._login_done()
        ALL_IN.wait(timeout=LOGIN_WAIT)
        # people do not click in lockstep: a random start after the last login (50
        # simultaneous connections would overflow Odoo's listen backlog of 8 per worker)
        gevent.sleep(random.uniform(0, THINK[1]))

    def _login_done(self):
        runner = self.environment.runner
        with LOCK:
            FINDINGS.setdefault("_done", 0)
            FINDINGS["_done"] += 1
            if FINDINGS["_done"] < (runner.target_user_count or 1) or ALL_IN.is_set():
                return
            stats = runner.stats
            phase = {"seconds": round(time.time() - STARTED, 1), "users": FINDINGS["_done"]}
            for name in ("/web/login (form)", "/web/login (post)"):
                for method in ("GET", "POST"):
                    entry = stats.entries.get((name, method))
                    if entry and entry.num_requests:
                        phase[f"{method} {name}"] = {
                            "requests": entry.num_requests,
                            "failures": entry.num_failures,
                            "p50": entry.get_response_time_percentile(0.5),
                            "p95": entry.get_response_time_percentile(0.95),
                            "p99": entry.get_response_time_percentile(0.99),
                            "max": round(entry.max_response_time),
                        }
            FINDINGS["login_phase"] = phase
            stats.reset_all()
        ALL_IN.set()
        flag = os.environ.get("LOAD_LOGGED_IN_FILE")
        if flag:  # tells scripts/load.sh to start the settlement and fee runs
            with open(flag, "w", encoding="ascii") as fh:
                fh.write(str(time.time()))

    def login(self):
        login = self.account["login"]
        with self.client.get("/web/login", name="/web/login (form)", catch_response=True) as r:
            match = CSRF_RE.search(r.text or "")
            if r.status_code != 200 or not match:
                r.failure(f"login form without CSRF token ({r.status_code})")
                return False
        with self.client.post(
            "/web/login",
            data={
                "login": login,
                "password": login,
                "csrf_token": match.group(1),
                "redirect": "/my",
            },
            name="/web/login (post)",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code not in (302, 303) or "/web/login" in (
                r.headers.get("Location") or ""
            ):
                r.failure(f"login of {login} refused ({r.status_code})")
                return False
            _note("logins")
            return True

    def page(self, url, name=None, expect_redirect=False):
        """GET ``url`` and check the body; returns the body (or '')."""
        with self.client.get(
            url, name=name or url, allow_redirects=False, catch_response=True
        ) as r:
            body = r.text or ""
            _note("checked_bodies")
            if expect_redirect:
                # another firm's record: the answer must be a redirect, nothing of it
                _note("probes")
                if r.status_code not in (302, 303):
                    r.failure(f"probe {url} answered {r.status_code}, not a redirect")
            elif r.status_code in (302, 303) and "/web/login" in (r.headers.get("Location") or ""):
                _note("lost_sessions", {"user": self.account["login"], "url": url})
                r.failure("session lost (redirected to the login)")
                self.login()
                return ""
            elif r.status_code != 200:
                r.failure(
                    f"HTTP {r.status_code}" if r.status_code else "connection error (no answer)"
                )
                return ""
            marker = error_marker(body)
            if marker:
                _note("error_pages", {"user": self.account["login"], "url": url, "marker": marker})
                r.failure(f"error page ({marker})")
                return ""
            if 'class="oe_login_form' in body:
                _note("lost_sessions", {"user": self.account["login"], "url": url})
                r.failure("login form instead of the page")
                self.login()
                return ""
            leaks = INDEX.leaks(self.firm_id, body, self.account.get("allowed"))
            if leaks:
                _note(
                    "isolation_failures",
                    {
                        "user": self.account["login"],
                        "firm": DATA["firms"][str(self.firm_id)]["name"],
                        "url": url,
                        "seen": [seen for _firm, seen in leaks[:5]],
                    },
                )
                r.failure(f"another firm's data: {leaks[0][1]}")
            return body

    def list_and_remember(self, url, kind):
        body = self.page(url)
        ids = LINK_RES[kind].findall(body)
        if ids:
            self.ids[kind] = sorted(set(ids))

    @task(2)
    def home(self):
        self.page("/my")

    @task(3)
    def overview(self):
        self.page("/my/cluster")

    @task(1)
    def membership(self):
        # a signatory's page: an expert is sent back to /my, and sees nothing of it
        self.page("/my/cluster/membership", expect_redirect=not self.account.get("signatory"))

    @task(2)
    def projects(self):
        self.list_and_remember("/my/cluster/projects", "project")

    @task(2)
    def project(self):
        if self.ids["project"]:
            pid = random.choice(self.ids["project"])
            self.page(f"/my/cluster/projects/{pid}", name="/my/cluster/projects/[id]")
        else:
            self.list_and_remember("/my/cluster/projects", "project")

    @task(2)
    def agreements(self):
        self.list_and_remember("/my/cluster/agreements", "agreement")

    @task(2)
    def agreement(self):
        if self.ids["agreement"]:
            aid = random.choice(self.ids["agreement"])
            self.page(f"/my/cluster/agreements/{aid}", name="/my/cluster/agreements/[id]")
        else:
            self.list_and_remember("/my/cluster/agreements", "agreement")

    @task(1)
    def experts(self):
        self.page("/my/cluster/experts")

    @task(2)
    def hours(self):
        self.page("/my/cluster/hours")

    @task(1)
    def statements(self):
        self.page("/my/cluster/statements", expect_redirect=not self.account.get("signatory"))

    @task(1)
    def probe_foreign_agreement(self):
        """Ask for an agreement of firms this user's firm has nothing to do with."""
        foreign = DATA["foreign_agreements"].get(str(self.firm_id)) or []
        if foreign:
            self.page(
                f"/my/cluster/agreements/{random.choice(foreign)}",
                name="/my/cluster/agreements/[other firm's id]",
                expect_redirect=True,
            )
