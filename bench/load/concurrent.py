"""Money runs during the portal load, as the administrator clicks them, and their checks.

    python bench/load/concurrent.py run URL DB OUT.json
    python bench/load/concurrent.py verify DB RUN.json ODOO_LOG OUT.json

``run`` (over XML-RPC, so through the same HTTP workers as the portal users):

* two settlement runs of the SAME period at the same instant, from two threads (two
  requests, two worker processes), each the way a manager does it: find the run of the
  period or create it, then click *Run settlement* (``action_run_job``: it enqueues the
  run as a queue_job job and answers at once), then wait for the job (the settlement's
  ``cluster_job_state``) as the form shows it. The period is the month with the most
  approved hours not yet on a vendor bill (if none has any, the submitted hours of one
  month are approved first, as at month end). Exactly one may create documents; the other
  must stop with a clean message (hours locked, or an overlapping period) or find
  nothing left to settle;
* the yearly fee run (``cluster.fee.run`` wizard, ``action_run_job``: a job too, its
  state on the run's ``cluster.job.request``) of the first year from this one with
  members still to invoice.

Each result gives the seconds until the button answered, the seconds until the job ran
(queued, behind the other money run on the capacity-1 channel) and the job's state.

``verify`` (SQL, after the load): at most one settlement for the period; every hour
document line carries exactly the hours linked to it (a duplicate document would carry
hours no hour points at); no approved hour of the period left unbilled by a successful
run; at most one live annual fee per member and year; and the Odoo log has no deadlock,
no ERROR/CRITICAL line and no traceback.
"""

import json
import os
import re
import sys
import threading
import time
import xmlrpc.client
from datetime import date, timedelta

import psycopg2

ADMIN_LOGIN = os.environ.get("LOAD_ADMIN_LOGIN", "admin")
ADMIN_PASSWORD = os.environ.get("LOAD_ADMIN_PASSWORD", "admin")


def month_bounds(first):
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1)


def pick_period(cr):
    cr.execute(
        """
        SELECT date_trunc('month', line.date)::date, count(*), sum(line.unit_amount)
          FROM account_analytic_line line
         WHERE line.agreement_id IS NOT NULL
           AND line.cluster_hour_state = 'approved'
           AND NOT EXISTS (SELECT 1 FROM cluster_hour_link link
                            WHERE link.hour_id = line.id AND link.kind = 'bill')
         GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1
        """
    )
    row = cr.fetchone()
    if row:
        first, lines, hours = row
    else:
        first, lines, hours = date.today().replace(day=1), 0, 0.0
    date_from, date_to = month_bounds(first)
    return {
        "date_from": str(date_from),
        "date_to": str(date_to),
        "unbilled_lines": lines,
        "unbilled_hours": float(hours or 0),
    }


class Admin:
    def __init__(self, url, db):
        self.url, self.db = url, db
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, ADMIN_LOGIN, ADMIN_PASSWORD, {})
        if not self.uid:
            raise SystemExit(f"admin login {ADMIN_LOGIN!r} refused on {db}")

    def call(self, model, method, *args, **kw):
        # a proxy per call: xmlrpc.client proxies are not thread-safe
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(
            self.db, self.uid, ADMIN_PASSWORD, model, method, list(args), kw or {}
        )


def timed(name, results, barrier, func):
    def run():
        barrier.wait()
        start = time.time()
        entry = {"name": name, "start": start}
        try:
            entry["result"] = func()
            entry["outcome"] = "ok"
        except xmlrpc.client.Fault as fault:
            message = (fault.faultString or "").strip().splitlines()
            entry["outcome"] = "refused"
            entry["message"] = message[-1] if message else str(fault.faultCode)
        except Exception as error:  # noqa: BLE001 - the report says what failed
            entry["outcome"] = "error"
            entry["message"] = repr(error)
        entry["seconds"] = round(time.time() - start, 2)
        results.append(entry)

    return threading.Thread(target=run, name=name)


JOB_TIMEOUT = int(os.environ.get("LOAD_JOB_TIMEOUT", "600"))
WARM_PAUSE = 10  # seconds between the admin's warm-up calls and the runs


