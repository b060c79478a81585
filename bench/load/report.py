"""Write bench/load-results.md from one `make load` run's files (.run/load/).

    python bench/load/report.py RUN_DIR OUT.md DB USERS SECONDS WORKERS THINK

Exits non-zero when the run found an isolation failure, an HTTP error, an error page, a
lost session, a failed login or a problem of the concurrent money runs.
"""

import csv
import json
import os
import re
import statistics
import sys
from datetime import datetime, timezone
from types import SimpleNamespace

import psycopg2

REQUEST_RE = re.compile(
    r'werkzeug: \S+ - - \[[^\]]+\] "(\w+) (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)


def load_json(path, default=None):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        return default


def route(path):
    path = path.split("?", 1)[0]
    if path.startswith("/web/assets/"):
        return "/web/assets/*"
    return re.sub(r"/\d+(?=/|$)", "/[id]", path)


def server_stats(log_path):
    """Per route from Odoo's request log: count, queries, SQL and Python seconds."""
    rows = {}
    try:
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                match = REQUEST_RE.search(line)
                if not match:
                    continue
                method, path, _status, queries, sql, other = match.groups()
                key = f"{method} {route(path)}"
                row = rows.setdefault(key, {"n": 0, "queries": [], "sql": [], "python": []})
                row["n"] += 1
                row["queries"].append(int(queries))
                row["sql"].append(float(sql))
                row["python"].append(float(other))
    except FileNotFoundError:
        pass
    return rows


def db_figures(db):
    queries = {
        "firms (members)": "SELECT count(*) FROM cluster_membership",
        "portal users": "SELECT count(*) FROM res_users WHERE share AND active",
        "agreements": "SELECT count(*) FROM cluster_agreement",
        "agreement hours": "SELECT count(*) FROM account_analytic_line "
        "WHERE agreement_id IS NOT NULL",
        "analytic lines": "SELECT count(*) FROM account_analytic_line",
        "joint projects": "SELECT count(*) FROM project_project WHERE is_joint_project",
        "journal entries": "SELECT count(*) FROM account_move",
    }
    conn = psycopg2.connect(dbname=db)
    cr = conn.cursor()
    result = {}
    for label, query in queries.items():
        try:
            cr.execute(query)
            result[label] = cr.fetchone()[0]
        except psycopg2.Error:
            conn.rollback()
    cr.execute("SELECT pg_size_pretty(pg_database_size(%s))", (db,))
    result["database size"] = cr.fetchone()[0]
    conn.close()
    return result


def fmt_ms(value):
    try:
        return f"{float(value):,.0f}"
    except (TypeError, ValueError):
        return "–"


def read_text(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except FileNotFoundError:
        return ""


def read_csv(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        return []


def read_run(run_dir, db):
    """Every file of the run, as one namespace."""
    uptime = {
        w: read_text(os.path.join(run_dir, f"uptime-{w}.txt")) or "?" for w in ("before", "after")
    }
    stats = read_csv(os.path.join(run_dir, "locust_stats.csv"))
    total = next((r for r in stats if r["Name"] == "Aggregated"), None)
    return SimpleNamespace(
        total=total,
        pages=[r for r in stats if r["Name"] != "Aggregated"],
        n_requests=int(total["Request Count"]) if total else 0,
        n_failures=int(total["Failure Count"]) if total else 0,
        failures=read_csv(os.path.join(run_dir, "locust_failures.csv")),
        iso=load_json(os.path.join(run_dir, "isolation.json"), {}),
        timeline=load_json(os.path.join(run_dir, "isolation-timeline.json"), []),
        sample=load_json(os.path.join(run_dir, "sample.json"), {}),
        runs=load_json(os.path.join(run_dir, "concurrent.json")),
        checks=load_json(os.path.join(run_dir, "concurrent-checks.json")),
        n_firms=len(load_json(os.path.join(run_dir, "users.json"), {}).get("firms", {})),
        uptime=uptime,
        locust_start=float(read_text(os.path.join(run_dir, "locust.start")) or 0),
        spawn_rate=float(os.environ.get("LOAD_SPAWN_RATE", "5")),
        figures=db_figures(db),
        server=server_stats(os.path.join(run_dir, "odoo.log")),
        job_host=read_text(os.path.join(run_dir, "job-host.txt")),
    )


def header(r, db, users, seconds, workers, think):
    when = datetime.fromtimestamp(r.locust_start, timezone.utc) if r.locust_start else None
    now = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    s = r.sample
    figures = ", ".join(
        f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in r.figures.items()
    )
    return [
        "# Portal load: portal users, prefork workers and the money runs at once",
        "",
        f"Measured {now} with `LOAD_DB={db} LOAD_USERS={users} LOAD_TIME={seconds}s make load` "
        f"on {s.get('cores', '?')} shared cores: Odoo 18.0 with `--workers={workers} "
        "--max-cron-threads=1` (prefork, gevent port for websockets), locust on 127.0.0.1, "
        f"{users} distinct portal users (each logs in with the form's CSRF token, then "
        f"browses /my, /my/cluster and its sub-pages with {think.replace(',', '–')} s of "
        "think time), stops by itself.",
        "",
        (
            f"Jobs: {r.job_host}"
            if r.job_host
            else "Jobs: run by queue_job's runner of this server, in its HTTP workers "
            "(one host; `LOAD_JOB_HOST=0`)."
        ),
        "",
        f"Database: {figures}.",
        "",
        f"Machine load: before `{r.uptime['before']}`; after `{r.uptime['after']}`; during the "
        f"run load average mean {s.get('load_avg_mean', '?')}, max {s.get('load_avg_max', '?')}, "
        f"the cores {round(100 * s.get('machine_busy_share', 0))} % busy.",
    ]


def latency(r):
    t = r.total or {}
    lines = [
        "",
        "## Throughput and latency (client side, locust)",
        "",
        f"**{float(t.get('Requests/s', 0)):.1f} requests/s** overall, {r.n_requests:,} "
        f"requests, **{r.n_failures} failed** (p50 {fmt_ms(t.get('50%'))} ms, p95 "
        f"{fmt_ms(t.get('95%'))} ms, p99 {fmt_ms(t.get('99%'))} ms).",
        "",
        "| page | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    shown = [x for x in r.pages if int(x["Request Count"])]
    for row in sorted(shown, key=lambda x: x["Name"]) + ([r.total] if r.total else []):
        name = "**all**" if row["Name"] == "Aggregated" else f"`{row['Type']} {row['Name']}`"
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.2f} | {fmt_ms(row['50%'])} | {fmt_ms(row['95%'])} | "
            f"{fmt_ms(row['99%'])} | {fmt_ms(row['Max Response Time'])} |"
        )
    phase = r.iso.get("login_phase")
    if phase:
        post = phase.get("POST /web/login (post)", {})
        lines += [
            "",
            f"Before that, the login storm: the {phase['users']} users started within "
            f"{int(phase['users']) / max(r.spawn_rate, 0.1):.0f} s and were all logged in after "
            f"{phase['seconds']} s; the login POST took p50 {fmt_ms(post.get('p50'))} ms, p95 "
            f"{fmt_ms(post.get('p95'))} ms, max {fmt_ms(post.get('max'))} ms "
            f"({post.get('failures', 0)} failed). Its figures are kept apart: Odoo 18 hashes "
            "passwords with 600,000 PBKDF2-SHA512 rounds, so a login costs far more CPU than "
            "a page, and a portal user keeps the session for days. The table above is the "
            "browsing after the last login.",
        ]
    else:
        lines += ["", "Not every user was logged in before the end: the table includes logins."]
    if r.failures:
        lines += ["", "Failures:", ""]
        lines += [
            f"- `{f['Method']} {f['Name']}`: {f['Error']} × {f['Occurrences']}" for f in r.failures
        ]
    return lines


def server(r):
    lines = [
        "",
        "## Where the server time goes (Odoo's request log)",
        "",
        "Per request as Odoo logs it: SQL queries, time in PostgreSQL (query time) and the "
        "rest (Python: ORM, QWeb rendering, the worker).",
        "",
        "| route | requests | queries (mean) | SQL ms (mean) | Python ms (mean) | "
        "server ms p95 |",
        "|---|---|---|---|---|---|",
    ]
    portal_sql = portal_py = 0.0
    for key, row in sorted(r.server.items(), key=lambda kv: -kv[1]["n"]):
        if key.startswith("GET /web/assets") or row["n"] < 3:
            continue
        totals = sorted(s + p for s, p in zip(row["sql"], row["python"], strict=True))
        p95 = totals[min(len(totals) - 1, int(0.95 * len(totals)))]
        lines.append(
            f"| `{key}` | {row['n']:,} | {statistics.mean(row['queries']):.0f} | "
            f"{1000 * statistics.mean(row['sql']):.0f} | "
            f"{1000 * statistics.mean(row['python']):.0f} | {1000 * p95:.0f} |"
        )
        if key.startswith("GET /my"):
            portal_sql += sum(row["sql"])
            portal_py += sum(row["python"])
    share = portal_sql / (portal_sql + portal_py) if portal_sql + portal_py else 0
    cpu = r.sample.get("cpu_seconds", {})
    per_request = ""
    if r.n_requests and isinstance(cpu.get("odoo"), int | float):
        per_request = (
            f"; per request: Odoo {1000 * cpu['odoo'] / r.n_requests:.0f} ms, PostgreSQL "
            f"{1000 * cpu['postgres'] / r.n_requests:.0f} ms"
        )
    lines += [
        "",
        f"Portal pages (`GET /my...`): {100 * share:.0f} % of the server time is in "
        f"PostgreSQL, {100 * (1 - share):.0f} % in Python.",
        "",
        "CPU over the run (seconds of one core, from /proc): "
        f"Odoo processes {cpu.get('odoo', '?')}"
        + (f" (job host {cpu.get('jobs', '?')})" if r.job_host else "")
        + f", PostgreSQL backends of the database "
        f"{cpu.get('postgres', '?')}, locust {cpu.get('locust', '?')}, everything else on the "
        f"machine (other work sharing the cores) {r.sample.get('cpu_seconds_other', '?')}"
        f"{per_request}. Peak memory (RSS) of the Odoo processes: "
        f"{r.sample.get('odoo_peak_rss_mib', '?')} MiB. TCP listen-queue overflows / drops "
        f"on the machine during the run: {r.sample.get('listen_overflows', '?')}.",
    ]
    return lines


def isolation(r):
    iso = r.iso
    lines = [
        "",
        "## Isolation under load",
        "",
        f"Every body was checked for the names and organisation/VAT numbers of the {r.n_firms} "
        "firms of the database (a firm may see itself and the other party of its own "
        "agreements), for Odoo error pages and for the login form (a lost session); each user "
        "also asked for agreements of firms it has nothing to do with, by id.",
        "",
        "| check | count |",
        "|---|---|",
        f"| logins (distinct portal users) | {iso.get('logins', 0)} |",
        f"| first logins that did not get through (logged in again later) | "
        f"{iso.get('login_failures', 0)} |",
        f"| bodies checked | {iso.get('checked_bodies', 0):,} |",
        f"| **another firm's name or number in a body** | **{iso.get('isolation_failures', 0)}** |",
        f"| other firms' agreements asked for by id (must redirect) | {iso.get('probes', 0):,} |",
        f"| Odoo error pages | {iso.get('error_pages', 0)} |",
        f"| sessions lost after a successful login | {iso.get('lost_sessions', 0)} |",
        f"| HTTP errors and other failures (locust) | {r.n_failures} |",
    ]
    if iso.get("examples"):
        lines += ["", "Examples:", ""]
        lines += [f"- `{json.dumps(e, ensure_ascii=False)}`" for e in iso["examples"][:10]]
    return lines


def money(r):
    lines = []
    if r.runs:
        period = r.runs["period"]
        lines += [
            "",
            "## Settlement and fee runs during the load",
            "",
            f"Started {r.runs.get('started_at', 0) - r.locust_start:.0f} s into the load "
            "(while every user browses), at the same instant, over XML-RPC as "
            f"the administrator ({'enqueued as jobs, run on the job host' if r.job_host else 'enqueued as jobs, run in the same HTTP workers as the portal'}): two settlement runs "
            f"of the same period {period['date_from']} – {period['date_to']} "
            f"({period['unbilled_lines']:,} approved hours not yet billed, "
            f"{period['unbilled_hours']:,.1f} h), each finding or creating the period's run "
            "then running it, and the annual fee run."
            + (
                f" Before them, the administrator approved the {r.runs['approved_first']['lines']:,} "
                f"submitted hours of {r.runs['approved_first']['month'][:7]} "
                f"({r.runs['approved_first']['seconds']} s), as at month end, so that there "
                "is a month to settle."
                if r.runs.get("approved_first")
                else ""
            ),
            "",
            "| run | outcome | seconds | result |",
            "|---|---|---|---|",
        ]
        for entry in r.runs["runs"]:
            detail = entry.get("result") or entry.get("message", "")
            lines.append(
                f"| {entry['name']} | {entry['outcome']} | {entry['seconds']} | "
                f"`{json.dumps(detail, ensure_ascii=False)}` |"
            )
    c = r.checks
    if c:
        log = c.get("log", {})
        lines += [
            "",
            "Checks afterwards (SQL and the Odoo log):",
            "",
            f"- settlements covering the period: {c['settlements_for_period']} (must be 1)",
            f"- settlement runs that turned hours into documents (their chatter message): "
            f"{c.get('runs_that_billed_hours', '?')} (at most 1)",
            f"- hour lines on the period's documents: {c['hour_document_lines']}; lines whose "
            "quantity differs from the hours linked to them (a duplicate document): "
            f"{c['hour_lines_not_matching_linked_hours']}; agreements billed on two lines: "
            f"{c['agreements_on_two_bill_lines']}",
            f"- approved hours of the period left unbilled: {c['approved_hours_left_unbilled']}",
            f"- annual fees: {c['fee_lines_of_year']} live fee lines for "
            f"{c['members_with_fee_of_year']} members in {c['fee_year']}; members with two "
            f"live fees for one year: {c['fee_duplicates_member_year']}",
            f"- Odoo log: deadlocks {log.get('deadlock')}, serialization retries "
            f"{log.get('serialization_retry')}, ERROR/CRITICAL lines {log.get('error_lines')}, "
            f"tracebacks {log.get('tracebacks')}, workers killed by a limit "
            f"{log.get('worker_killed')}, connections that sent no request within the "
            f"worker's 2 s socket timeout {log.get('socket_timeouts', '?')} (the client's "
            "connection errors above)",
            f"- **problems: {', '.join(c['problems']) or 'none'}**",
        ]
        if c.get("log_examples"):
            lines += ["", "Log lines:", ""] + [f"    {e}" for e in c["log_examples"]]
    return lines


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else None


def windows(r):
    """Browsing requests split: while the money runs held workers, and the rest."""
    if not r.timeline or not r.runs:
        return []
    start = r.runs.get("started_at", 0)
    end = start + max((e["seconds"] for e in r.runs["runs"]), default=0)
    first = min(t[0] for t in r.timeline)
    last = max(t[0] for t in r.timeline)
    parts = {
        "while the money runs ran": [t for t in r.timeline if start <= t[0] <= end],
        "the rest of the browsing": [t for t in r.timeline if not start <= t[0] <= end],
    }
    spans = {
        "while the money runs ran": max(min(end, last) - start, 1),
        "the rest of the browsing": max((last - first) - (min(end, last) - start), 1),
    }
    lines = [
        "",
        f"Split in time: the settlement and fee runs held workers for {end - start:.0f} s "
        "(section below):",
        "",
        "| browsing | requests | req/s | failed | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, rows in parts.items():
        times = [t[2] for t in rows]
        lines.append(
            f"| {label} | {len(rows):,} | {len(rows) / spans[label]:.1f} | "
            f"{sum(1 for t in rows if not t[3])} | {fmt_ms(pct(times, 0.5))} | "
            f"{fmt_ms(pct(times, 0.95))} | {fmt_ms(pct(times, 0.99))} |"
        )
    return lines


def problems_of(r, users):
    problems = list((r.checks or {}).get("problems", []))
    if r.iso.get("isolation_failures"):
        problems.append("isolation failures")
    if r.n_failures or r.iso.get("error_pages") or r.iso.get("lost_sessions"):
        problems.append("failed requests")
    if r.iso.get("logins", 0) < int(users) or r.iso.get("login_failures"):
        problems.append("not every user logged in")
    return problems


def main():
    run_dir, out, db, users, seconds, workers, think = sys.argv[1:8]
    r = read_run(run_dir, db)
    lines = (
        header(r, db, users, seconds, workers, think)
        + latency(r)
        + windows(r)
        + server(r)
        + isolation(r)
        + money(r)
        + [""]
    )
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    problems = problems_of(r, users)
    print(f"[load] wrote {out}: {problems or 'no problem'}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
