"""Benchmark of the settlement run (not collected by the test runner).

Run inside ``odoo shell`` on a database with cluster_consulting installed, e.g.::

    BENCH_HOURS=10000 ./scripts/odoo.sh shell -d <db> --no-http \\
        < addons/cluster_consulting/tests/bench/bench_settlement.py

It creates firms, experts, active agreements and BENCH_HOURS approved hours in a far
year, runs one settlement over them and prints the time, the SQL queries and the peak
Python memory of the run, then rolls everything back.
"""

import os
import time
import tracemalloc
from datetime import date, timedelta

hours_wanted = int(os.environ.get("BENCH_HOURS", "10000"))
year = 2040
experts_count = max(10, hours_wanted // 500)
env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))  # noqa: F821
Partner = env["res.partner"]
firms = Partner.create(
    [
        {
            "name": f"Bench firm {i}",
            "is_company": True,
            "company_registry": "559123-4561",
        }
        for i in range(10)
    ]
)
people = Partner.create(
    [
        {"name": f"Bench expert {i}", "parent_id": firms[i % 10].id}
        for i in range(experts_count)
    ]
)
experts = env["cluster.expert"].create(
    [
        {"partner_id": p.id, "hourly_rate": 650.0, "hours_per_month": 1000.0}
        for p in people
    ]
)
project = env["project.project"].create(
    {"name": "Bench project", "allow_timesheets": True}
)
agreements = env["cluster.agreement"].create(
    [
        {
            "expert_id": e.id,
            "project_id": project.id,
            "date_from": date(year, 1, 1),
            "date_to": date(year, 1, 31),
            "hour_cap": 1000.0,
            "state": "active",
        }
        for e in experts
    ]
)
vals = []
per_expert = hours_wanted // experts_count
for agreement in agreements:
    for i in range(per_expert):
        vals.append(
            {
                "agreement_id": agreement.id,
                "project_id": project.id,
                "employee_id": agreement.expert_id.employee_id.id,
                "date": date(year, 1, 1) + timedelta(days=i % 31),
                "unit_amount": 1.0,
                "name": "bench",
            }
        )
started = time.perf_counter()
lines = env["account.analytic.line"].create(vals)
created = time.perf_counter() - started
lines.write({"cluster_hour_state": "approved"})
env.flush_all()
settlement = env["cluster.settlement"].create(
    {"date_from": date(year, 1, 1), "date_to": date(year, 1, 31)}
)
env.flush_all()
env.invalidate_all()
queries = env.cr.sql_log_count
tracemalloc.start()
started = time.perf_counter()
settlement.action_run()
env.flush_all()
elapsed = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(
    f"BENCH hours={len(lines)} experts={experts_count} documents={len(settlement.move_ids)} "
    f"create_hours={created:.1f}s settlement={elapsed:.2f}s "
    f"queries={env.cr.sql_log_count - queries} peak_python_memory={peak / 2**20:.1f}MiB"
)
env.cr.rollback()
