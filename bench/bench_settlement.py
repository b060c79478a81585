"""Settlement benchmark: cluster_consulting's settlement run next to stock sale_timesheet.

Run through ``make bench`` (scripts/bench.sh), which feeds this file to ``odoo shell`` on
the database ``cluster_bench`` (the three addons and sale_timesheet installed). Sizes come
from ``BENCH_SIZES`` (default ``10000,100000``); the table is printed and written to
``BENCH_OUT`` (bench/results.md).

For every size N, on the same data shape:

* ours: ``A = N / 500`` experts of 10 lending firms, one active agreement each (sold on to
  another member firm with a 5 % fee), N approved hours of one month; the settlement run
  creates 10 vendor bills (lenders) and 10 customer invoices (buyers), and they are posted;
* stock: 20 sale orders of 10 customers with ``A`` order lines in all (a timesheet-based
  service product, one task per line), N timesheets on these tasks;
  ``_create_invoices()`` makes 20 invoices, and they are posted.

Creating the hours (``create(list)`` in batches, both sides) is measured apart and not in
the timed part; the tables it filled are then analyzed, as a month's hours are by the
time the month is settled (``ANALYZED``). Each timed part is run twice from one savepoint: once for wall time and
SQL queries (``odoo.sql_db.sql_counter``), once under tracemalloc for the peak Python
memory. Everything is rolled back at the end.
"""

import os
import time
import tracemalloc
from datetime import date, timedelta

import odoo
from odoo import fields

YEAR = 2040
FIRMS = 10
HOURS_PER_AGREEMENT = 500
BATCH = 5000
SEED_FACTOR = 10  # hours made through the ORM: one in ten; the rest are copied in SQL

sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",") if s]
LOAD_START = os.getloadavg()[0]
out_path = os.environ.get("BENCH_OUT")
base_env = env(  # noqa: F821 (odoo shell)
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_notrack=True,
        mail_create_nolog=True,
        no_reset_password=True,
    )
)
cr = base_env.cr


def counter():
    return odoo.sql_db.sql_counter


def measure(label, func):
    """Run ``func`` twice from a savepoint: timed, then traced; keep the first result."""
    base_env.flush_all()
    base_env.invalidate_all()
    cr.execute("SAVEPOINT bench_measure")
    queries = counter()
    started = time.perf_counter()
    func()
    base_env.flush_all()
    elapsed = time.perf_counter() - started
    queries = counter() - queries
    cr.execute("ROLLBACK TO SAVEPOINT bench_measure")
    base_env.invalidate_all()
    tracemalloc.start()
    result = func()
    base_env.flush_all()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"[bench] {label}: {elapsed:.2f}s {queries} queries {peak / 2**20:.1f} MiB,"
        f" {result[0]} documents for {result[1]:.0f} hours"
    )
    return {"time": elapsed, "queries": queries, "peak": peak / 2**20, "result": result}


def create_hours(vals, extra_orm=None):
    """``vals`` are a seed: one line in SEED_FACTOR through ``create(list)`` (every
    stored compute and constraint), then the seed is copied SEED_FACTOR - 1 times with one
    ``INSERT ... SELECT`` (every stored column, computed ones included, so the copies are
    what the ORM would have made). Returns (seconds, queries, ORM seconds per line)."""
    Line = base_env["account.analytic.line"]
    queries = counter()
    started = time.perf_counter()
    seed = Line
    for start in range(0, len(vals), BATCH):
        seed |= Line.create(vals[start : start + BATCH])
        base_env.flush_all()
        base_env.invalidate_all()
    orm_time = time.perf_counter() - started
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'account_analytic_line' AND column_name != 'id'"
    )
    columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
    cr.execute(
        f"INSERT INTO account_analytic_line ({columns})"  # noqa: S608 (column names)
        f" SELECT {columns} FROM account_analytic_line, generate_series(2, %s)"
        " WHERE id = ANY(%s)",
        [SEED_FACTOR, seed.ids],
    )
    if extra_orm:
        extra_orm()
    base_env.flush_all()
    base_env.invalidate_all()
    return (
        time.perf_counter() - started,
        counter() - queries,
        orm_time / len(vals),
    )


def month_day(i):
    return date(YEAR, 1, 1) + timedelta(days=i % 31)


def orgnr(index):
    """A valid Swedish organisation number (Luhn check digit), unique per index."""
    digits = f"559{7000 + index:04d}{index % 100:02d}"
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def setup_firms():
    Partner = base_env["res.partner"]
    firms = Partner.create(
        [
            {
                "name": f"Bench firm {i}",
                "is_company": True,
                "company_registry": orgnr(i),
            }
            for i in range(FIRMS)
        ]
    )
    return firms


