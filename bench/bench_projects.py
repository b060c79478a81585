"""Benchmark of cluster_projects: co-financing summary and funder XLSX at 100,000 hours.

Two ways to run it (the database needs cluster_projects installed):

    ./scripts/odoo.sh shell -d <db> < bench/bench_projects.py   (CLUSTER_BENCH_HOURS=N to change)
    ~/.cache/cluster-suite/venv-odoo18/bin/python bench/bench_projects.py -c .run/odoo.conf -d <db> [--hours N]

Everything is created in one transaction that is rolled back at the end: the database is
left as it was. Prints wall times, query counts and peak memory (tracemalloc for Python
allocations in a second, traced pass; ru_maxrss for the whole process).
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta

HOURS = 100_000
SEED_HOURS = 1_000  # created through the ORM (computes, constraints), then cloned in SQL
COSTS = 5_000


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure(env, label, func, traced=True):
    """Run ``func`` once for time and queries, once more under tracemalloc for peak memory."""
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    peak = None
    if traced:
        env.invalidate_all()
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    print(
        f"{label:<44} {elapsed:8.2f} s {queries:6d} queries"
        + (f"  peak {peak:7.1f} MB (tracemalloc)" if peak is not None else "")
        + f"  maxrss {_rss_mb():7.1f} MB",
        flush=True,
    )
    return result


def build(env, hours):
    Partner = env["res.partner"]
    firms = Partner.create([{"name": f"Benchfirma {i} AB", "is_company": True} for i in range(3)])
    funder = Partner.create(
        {
            "name": "Benchfinansiär",
            "is_company": True,
            "cluster_is_funder": True,
            "cluster_funder_type": "regional",
        }
    )
    contacts = Partner.create(
        [{"name": f"Benchperson {i}", "parent_id": firms[i % 3].id} for i in range(30)]
    )
    employees = env["hr.employee"].create(
        [{"name": c.name, "work_contact_id": c.id} for c in contacts]
    )
    project = env["project.project"].create(
        {
            "name": "Benchprojekt 100k",
            "is_joint_project": True,
            "date_start": date(2024, 1, 1),
            "date": date(2026, 12, 31),
            "cluster_participant_ids": [
                (
                    0,
                    0,
                    {
                        "partner_id": firms[0].id,
                        "role": "lead",
                        "cost_share": 50,
                        "hourly_value": 500,
                        "committed_hours": 40000,
                        "committed_cash": 100000,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "partner_id": firms[1].id,
                        "cost_share": 30,
                        "hourly_value": 450,
                        "committed_hours": 30000,
                        "committed_cash": 60000,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "partner_id": firms[2].id,
                        "cost_share": 20,
                        "hourly_value": 400,
                        "committed_hours": 20000,
                        "committed_cash": 40000,
                    },
                ),
            ],
        }
    )
    grant = env["cluster.grant"].create(
        {
            "name": "BENCH-1",
            "project_id": project.id,
            "funder_id": funder.id,
            "amount_granted": 5e6,
            "max_public_share": 50,
            "date_from": date(2024, 1, 1),
            "date_to": date(2026, 12, 31),
        }
    )
    env["cluster.grant.claim"].create(
        {
            "name": "Rekv",
            "grant_id": grant.id,
            "date_from": date(2024, 1, 1),
            "date_to": date(2024, 12, 31),
            "amount_claimed": 1e6,
            "amount_received": 9e5,
        }
    )
    task = env["project.task"].create({"name": "Benchuppgift", "project_id": project.id})
    budget = []
    for month in range(36):
        start = date(2024 + month // 12, month % 12 + 1, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for category in (
            "own_staff_in_kind",
            "external",
            "travel",
            "premises",
            "bought_out",
            "other",
        ):
            budget.append(
                {
                    "project_id": project.id,
                    "category": category,
                    "date_from": start,
                    "date_to": end,
                    "amount_planned": 10000,
                }
            )
    env["cluster.budget.line"].create(budget)

    Line = env["account.analytic.line"]
    seed_vals = [
        {
            "name": f"Arbete {i}",
            "project_id": project.id,
            "task_id": task.id,
            "employee_id": employees[i % 30].id,
            "unit_amount": 1 + (i % 8) / 2,
            "date": date(2024, 1, 1) + timedelta(days=i % 1000),
        }
        for i in range(SEED_HOURS)
    ]
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    seeds = Line.create(seed_vals)
    env.flush_all()
    print(
        f"{'ORM create of ' + str(SEED_HOURS) + ' in-kind hours':<44} {time.perf_counter() - start:8.2f} s "
        f"{env.cr.sql_log_count - queries:6d} queries",
        flush=True,
    )
    cost_seeds = Line.create(
        [
            {
                "name": f"Kostnad {i}",
                "account_id": project.account_id.id,
                "amount": -100.0 - i,
                "date": date(2024, 1, 1) + timedelta(days=i % 1000),
                "cluster_cost_category": ("external", "travel", "premises", "other")[i % 4],
            }
            for i in range(100)
        ]
    )
    env.flush_all()

    # clone the seeds in SQL up to N hours, dates spread over the project's three years
    start = time.perf_counter()
    copies = hours // SEED_HOURS - 1
    env.cr.execute(
        """
        INSERT INTO account_analytic_line
              (name, date, amount, unit_amount, account_id, project_id, task_id, employee_id, user_id,
               company_id, partner_id, product_uom_id, currency_id, cluster_hour_use, cluster_member_id,
               cluster_in_kind_value, cluster_cost_category, create_uid, write_uid, create_date, write_date)
        SELECT l.name, DATE '2024-01-01' + ((l.date - DATE '2024-01-01') + g * 7) %% 1095, l.amount, l.unit_amount,
               l.account_id, l.project_id, l.task_id, l.employee_id, l.user_id, l.company_id, l.partner_id,
               l.product_uom_id, l.currency_id, l.cluster_hour_use, l.cluster_member_id, l.cluster_in_kind_value,
               l.cluster_cost_category, l.create_uid, l.write_uid, l.create_date, l.write_date
          FROM account_analytic_line l, generate_series(1, %s) g
         WHERE l.id = ANY(%s)
        """,
        (copies, seeds.ids),
    )
    env.cr.execute(
        """
        INSERT INTO account_analytic_line (name, date, amount, account_id, company_id, currency_id,
               cluster_cost_category, create_uid, write_uid, create_date, write_date)
        SELECT l.name, DATE '2024-01-01' + ((l.date - DATE '2024-01-01') + g * 11) %% 1095, l.amount, l.account_id,
               l.company_id, l.currency_id, l.cluster_cost_category, l.create_uid, l.write_uid, l.create_date, l.write_date
          FROM account_analytic_line l, generate_series(1, %s) g
         WHERE l.id = ANY(%s)
        """,
        (COSTS // 100 - 1, cost_seeds.ids),
    )
    env.cr.execute("ANALYZE account_analytic_line")
    print(
        f"{'SQL clone to ' + str(hours) + ' hours + ' + str(COSTS) + ' costs':<44} "
        f"{time.perf_counter() - start:8.2f} s",
        flush=True,
    )
    env.invalidate_all()
    return project


def run(env, hours=HOURS):
    print(
        f"cluster_projects benchmark on database {env.cr.dbname}: {hours} in-kind hours",
        flush=True,
    )
    env.cr.execute("SAVEPOINT cluster_bench")
    try:
        project = build(env, hours)
        data = measure(
            env,
            "co-financing summary (_cluster_cofinancing_data)",
            lambda: project._cluster_cofinancing_data()[project.id],
        )
        print(
            f"    eligible {data['eligible_cost']:.2f}, in-kind {data['in_kind_hours']:.1f} h / "
            f"{data['in_kind_value']:.2f}, cash {data['cash_cost']:.2f}, public share {data['public_share']:.2f} %"
        )
        measure(
            env,
            "budget vs actual, 216 budget lines",
            lambda: project.cluster_budget_line_ids._cluster_get_actuals(),
        )
        wizard = env["cluster.funder.report"].create(
            {"project_id": project.id, "include_ledger": False}
        )
        measure(env, "funder XLSX, aggregated sheets only", wizard._cluster_build_xlsx)
        wizard.include_ledger = True
        content = measure(
            env,
            f"funder XLSX with ledger ({hours + COSTS} rows)",
            wizard._cluster_build_xlsx,
        )
        print(f"    XLSX size {len(content) / 1024 / 1024:.1f} MB", flush=True)
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT cluster_bench")
        env.invalidate_all()
        env.cr.rollback()
    print("rolled back: the database is unchanged", flush=True)


if "env" in globals():  # odoo shell
    run(env, int(os.environ.get("CLUSTER_BENCH_HOURS", HOURS)))  # noqa: F821
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--hours", type=int, default=HOURS)
    args = parser.parse_args()
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        run(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args.hours)
    sys.exit(0)