def wait_for_job(admin, model, record_id, started):
    """Poll the record's job state (as its form shows it) until the job ended."""
    answered = round(time.time() - started, 2)
    running_at = None
    while time.time() - started < JOB_TIMEOUT:
        [values] = admin.call(
            model, "read", [record_id], ["cluster_job_state", "cluster_job_error"]
        )
        state = values["cluster_job_state"]
        if state == "running" and running_at is None:
            running_at = round(time.time() - started, 2)
        if state in ("done", "failed", "cancelled"):
            return {
                "button_seconds": answered,
                "job_started_after": running_at,
                "job_state": state,
                "job_error": values["cluster_job_error"] or None,
                "job_done_after": round(time.time() - started, 2),
            }
        time.sleep(1)
    return {"button_seconds": answered, "job_state": "timeout", "job_started_after": running_at}


def settle(admin, period):
    def run():
        domain = [
            ("date_from", "<=", period["date_to"]),
            ("date_to", ">=", period["date_from"]),
        ]
        found = admin.call("cluster.settlement", "search", domain, limit=1)
        if found:
            settlement_id, how = found[0], "found"
        else:
            try:
                settlement_id = admin.call(
                    "cluster.settlement",
                    "create",
                    {"date_from": period["date_from"], "date_to": period["date_to"]},
                )
                how = "created"
            except xmlrpc.client.Fault:
                # the other run created it first: the overlap check refused ours
                found = admin.call("cluster.settlement", "search", domain, limit=1)
                if not found:
                    raise
                settlement_id, how = found[0], "found after overlap"
        clicked = time.time()
        action = admin.call("cluster.settlement", "action_run_job", [settlement_id])
        job = wait_for_job(admin, "cluster.settlement", settlement_id, clicked)
        if job["job_state"] != "done":
            raise RuntimeError(f"settlement job {job['job_state']}: {job.get('job_error')}")
        after = admin.call(
            "account.move", "search_count", [("cluster_settlement_id", "=", settlement_id)]
        )
        # which run made the hour documents: the chatter (verify) says, counting is racy;
        # the second click finds the first one's job queued or running and waits for it
        return {
            "settlement_id": settlement_id,
            "how": how,
            "button": ((action or {}).get("params") or {}).get("message"),
            "documents_of_the_run": after,
            **job,
        }

    return run


def fee_run(admin):
    def run():
        # the first year from this one with members still to invoice (a database that a
        # previous load run already invoiced moves on to the next year)
        this_year = date.today().year
        for year in range(this_year, this_year + 10):
            wizard = admin.call("cluster.fee.run", "create", {"year": year})
            [values] = admin.call("cluster.fee.run", "read", [wizard], ["candidate_count"])
            candidates = values["candidate_count"]
            if candidates:
                break
        before = admin.call("account.move", "search_count", [("cluster_move_kind", "=", "fee")])
        clicked = time.time()
        action = admin.call("cluster.fee.run", "action_run_job", [wizard])
        job = wait_for_job(admin, "cluster.job.request", action["res_id"], clicked)
        if job["job_state"] != "done":
            raise RuntimeError(f"fee run job {job['job_state']}: {job.get('job_error')}")
        after = admin.call("account.move", "search_count", [("cluster_move_kind", "=", "fee")])
        return {
            "year": year,
            "candidates": candidates,
            "new_invoices": after - before,
            "request_id": action["res_id"],
            **job,
        }

    return run


def approve_a_month(admin, cr):
    """When no month has approved hours left to settle (a database that earlier runs
    settled), approve the submitted hours of the month with the most of them, as the
    cluster manager does at month end; before the concurrent part, timed on its own."""
    cr.execute(
        """
        SELECT date_trunc('month', date)::date, array_agg(id ORDER BY id)
          FROM account_analytic_line
         WHERE agreement_id IS NOT NULL AND cluster_hour_state = 'submitted'
         GROUP BY 1 ORDER BY count(*) DESC LIMIT 1
        """
    )
    row = cr.fetchone()
    if not row:
        return None
    start = time.time()
    admin.call("account.analytic.line", "action_cluster_approve", row[1])
    return {"month": str(row[0]), "lines": len(row[1]), "seconds": round(time.time() - start, 2)}