def setup_ours(firms, n_hours):
    agreements_count = max(FIRMS, n_hours // HOURS_PER_AGREEMENT)
    people = base_env["res.partner"].create(
        [
            {"name": f"Bench expert {i}", "parent_id": firms[i % FIRMS].id}
            for i in range(agreements_count)
        ]
    )
    experts = base_env["cluster.expert"].create(
        [{"partner_id": p.id, "hourly_rate": 650.0, "hours_per_month": 1000.0} for p in people]
    )
    project = base_env["project.project"].create(
        {"name": "Bench settlement project", "allow_timesheets": True}
    )
    agreements = base_env["cluster.agreement"].create(
        [
            {
                "expert_id": expert.id,
                "project_id": project.id,
                "buyer_kind": "member",
                "buyer_id": firms[(i + 1) % FIRMS].id,
                "fee_percent": 5.0,
                "date_from": date(YEAR, 1, 1),
                "date_to": date(YEAR, 1, 31),
                "hour_cap": float(HOURS_PER_AGREEMENT * 2),
                "state": "active",
            }
            for i, expert in enumerate(experts)
        ]
    )
    per = n_hours // agreements_count // SEED_FACTOR
    vals = [
        {
            "agreement_id": agreement.id,
            "project_id": project.id,
            "employee_id": agreement.expert_id.employee_id.id,
            "date": month_day(i),
            "unit_amount": 1.0,
            "name": "bench",
        }
        for agreement in agreements
        for i in range(per)
    ]
    created = create_hours(vals)
    # approval is not what is measured: one UPDATE
    cr.execute(
        "UPDATE account_analytic_line SET cluster_hour_state = 'approved'"
        " WHERE agreement_id = ANY(%s)",
        [agreements.ids],
    )
    base_env.invalidate_all()
    settlement = base_env["cluster.settlement"].create(
        {"date_from": date(YEAR, 1, 1), "date_to": date(YEAR, 1, 31)}
    )
    return settlement, len(vals) * SEED_FACTOR, agreements_count, created


def setup_stock(firms, n_hours, lines_count):
    project = base_env["project.project"].create(
        {
            "name": "Bench sale_timesheet project",
            "allow_timesheets": True,
            "allow_billable": True,
        }
    )
    product = base_env["product.product"].create(
        {
            "name": "Bench consulting hour",
            "type": "service",
            "invoice_policy": "delivery",
            "service_type": "timesheet",
            "service_tracking": "task_global_project",
            "project_id": project.id,
            "list_price": 650.0,
            "uom_id": base_env.ref("uom.product_uom_hour").id,
            "uom_po_id": base_env.ref("uom.product_uom_hour").id,
        }
    )
    employees = base_env["hr.employee"].create(
        [{"name": f"Bench employee {i}"} for i in range(lines_count)]
    )
    orders_count = 2 * FIRMS
    per_order = max(1, lines_count // orders_count)
    orders = base_env["sale.order"].create(
        [
            {
                "partner_id": firms[o % FIRMS].id,
                "order_line": [
                    fields.Command.create({"product_id": product.id, "product_uom_qty": 1.0})
                    for _line in range(per_order)
                ],
            }
            for o in range(orders_count)
        ]
    )
    orders.action_confirm()
    sale_lines = orders.order_line.sorted("id")
    per = n_hours // len(sale_lines) // SEED_FACTOR
    vals = [
        {
            "project_id": project.id,
            "task_id": line.task_id.id,
            "employee_id": employees[index % len(employees)].id,
            "date": month_day(i),
            "unit_amount": 1.0,
            "name": "bench",
        }
        for index, line in enumerate(sale_lines)
        for i in range(per)
    ]
    # the delivered quantity follows the copied timesheets (one read_group)
    created = create_hours(vals, extra_orm=sale_lines._compute_qty_delivered)
    return orders, len(vals) * SEED_FACTOR, len(sale_lines), created


# The tables the setup filled, analyzed before the timed parts (both sides): a month's
# hours are weeks old when the month is settled and PostgreSQL has statistics on them;
# hours inserted a moment ago in this transaction would be planned as one row.
ANALYZED = (
    "account_analytic_line",
    "cluster_hour_link",
    "cluster_agreement",
    "sale_order",
    "sale_order_line",
    "project_task",
)


def analyze():
    for table in ANALYZED:
        cr.execute(f"ANALYZE {table}")


def warm_up(firms):
    """Create and post one vendor bill and one customer invoice, then roll them back: the
    process's first-use costs (the registry's field trigger trees, caches) are paid here,
    not by whichever side is measured first."""
    cr.execute("SAVEPOINT bench_warm_up")
    moves = base_env["account.move"].create(
        [
            {
                "move_type": move_type,
                "partner_id": firms[0].id,
                "invoice_date": date(YEAR, 1, 31),
                "invoice_line_ids": [
                    fields.Command.create({"name": "warm-up", "quantity": 1, "price_unit": 100})
                ],
            }
            for move_type in ("in_invoice", "out_invoice")
        ]
    )
    moves.action_post()
    base_env.flush_all()
    cr.execute("ROLLBACK TO SAVEPOINT bench_warm_up")
    base_env.invalidate_all()


def run_ours(settlement):
    # as the administrator (a cluster manager with invoicing rights), like a user would
    settlement = settlement.with_user(base_env.ref("base.user_admin"))

    def run():
        settlement.action_run()
        moves = settlement.move_ids
        moves.action_post()
        bills = moves.filtered(lambda m: m.move_type == "in_invoice")
        return len(moves), sum(bills.invoice_line_ids.mapped("quantity"))

    return run


def run_stock(orders):
    orders = orders.with_user(base_env.ref("base.user_admin"))

    def run():
        invoices = orders._create_invoices(grouped=True)
        invoices.action_post()
        return len(invoices), sum(invoices.invoice_line_ids.mapped("quantity"))

    return run


rows = []
for n in sizes:
    cr.execute("SAVEPOINT bench_size")
    firms = setup_firms()
    settlement, ours_hours, agreements_count, ours_created = setup_ours(firms, n)
    orders, stock_hours, lines_count, stock_created = setup_stock(firms, n, agreements_count)
    base_env.flush_all()
    analyze()
    warm_up(firms)
    ours = measure(f"settlement {ours_hours} h", run_ours(settlement))
    stock = measure(f"sale_timesheet {stock_hours} h", run_stock(orders))
    rows.append(
        {
            "n": n,
            "ours_hours": ours_hours,
            "stock_hours": stock_hours,
            "agreements": agreements_count,
            "stock_lines": lines_count,
            "ours": ours,
            "stock": stock,
            "ours_created": ours_created,
            "stock_created": stock_created,
        }
    )
    cr.execute("ROLLBACK TO SAVEPOINT bench_size")
    base_env.invalidate_all()
cr.rollback()


def fmt_row(row):
    ours, stock = row["ours"], row["stock"]
    return (
        f"| {row['ours_hours']:,} | {ours['result'][0]} / {stock['result'][0]} "
        f"| {ours['time']:.2f} s | {stock['time']:.2f} s "
        f"| **{ours['time'] / stock['time']:.2f}×** "
        f"| {ours['queries']:,} | {stock['queries']:,} "
        f"| **{ours['queries'] / stock['queries']:.2f}×** "
        f"| {ours['peak']:.1f} MiB | {stock['peak']:.1f} MiB "
        f"| **{ours['peak'] / stock['peak']:.2f}×** |"
    )


def fmt_created(row):
    (ot, oq, ol), (st, sq, sl) = row["ours_created"], row["stock_created"]
    return (
        f"| {row['ours_hours']:,} | {ot:.1f} s, {oq:,} queries, "
        f"{ol * 1000:.2f} ms per ORM line "
        f"| {st:.1f} s, {sq:,} queries, {sl * 1000:.2f} ms per ORM line |"
    )


lines = [
    "# Settlement benchmark: cluster_consulting vs stock sale_timesheet",
    "",
    f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
    f"{os.cpu_count()} cores, Odoo {odoo.release.version}, command "
    f"`BENCH_SIZES={','.join(map(str, sizes))} make bench`; load average (1 min) "
    f"{LOAD_START:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (the cores are "
    "shared: compare ratios).",
    "",
    "Same data shape on both sides: N one-hour lines of one month, "
    f"{HOURS_PER_AGREEMENT} hours per agreement / sale order line, 10 firms. "
    "Ours: the settlement run creates one vendor bill per lending firm and one customer "
    "invoice per buying firm (hours x rate + 5 % fee), links every hour with one INSERT "
    "into the narrow link table `cluster_hour_link`, "
    "then the documents are posted. Stock: 20 sale orders with a timesheet-based service "
    "product (one task per order line), `_create_invoices()` then `action_post()`. "
    "Time and SQL queries of create + post (first pass, after the new rows are "
    "analyzed and a warm-up bill and invoice are rolled back), peak Python memory "
    "(tracemalloc, second pass from the same savepoint). Ratio = ours / stock.",
    "",
    "| hours | documents (ours / stock) | ours time | stock time | time ratio "
    "| ours queries | stock queries | query ratio | ours peak | stock peak | memory ratio |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    *[fmt_row(row) for row in rows],
    "",
    "Creating the hours (not in the timed part): one line in "
    f"{SEED_FACTOR} through `create(list)` in batches of {BATCH} (every stored compute "
    "and constraint; the per-line figure is this part), the rest copied from them with "
    "one `INSERT ... SELECT` (stock: then the sale lines' delivered quantity recomputed):",
    "",
    "| hours | ours (agreement hours) | stock (timesheets on sale order tasks) |",
    "|---|---|---|",
    *[fmt_created(row) for row in rows],
    "",
]
text = "\n".join(lines)
print(text)
if out_path:
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write(text)
