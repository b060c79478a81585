"""Benchmarks on the generated cluster (``make bench``), next to their stock-Odoo twins.

Fed to ``odoo shell`` by scripts/bench.sh on ``cluster_bench_<BENCH_SIZE>`` (built by
``make bench-data``). Measures, on the same data in the same run:

* co-financing and budget-vs-actual figures of the largest project and of the whole
  cluster (``_cluster_cofinancing_data``, ``_cluster_get_actuals``) vs one plain
  ``read_group`` over the same analytic lines;
* the funder XLSX of the largest project (``cluster.funder.report``, ledger included) and
  the cluster-wide ledger export (``cluster.ledger.export``) vs xlsxwriter alone writing
  the same number of rows and columns (constant-memory mode, temporary file);
* the portal pages of a signatory of three firms: the newest member (none of some kinds),
  the smallest firm with at least one record of every kind, and the firm with the most
  records, through a real HTTP server (Odoo's request log gives queries and server time);
  a page's queries grow if the third firm costs more than the second;
* and it folds in the settlement benchmark's rows (``BENCH_SETTLEMENT_OUT``, written by
  bench/bench_settlement.py in the same ``make bench``).

Prints one table and writes it with the method to ``BENCH_OUT`` (bench/results.md).
Nothing is kept: the export attachments are rolled back.
"""

import gc
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

import requests
import xlsxwriter

import odoo
from odoo.tools import config

SIZE = os.environ.get("BENCH_SIZE", "small")
OUT = os.environ.get("BENCH_OUT")
SETTLEMENT_OUT = os.environ.get("BENCH_SETTLEMENT_OUT")
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8184"))
REPEAT = 3

env = env(  # noqa: F821 (odoo shell)
    context=dict(env.context, tracking_disable=True, lang="en_US")  # noqa: F821
)
cr = env.cr
admin_env = env(user=env.ref("base.user_admin").id)
rows = []  # (section, name, data, ours, stock, ratio, queries, memory)


def counter():
    return odoo.sql_db.sql_counter


def rss_mb(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def run_small(func):
    """Median time of REPEAT runs (after one warm-up), queries of one run, tracemalloc peak."""
    env.invalidate_all()
    func()
    times = []
    queries = 0
    for _i in range(REPEAT):
        env.invalidate_all()
        before = counter()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
        queries = counter() - before
    env.invalidate_all()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"time": statistics.median(times), "queries": queries, "memory": peak}


def run_big(func):
    """One run: time, queries and the growth of the process's peak RSS (VmHWM reset)."""
    env.flush_all()
    env.invalidate_all()
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # resets VmHWM to the current RSS
    base = rss_mb("VmRSS")
    before = counter()
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    queries = counter() - before
    peak = rss_mb("VmHWM")
    return {
        "time": elapsed,
        "queries": queries,
        "memory": peak - base,
        "rss": peak,
        "result": result,
    }


def add(section, name, data, ours, stock, memory_kind):
    ratio = ours["time"] / stock["time"] if stock and stock["time"] else None
    rows.append(
        {
            "section": section,
            "name": name,
            "data": data,
            "ours": ours,
            "stock": stock,
            "ratio": ratio,
            "memory_kind": memory_kind,
        }
    )
    print(
        f"[bench] {name} ({data}): {ours['time']:.3f} s, {ours['queries']} queries"
        + (f"; stock {stock['time']:.3f} s, {stock['queries']} queries" if stock else ""),
        flush=True,
    )


Line = env["account.analytic.line"].sudo()
Project = env["project.project"]
cr.execute("SAVEPOINT bench_cluster")