def cmd_run(url, db, out):
    admin = Admin(url, db)
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    period = pick_period(conn.cursor())
    approved = None
    if not period["unbilled_lines"]:
        approved = approve_a_month(admin, conn.cursor())
        period = pick_period(conn.cursor())
    conn.close()
    # An accountant who presses the button is already logged in. Over XML-RPC the admin's
    # password is checked once per portal worker (600,000 PBKDF2 rounds, 0.4 s of a
    # worker): do that here, then wait, so the window measured around the runs (from 5 s
    # before them) holds the money runs and not the harness's logins.
    for _ in range(8):
        admin.call("res.users", "read", [admin.uid], ["id"])
    time.sleep(WARM_PAUSE)
    results = []
    barrier = threading.Barrier(3)
    threads = [
        timed("settlement run A", results, barrier, settle(admin, period)),
        timed("settlement run B", results, barrier, settle(admin, period)),
        timed("annual fee run", results, barrier, fee_run(admin)),
    ]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for entry in results:
        entry["start_offset"] = round(entry.pop("start") - started, 2)
    data = {
        "started_at": started,
        "approved_first": approved,
        "period": period,
        "runs": sorted(results, key=lambda e: e["name"]),
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, default=str)
    for entry in data["runs"]:
        print(
            f"[load] {entry['name']}: {entry['outcome']} in {entry['seconds']} s", file=sys.stderr
        )


def one(cr, query, *args):
    cr.execute(query, args)
    return cr.fetchone()


LOG_PATTERNS = {
    "deadlock": re.compile(r"deadlock detected", re.I),
    "serialization_retry": re.compile(r"could not serialize access|SerializationFailure"),
    "error_lines": re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) "),
    "tracebacks": re.compile(r"^Traceback \(most recent call last\)"),
    "worker_killed": re.compile(r"(virtual|CPU) (real )?time limit|reached, killing|memory limit"),
}
RETRIED = re.compile(r"^ERROR: could not serialize access")


def scan_log(path):
    """Counts of the log's worrying lines. A failed query that is a serialization failure
    (two transactions wrote one row; Odoo rolls back and retries the request) is logged by
    Odoo as an ERROR "bad query" line: counted as a retry, not as an error."""
    counts = {key: 0 for key in LOG_PATTERNS}
    examples = []
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return {"missing_log": 1}, []
    counts["socket_timeouts"] = 0
    for i, line in enumerate(lines):
        if "bad query" in line and i + 1 < len(lines) and RETRIED.match(lines[i + 1]):
            continue  # counted by the next line as a serialization retry
        if "Request timed out: TimeoutError" in line:
            # a worker accepted a connection whose request did not arrive within its 2 s
            # socket timeout: the client sees a connection error, counted there
            counts["socket_timeouts"] += 1
            continue
        for key, pattern in LOG_PATTERNS.items():
            if pattern.search(line):
                counts[key] += 1
                if key != "serialization_retry" and len(examples) < 10:
                    examples.append(line.strip()[:300])
    return counts, examples