# ------------------------------------------------------------------ data of the run
joint = Project.search([("is_joint_project", "=", True)])
by_account = dict(
    Line._read_group([("account_id", "in", joint.account_id.ids)], ["account_id"], ["__count"])
)
largest = max(joint, key=lambda p: by_account.get(p.account_id, 0))
largest_lines = by_account.get(largest.account_id, 0)
cluster_lines = sum(by_account.values())
budget_largest = largest.cluster_budget_line_ids
budget_all = env["cluster.budget.line"].search([("project_id", "in", joint.ids)])
print(
    f"[bench] {cr.dbname}: {len(joint)} joint projects, {cluster_lines:,} lines on their"
    f" accounts; largest {largest.name} with {largest_lines:,}",
    flush=True,
)

# ------------------------------------------------------------------ co-financing, budgets
for label, projects, lines in (
    ("largest project", largest, largest_lines),
    ("whole cluster", joint, cluster_lines),
):
    accounts = projects.account_id.ids
    ours = run_small(lambda ids=projects.ids: Project.browse(ids)._cluster_cofinancing_data())
    stock = run_small(
        lambda accounts=accounts: Line.read_group(
            [("account_id", "in", accounts)],
            ["unit_amount:sum", "amount:sum", "cluster_in_kind_value:sum"],
            ["account_id", "cluster_member_id"],
            lazy=False,
        )
    )
    add(
        "figures",
        f"co-financing, {label}",
        f"{len(projects)} projects, {lines:,} lines",
        ours,
        stock,
        "tracemalloc",
    )
for label, budget, lines in (
    ("largest project", budget_largest, largest_lines),
    ("whole cluster", budget_all, cluster_lines),
):
    accounts = budget.project_id.account_id.ids
    # browsed afresh each run: the records' prefetch set is the whole batch, as in a form
    ours = run_small(
        lambda ids=budget.ids: env["cluster.budget.line"].browse(ids)._cluster_get_actuals()
    )
    stock = run_small(
        lambda accounts=accounts: Line.read_group(
            [("account_id", "in", accounts)],
            ["amount:sum", "cluster_in_kind_value:sum"],
            ["account_id", "cluster_cost_category", "date:month"],
            lazy=False,
        )
    )
    add(
        "figures",
        f"budget vs actual, {label}",
        f"{len(budget):,} budget lines, {lines:,} lines",
        ours,
        stock,
        "tracemalloc",
    )