def cmd_verify(db, run_file, log_file, out):
    with open(run_file, encoding="utf-8") as fh:
        run = json.load(fh)
    period = run["period"]
    conn = psycopg2.connect(dbname=db)
    cr = conn.cursor()
    cr.execute(
        "SELECT id FROM cluster_settlement WHERE date_from <= %s AND date_to >= %s",
        (period["date_to"], period["date_from"]),
    )
    settlement_ids = [r[0] for r in cr.fetchall()]
    (hour_product,) = one(
        cr,
        "SELECT res_id FROM ir_model_data WHERE module = 'cluster_consulting' "
        "AND name = 'product_product_cluster_expert_time'",
    )
    cr.execute(
        """
        SELECT aml.id, move.move_type, aml.quantity,
               COALESCE((SELECT sum(h.unit_amount) FROM cluster_hour_link link
                           JOIN account_analytic_line h ON h.id = link.hour_id
                          WHERE link.move_line_id = aml.id), 0)
          FROM account_move_line aml
          JOIN account_move move ON move.id = aml.move_id
         WHERE move.cluster_settlement_id = ANY(%s) AND aml.product_id = %s
           AND move.state <> 'cancel'
        """,
        (settlement_ids, hour_product),
    )
    lines = cr.fetchall()
    mismatched = [r for r in lines if abs(float(r[2]) - float(r[3])) > 0.005]
    (unbilled,) = one(
        cr,
        """
        SELECT count(*) FROM account_analytic_line h
         WHERE agreement_id IS NOT NULL AND cluster_hour_state = 'approved'
           AND NOT EXISTS (SELECT 1 FROM cluster_hour_link link
                            WHERE link.hour_id = h.id AND link.kind = 'bill')
           AND date BETWEEN %s AND %s
        """,
        period["date_from"],
        period["date_to"],
    )
    # each run that turned hours into documents posts "N documents created for H hours"
    (runs_that_billed,) = one(
        cr,
        """
        SELECT count(*) FROM mail_message
         WHERE model = 'cluster.settlement' AND res_id = ANY(%s)
           AND body::text LIKE '%%documents created for%%'
           AND date >= to_timestamp(%s) AT TIME ZONE 'UTC'
        """,
        settlement_ids,
        run["started_at"] - 5,
    )
    (agreements_twice,) = one(
        cr,
        """
        SELECT count(*) FROM (
            SELECT h.agreement_id FROM account_analytic_line h
              JOIN cluster_hour_link link ON link.hour_id = h.id AND link.kind = 'bill'
              JOIN account_move_line aml ON aml.id = link.move_line_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE move.cluster_settlement_id = ANY(%s)
             GROUP BY h.agreement_id HAVING count(DISTINCT aml.id) > 1) t
        """,
        settlement_ids,
    )
    (fee_duplicates,) = one(
        cr,
        """
        SELECT count(*) FROM (
            SELECT cluster_membership_id, cluster_fee_year FROM membership_membership_line
             WHERE cluster_membership_id IS NOT NULL AND date_cancel IS NULL
             GROUP BY 1, 2 HAVING count(*) > 1) t
        """,
    )
    fee = next((r for r in run["runs"] if r["name"] == "annual fee run"), {})
    year = (fee.get("result") or {}).get("year")
    fee_invoices_year = None
    members_invoiced = None
    if year:
        fee_invoices_year, members_invoiced = one(
            cr,
            """
            SELECT count(*), count(DISTINCT l.cluster_membership_id)
              FROM membership_membership_line l
             WHERE l.cluster_fee_year = %s AND l.date_cancel IS NULL
               AND l.cluster_membership_id IS NOT NULL
            """,
            year,
        )
    conn.close()
    log_counts, log_examples = {}, []
    for path in log_file.split(","):
        counts, examples = scan_log(path)
        for key, value in counts.items():
            log_counts[key] = log_counts.get(key, 0) + value
        log_examples += examples[: 10 - len(log_examples)]
    settled = [
        r for r in run["runs"] if r["name"].startswith("settlement") and r["outcome"] == "ok"
    ]
    checks = {
        "settlements_for_period": len(settlement_ids),
        "hour_document_lines": len(lines),
        "runs_that_billed_hours": runs_that_billed,
        "hour_lines_not_matching_linked_hours": len(mismatched),
        "agreements_on_two_bill_lines": agreements_twice,
        "approved_hours_left_unbilled": unbilled,
        "fee_duplicates_member_year": fee_duplicates,
        "fee_year": year,
        "fee_lines_of_year": fee_invoices_year,
        "members_with_fee_of_year": members_invoiced,
        "log": log_counts,
        "log_examples": log_examples,
    }
    problems = []
    if len(settlement_ids) > 1:
        problems.append("more than one settlement for the period")
    if runs_that_billed > 1:
        problems.append("both settlement runs billed hours")
    if mismatched:
        problems.append("hour document lines whose quantity is not their linked hours")
    if agreements_twice:
        problems.append("an agreement's hours on two bill lines of the period")
    if settled and unbilled:
        problems.append("approved hours of the period left unbilled after a successful run")
    if fee_duplicates:
        problems.append("two live annual fees for one member and year")
    if fee_invoices_year is not None and fee_invoices_year != members_invoiced:
        problems.append("fee lines of the year differ from members invoiced")
    if log_counts.get("deadlock"):
        problems.append("deadlock in the Odoo log")
    if log_counts.get("error_lines") or log_counts.get("tracebacks"):
        problems.append("ERROR/CRITICAL lines or tracebacks in the Odoo log")
    if any(r["outcome"] == "error" for r in run["runs"]):
        problems.append("a run failed with an unexpected error (not a clean refusal)")
    checks["problems"] = problems
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(checks, fh, indent=1, default=str)
    print(f"[load] concurrent runs checks: {problems or 'all good'}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "run":
        cmd_run(*sys.argv[2:5])
    elif sys.argv[1] == "verify":
        cmd_verify(*sys.argv[2:6])
    else:
        raise SystemExit(__doc__)