# ------------------------------------------------------------------ XLSX
def xlsx_alone(count, columns):
    """xlsxwriter alone: ``count`` rows of ``columns`` cells (text and numbers as in the
    export), constant-memory mode, to a temporary file."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = workbook.add_worksheet("Ledger")
        money = workbook.add_format({"num_format": "#,##0.00"})
        texts = columns - 3
        for row in range(1, count + 1):
            sheet.write_string(row, 0, "2024-03-04")
            for col in range(1, texts):
                sheet.write_string(row, col, "Anna Andersson (001-1)")
            sheet.write_number(row, texts, 4.0)
            sheet.write_number(row, texts + 1, -1200.0, money)
            sheet.write_number(row, texts + 2, 2600.0, money)
        workbook.close()
        return os.path.getsize(path)
    finally:
        os.unlink(path)


report = admin_env["cluster.funder.report"].create(
    {"project_id": largest.id, "include_ledger": True}
)


def project_xlsx():
    report.action_export()
    return len(report.attachment_id.raw)


ours = run_big(project_xlsx)
stock = run_big(lambda: xlsx_alone(largest_lines, 8))
add(
    "xlsx",
    "funder XLSX of the largest project (8 sheets, ledger included)",
    f"{largest_lines:,} ledger rows",
    ours,
    stock,
    "RSS",
)
export = admin_env["cluster.ledger.export"].create({})


def cluster_xlsx():
    export.action_export()
    return len(export.attachment_id.raw)


ours = run_big(cluster_xlsx)
stock = run_big(lambda: xlsx_alone(cluster_lines, 10))
add(
    "xlsx",
    "cluster ledger XLSX (cluster.ledger.export)",
    f"{cluster_lines:,} ledger rows, {len(joint)} projects",
    ours,
    stock,
    "RSS",
)

# every line of every project (joint projects and the members' assignments): the same
# writer, given all the projects' accounts, without the attachment
every = Project.search([("account_id", "!=", False)])
every_lines = sum(
    count
    for _account, count in Line._read_group(
        [("account_id", "in", every.account_id.ids)], ["account_id"], ["__count"]
    )
)


def every_xlsx():
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        export._cluster_write_xlsx(path, every)
        return os.path.getsize(path)
    finally:
        os.unlink(path)


ours = run_big(every_xlsx)
stock = run_big(lambda: xlsx_alone(every_lines, 10))
add(
    "xlsx",
    "ledger XLSX of every project (`_cluster_write_xlsx`, no attachment)",
    f"{every_lines:,} ledger rows, {len(every)} projects",
    ours,
    stock,
    "RSS",
)
cr.execute("ROLLBACK TO SAVEPOINT bench_cluster")
env.invalidate_all()

# ------------------------------------------------------------------ portal
firms = env["res.partner"].search([("name", "=like", "Benchfirma %"), ("is_company", "=", True)])
hours_of = dict(
    Line._read_group(
        [("agreement_id", "!=", False), ("cluster_lender_id", "in", firms.ids)],
        ["cluster_lender_id"],
        ["__count"],
    )
)


def records(firm):
    """What the firm's signatory lists on each page (counted in SQL, as the superuser)."""
    Agreement = env["cluster.agreement"]
    return {
        "/my/cluster/hours": Line.search_count(
            [
                ("agreement_id", "!=", False),
                "|",
                ("cluster_lender_id", "=", firm.id),
                ("agreement_id.buyer_id", "=", firm.id),
            ]
        ),
        "/my/cluster/agreements": Agreement.search_count(
            ["|", ("lender_id", "=", firm.id), ("buyer_id", "=", firm.id)]
        ),
        "/my/cluster/experts": env["cluster.expert"].search_count([("employer_id", "=", firm.id)]),
        "/my/cluster/projects": env["cluster.project.participant"].search_count(
            [("partner_id", "=", firm.id)]
        ),
        "/my/cluster/statements": env["cluster.settlement.report.balance"].search_count(
            [("partner_id", "=", firm.id)]
        ),
        "/my/cluster/membership": env["account.move"].search_count(
            [("commercial_partner_id", "=", firm.id), ("move_type", "=", "out_invoice")]
        ),
        "/my/invoices": env["account.move"].search_count(
            [
                ("commercial_partner_id", "=", firm.id),
                ("move_type", "in", ("out_invoice", "out_refund", "in_invoice", "in_refund")),
                ("state", "=", "posted"),
            ]
        ),
    }


# the newest member (joined this year: three experts, one agreement of ten hour lines, no
# joint project), the firm with the fewest agreement hours that has at least one record on
# every page, and the firm with the most agreement hours
empty = max(firms, key=lambda f: int(f.name.split()[1]))
many = max(firms, key=lambda f: (hours_of.get(f, 0), -f.id))
few = next(
    (
        firm
        for firm in firms.sorted(lambda f: (hours_of.get(f, 0), f.id))
        if firm != many and all(records(firm).values())
    ),
    empty,
)


def login_of(firm):
    number = int(firm.name.split()[1])
    return f"bench-firm{number:03d}-sign"


PAGES = [
    ("/my/cluster", "overview"),
    ("/my/cluster/membership", "membership and fees"),
    ("/my/cluster/projects", "joint projects"),
    ("/my/cluster/agreements", "agreements"),
    ("/my/cluster/experts", "experts"),
    ("/my/cluster/hours", "hours"),
    ("/my/cluster/statements", "statements"),
    ("/my/invoices", "stock: Odoo's invoice list"),
    ("/my", "stock: Odoo's portal home"),
]
log_path = tempfile.mktemp(suffix=".log")
server = subprocess.Popen(  # noqa: S603 (our own Odoo)
    [
        sys.executable,
        "-c",
        "import odoo; odoo.cli.main()",
        "-c",
        config.rcfile,
        "-d",
        cr.dbname,
        "--db-filter",
        f"^{cr.dbname}$",
        "--http-port",
        str(PORT),
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        "--logfile",
        log_path,
    ],
    env=dict(os.environ, TZ="UTC"),
)
portal = {}
try:
    base = f"http://127.0.0.1:{PORT}"
    for _i in range(120):
        try:
            requests.get(f"{base}/web/login", timeout=60)
            break
        except requests.RequestException:
            time.sleep(1)
    for firm in (empty, few, many):
        session = requests.Session()
        page = session.get(f"{base}/web/login", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        login = login_of(firm)
        answer = session.post(
            f"{base}/web/login",
            data={"login": login, "password": login, "csrf_token": token, "redirect": "/my"},
            timeout=120,
        )
        answer.raise_for_status()
        for url, _label in PAGES:
            for attempt in range(REPEAT + 1):
                mark = f"/bench-mark-{firm.id}-{attempt}-{url.strip('/').replace('/', '-')}"
                response = session.get(f"{base}{url}", timeout=120)
                if response.status_code != 200 or "/web/login" in response.url:
                    raise RuntimeError(f"{login} {url}: {response.status_code} {response.url}")
                session.get(f"{base}{mark}", timeout=30)  # a 404 that marks the log
    time.sleep(1)
finally:
    server.terminate()
    server.wait(timeout=60)
line_re = re.compile(r'"GET (\S+) HTTP/1\.\d" (\d+) - (\d+) ([\d.]+) ([\d.]+)')
measured = {}  # (firm id, url) -> [(queries, seconds)]
with open(log_path, encoding="utf-8") as log:
    pending = []
    for line in log:
        match = line_re.search(line)
        if not match:
            continue
        url, _status, queries, query_time, other_time = match.groups()
        if url.startswith("/bench-mark-"):
            firm_id = int(url.split("-")[2])
            attempt = int(url.split("-")[3])
            for page_url, q, t in pending:
                if attempt > 0:  # the first request of a page warms the caches
                    measured.setdefault((firm_id, page_url), []).append((q, t))
            pending = []
        else:
            pending.append((url, int(queries), float(query_time) + float(other_time)))
os.unlink(log_path)
counts = {firm.id: records(firm) for firm in (empty, few, many)}
for url, label in PAGES:
    none = measured[empty.id, url]
    small = measured[few.id, url]
    large = measured[many.id, url]
    rows.append(
        {
            "section": "portal",
            "name": f"portal {url} ({label})",
            "none": (counts[empty.id].get(url), none),
            "few": (counts[few.id].get(url), small),
            "many": (counts[many.id].get(url), large),
        }
    )
    print(
        f"[bench] {url}: {empty.name} {none} / {few.name} {small} / {many.name} {large}",
        flush=True,
    )
cr.rollback()

# ------------------------------------------------------------------ settlement rows
settlement_rows = []
if SETTLEMENT_OUT and os.path.exists(SETTLEMENT_OUT):
    with open(SETTLEMENT_OUT, encoding="utf-8") as handle:
        for line in handle:
            cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
            if len(cells) == 11 and re.fullmatch(r"[\d,]+", cells[0]):
                settlement_rows.append(cells)


# ------------------------------------------------------------------ table
def secs(value):
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def mem(row, which):
    value = row[which]["memory"]
    return f"{value:.1f} MiB"


table = [
    "| benchmark | data | ours | stock twin | ratio (time) | queries ours / stock "
    "| peak memory ours / stock |",
    "|---|---|---|---|---|---|---|",
]
settlement_when = ""
if settlement_rows:
    with open(SETTLEMENT_OUT, encoding="utf-8") as handle:
        found = re.search(r"Measured (\S+ \S+ UTC)", handle.read())
        settlement_when = f", measured {found.group(1)}" if found else ""
for cells in settlement_rows:
    hours, documents, ours_t, stock_t, ratio, oq, sq, _qr, om, sm, _mr = cells
    table.append(
        f"| settlement run, created + posted (vs sale_timesheet `_create_invoices` + post) "
        f"| {hours} approved hours, {documents} documents{settlement_when} | {ours_t} | {stock_t} "
        f"| **{ratio}** | {oq} / {sq} | {om} / {sm} (tracemalloc) |"
    )
for row in rows:
    if row["section"] == "portal":
        continue
    ours, stock = row["ours"], row["stock"]
    kind = "tracemalloc" if row["memory_kind"] == "tracemalloc" else "RSS growth"
    twin = "plain `read_group`" if row["section"] == "figures" else "xlsxwriter alone"
    table.append(
        f"| {row['name']} (vs {twin}) | {row['data']} | {secs(ours['time'])} "
        f"| {secs(stock['time'])} | **{row['ratio']:.2f}×** "
        f"| {ours['queries']:,} / {stock['queries']:,} "
        f"| {mem(row, 'ours')} / {mem(row, 'stock')} ({kind}) |"
    )
table += [
    "",
    f"Portal pages, signatory of the newest member ({empty.name}, none of some kinds), of"
    f" the smallest firm with a record of every kind ({few.name}) and of the firm with the"
    f" most ({many.name}); median of {REPEAT} requests after a warm-up, server time = SQL"
    " time + the rest, from Odoo's request log. A page's queries grow if the firm with the"
    " most costs more than the smallest firm with a record of every kind:",
    "",
    "| page | records (newest / small / most) | queries (newest / small / most) "
    "| queries grow? | server time (newest / small / most) |",
    "|---|---|---|---|---|",
]


def median_of(measures, index):
    return statistics.median(measure[index] for measure in measures)


for row in rows:
    if row["section"] != "portal":
        continue
    sizes = [row[key][0] for key in ("none", "few", "many")]
    queries = [median_of(row[key][1], 0) for key in ("none", "few", "many")]
    times = [median_of(row[key][1], 1) * 1000 for key in ("none", "few", "many")]
    grow = queries[2] - queries[1]
    table.append(
        f"| {row['name']} | {' / '.join('-' if n is None else str(n) for n in sizes)} "
        f"| {' / '.join(f'{q:.0f}' for q in queries)} "
        f"| {'no' if grow <= 0 else f'**yes, +{grow:.0f}**'} "
        f"| {' / '.join(f'{t:.0f}' for t in times)} ms |"
    )
text = "\n".join(table)
print()
print(text)

if OUT:
    heading = [
        "# Benchmarks",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()}"
        f" cores (shared), Odoo {odoo.release.version}, database `{cr.dbname}`"
        f" (`make bench-data SIZE={SIZE}`), command `BENCH_SIZE={SIZE} make bench`.",
        "",
        "Method. Settlement: bench/bench_settlement.py, its own data (N approved hours of one"
        " month) created and rolled back; ours = the settlement run creating and posting the"
        " bills and invoices, stock = `sale_timesheet` invoicing the same hours"
        " (`_create_invoices` + `action_post`). Figures: median of 3 runs after a warm-up;"
        " stock = one plain `read_group` over the same analytic lines. XLSX: one run each;"
        " ours = the wizard's `action_export` (workbook + attachment), stock = xlsxwriter"
        " alone writing as many rows and columns in constant-memory mode; memory = growth of"
        " the process's peak RSS over its size before the run (VmHWM reset). Portal: a real"
        " HTTP server (`--workers=0`), a logged-in signatory, queries and time from Odoo's"
        " request log. Absolute times move with the other load on the shared cores;"
        " compare ratios and query counts. Ratio = ours / stock.",
        "",
    ]
    with open(OUT, "w", encoding="utf-8") as handle:
        handle.write("\n".join(heading) + "\n" + text + "\n")
        data_out = os.environ.get("BENCH_DATA_OUT")
        if data_out and os.path.exists(data_out):
            with open(data_out, encoding="utf-8") as data_log:
                handle.write("\n" + data_log.read())
print(f"\n[bench] written to {OUT}" if OUT else "", flush=True)
