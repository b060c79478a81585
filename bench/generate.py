"""Generate a benchmark cluster: ``make bench-data SIZE=small|medium|large``.

Fed to ``odoo shell`` by scripts/bench-data.sh on the database ``cluster_bench_<size>``
(test template, sale_timesheet and the three addons). ``BENCH_SIZE`` picks the profile.

A cluster over five years (2021 to today): member firms whose sizes follow a Zipf law (a
few big firms own most experts and hours), memberships with board decisions, annual fee
and capital contribution invoices (earlier years paid), experts (cluster.expert with their
hr.employee), joint projects with participants, cost shares, grants, payment claims,
quarterly budgets, cash costs and members' cash, agreements and hour lines (in-kind on
joint projects, bought-out on agreements), settlements of the earlier periods, and portal
logins for the load test.

Everything goes through the ORM in batches (``create(list)``), with two exceptions, said
in the output: the hour lines (a seed share through the ORM, every stored compute and
constraint; the rest copied from the seed with one ``INSERT ... SELECT`` per batch, which
varies only the date, on distinct working days of the same person within the seed's
agreement or project window) and the states that the workflows would reach (hour approval,
project stage, closing ended agreements), set with one UPDATE each.

Deterministic: one seeded random generator per size (for a given ``BENCH_TODAY``, default
today). Portal logins (the load test's contract): ``bench-firm%03d-sign`` (the firm's
signatory) and ``bench-firm%03d-exp%02d`` (its first three experts), password = login.
"""

import math
import os
import random
import time
from collections import defaultdict
from datetime import date, timedelta

import odoo
from odoo import Command, fields

SIZE = os.environ.get("BENCH_SIZE", "small")
PROFILES = {
    # firms, experts, joint projects, agreements, hour lines; seed = 1 line in N via ORM
    "small": {
        "firms": 10,
        "experts": 40,
        "projects": 4,
        "agreements": 8,
        "hours": 10_000,
        "seed": 10,
    },
    "medium": {
        "firms": 25,
        "experts": 200,
        "projects": 20,
        "agreements": 50,
        "hours": 100_000,
        "seed": 40,
    },
    "large": {
        "firms": 50,
        "experts": 2000,
        "projects": 200,
        "agreements": 500,
        "hours": 1_000_000,
        "seed": 100,
    },
}
P = PROFILES[SIZE]
TODAY = fields.Date.to_date(os.environ.get("BENCH_TODAY")) or date.today()
START = date(2021, 1, 1)
BOUGHT_OUT_SHARE = 0.3  # of the hour lines; the rest is in-kind
ORM_BATCH = 2000
ZIPF = 1.1
rnd = random.Random(f"cluster-bench-{SIZE}")

env = env(  # noqa: F821 (odoo shell)
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_notrack=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        no_reset_password=True,
        lang="en_US",
    )
)
cr = env.cr
if env["res.partner"].search_count([("name", "=like", "Benchfirma %")]):
    raise SystemExit(f"{cr.dbname} already holds generated data: BENCH_REBUILD=1 to rebuild")

timings = []


class Phase:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.started = time.perf_counter()
        self.queries = odoo.sql_db.sql_counter
        print(f"[bench-data] {self.name} ...", flush=True)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type:
            return False
        env.flush_all()
        cr.commit()
        env.invalidate_all()
        elapsed = time.perf_counter() - self.started
        queries = odoo.sql_db.sql_counter - self.queries
        timings.append((self.name, elapsed, queries))
        print(f"[bench-data] {self.name}: {elapsed:.1f} s, {queries:,} queries", flush=True)
        return False


FIRST = (
    "Anna Erik Maria Lars Karin Anders Eva Johan Sara Per Lena Nils Emma Olof Ida Magnus "
    "Sofia Gustav Linnea Fredrik Elin Henrik Maja Jonas Frida Oskar Hanna Mattias Ebba Viktor"
).split()
LAST = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Berg Sjöberg Holm "
    "Lundgren Nyström Forsberg Ek Sandberg Björk Wallin Engström Hedlund Åberg"
).split()
WORDS = (
    "Norrsken Fjällbygg Skogsdata Älvkraft Granit Tallhed Myrvik Stenbro Lövsta Kustnät "
    "Isbrytaren Malmfält Bäcklund Hagaberg Vindö Solhem Ekbacka Sjövik Björkdal Fyrtorn"
).split()
MUNICIPALITIES = "Luleå Piteå Boden Kalix Älvsbyn Arvidsjaur Jokkmokk Gällivare Kiruna".split()


def orgnr(index):
    """A valid Swedish organisation number (Luhn check digit), unique per index."""
    digits = f"556{8000 + index:04d}{index % 100:02d}"
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def add_months(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def monday_on_or_after(day):
    return day + timedelta(days=(7 - day.weekday()) % 7)


def workdays(first, last):
    """Working days (Mon-Fri) from the Monday on/after ``first`` to ``last``."""
    monday = monday_on_or_after(first)
    if monday > last:
        return monday, 0
    days = (last - monday).days + 1
    return monday, days // 7 * 5 + min(days % 7, 5)


def workday(monday, index):
    return monday + timedelta(days=7 * (index // 5) + index % 5)


def spread(total, weights):
    """Integers summing to ``total`` in proportion to ``weights``."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[
        : total - sum(out)
    ]:
        out[i] += 1
    return out


def fill(total, weights, caps):
    """Integers summing to ``total`` (or all the capacity) in proportion to ``weights``,
    none above its cap: what a full item can't take goes to the others."""
    out = [0] * len(caps)
    active = [i for i, cap in enumerate(caps) if cap > 0]
    remaining = total
    while remaining > 0 and active:
        share = spread(remaining, [weights[i] or 1e-9 for i in active])
        still = []
        for i, part in zip(active, share, strict=True):
            take = min(part, caps[i] - out[i])
            out[i] += take
            remaining -= take
            if out[i] < caps[i]:
                still.append(i)
        active = still
    return out


started_all = time.perf_counter()
print(
    f"[bench-data] {SIZE}: {P['firms']} firms, {P['experts']} experts, {P['projects']} joint"
    f" projects, {P['agreements']} agreements, {P['hours']:,} hour lines, {START} to {TODAY}",
    flush=True,
)
company = env.company
admin = env.ref("base.user_admin")
last_month_end = month_start(TODAY) - timedelta(days=1)
yesterday = TODAY - timedelta(days=1)

# ---------------------------------------------------------------------------- plan
# Firm sizes: Zipf weights; experts per firm at least 3 (the portal logins), the last firm
# joined this year and has exactly three experts and one small agreement (the "10
# records" firm of the portal benchmark).
F = P["firms"]
weights = [1.0 / (i**ZIPF) for i in range(1, F + 1)]
experts_per_firm = [3] * F
rest = P["experts"] - 3 * F
for i, n in enumerate(spread(rest, weights[:-1])):
    experts_per_firm[i] += n
admission = []
for i in range(F):
    if i == F - 1:
        admission.append(date(TODAY.year, 1, 15) if TODAY.month > 1 else TODAY)
    else:
        # big firms are the founders; smaller ones joined over the first years
        span = min(1400, int(200 + 1200 * i / F))
        admission.append(START + timedelta(days=rnd.randrange(0, span)))
    admission[-1] = min(admission[-1], TODAY)

# ---------------------------------------------------------------------------- firms
with Phase("firms, signatories, memberships, decisions"):
    Partner = env["res.partner"]
    firms = Partner.create(
        [
            {
                "name": f"Benchfirma {i + 1:03d} {WORDS[i % len(WORDS)]} AB",
                "is_company": True,
                "company_registry": orgnr(i + 1),
                "country_id": env.ref("base.se").id,
                "city": MUNICIPALITIES[i % len(MUNICIPALITIES)],
                "cluster_municipality": MUNICIPALITIES[i % len(MUNICIPALITIES)],
                "street": f"Storgatan {i + 1}",
                "zip": f"97{i % 100:03d}",
                "email": f"info@benchfirma{i + 1:03d}.example.com",
                "cluster_employees_women": 2 + experts_per_firm[i] // 2,
                "cluster_employees_men": 2 + experts_per_firm[i] // 2,
            }
            for i in range(F)
        ]
    )
    signatories = Partner.create(
        [
            {
                "name": f"{FIRST[i % len(FIRST)]} {LAST[(3 * i) % len(LAST)]} (firmatecknare)",
                "parent_id": firm.id,
                "email": f"bench-firm{i + 1:03d}-sign@example.com",
                "cluster_is_signatory": True,
            }
            for i, firm in enumerate(firms)
        ]
    )
    fee_products = env["product.product"].create(
        [
            {
                "name": f"Bench annual fee, {kind}",
                "type": "service",
                "membership": True,
                "list_price": price,
                "default_code": f"BENCH-FEE-{kind.upper()}",
            }
            for kind, price in (("core", 12000.0), ("member", 6000.0), ("associate", 2500.0))
        ]
    )
    mtypes = env["cluster.membership.type"].create(
        [
            {
                "name": f"Bench {category} firm",
                "category": category,
                "contribution_amount": contribution,
                "fee_product_id": product.id,
                "voting_right": category != "associate",
            }
            for (category, contribution), product in zip(
                (("core", 10000.0), ("member", 5000.0), ("associate", 0.0)),
                fee_products,
                strict=True,
            )
        ]
    )
    decisions = env["cluster.decision"].create(
        [
            {
                "date": admission[i],
                "title": f"Admission of {firm.name}",
            }
            for i, firm in enumerate(firms)
        ]
    )
    decisions.action_adopt()

    def mtype_of(i):
        return mtypes[0] if i < F // 5 else mtypes[1] if i < 4 * F // 5 else mtypes[2]

    memberships = env["cluster.membership"].create(
        [
            {
                "partner_id": firm.id,
                "membership_type_id": mtype_of(i).id,
                "state": "active",
                "date_application": admission[i] - timedelta(days=30),
                "date_admission": admission[i],
                "admission_decision_id": decisions[i].id,
                "contribution_amount": mtype_of(i).contribution_amount,
            }
            for i, firm in enumerate(firms)
        ]
    )

with Phase("fee and contribution invoices, payments of earlier years"):
    Membership = env["cluster.membership"]
    fee_moves = env["account.move"]
    for year in range(START.year, TODAY.year + 1):
        fee_moves |= Membership._run_annual_fees(
            year, invoice_date=min(date(year, 1, 31), TODAY), post=True
        )
    contribution_vals = []
    for membership in memberships.filtered(lambda m: m.contribution_to_invoice):
        vals = membership._prepare_contribution_move_vals(
            "out_invoice", membership.contribution_to_invoice
        )
        vals["invoice_date"] = membership.date_admission
        contribution_vals.append(vals)
    contributions = env["account.move"].create(contribution_vals)
    contributions.action_post()
    to_pay = (fee_moves | contributions).filtered(
        lambda m: m.invoice_date.year < TODAY.year and m.state == "posted"
    )
    for payment_date, moves in sorted(
        {
            d: to_pay.filtered(lambda m, d=d: m.invoice_date + timedelta(days=20) == d)
            for d in {m.invoice_date + timedelta(days=20) for m in to_pay}
        }.items()
    ):
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids
        ).create({"group_payment": False, "payment_date": payment_date})._create_payments()
    print(
        f"[bench-data]   {len(fee_moves)} fee invoices, {len(contributions)} contribution"
        f" invoices, {len(to_pay)} paid",
        flush=True,
    )

# ---------------------------------------------------------------------------- experts
with Phase("expert contacts"):
    expert_firm = [i for i in range(F) for _n in range(experts_per_firm[i])]
    people = Partner.create(
        [
            {
                "name": f"{FIRST[k % len(FIRST)]} {LAST[(k * 7 + k // len(FIRST)) % len(LAST)]}"
                f" ({i + 1:03d}-{k + 1})",
                "parent_id": firms[i].id,
                "email": f"expert{k + 1}@benchfirma{i + 1:03d}.example.com",
            }
            for k, i in enumerate(expert_firm)
        ]
    )

# Agreements are planned before the experts are created: an expert releases enough hours
# per month for the caps of its agreements.
A = P["agreements"]
n_bought = int(P["hours"] * BOUGHT_OUT_SHARE)
n_in_kind = P["hours"] - n_bought
experts_of_firm = defaultdict(list)
for k, i in enumerate(expert_firm):
    experts_of_firm[i].append(k)
agreement_plan = []
used = defaultdict(int)
# the last (new) firm: one agreement of ten lines, this year
last = F - 1
lender_weights = weights[:-1]
for a in range(A):
    if a == 0:
        lender = last
        date_from = max(month_start(admission[last]), month_start(TODAY - timedelta(days=60)))
        date_to = month_end(TODAY)
    else:
        lender = rnd.choices(range(F - 1), lender_weights)[0]
        months = rnd.randint(9, 30)
        first = add_months(START, rnd.randrange(0, max(1, (TODAY.year - START.year) * 12 + 6)))
        first = max(first, month_start(admission[lender]))
        date_from = min(first, month_start(TODAY))
        date_to = month_end(add_months(date_from, months - 1))
    # the firm's expert with the fewest agreements (the first ones first: the portal logins)
    expert = min(experts_of_firm[lender], key=lambda k: (used[k], k))
    used[expert] += 1
    association = a % 10 == 5
    buyer = None
    if not association:
        others = [i for i in range(F - 1) if i != lender]
        buyer = rnd.choices(others, [weights[i] for i in others])[0]
    agreement_plan.append(
        {
            "lender": lender,
            "expert": expert,
            "buyer": buyer,
            "date_from": date_from,
            "date_to": date_to,
        }
    )
# lines per agreement: the new firm's gets 10; the others a lognormal share of the rest,
# at most two lines (of at most 4 hours) per working day of the agreement until yesterday
for plan in agreement_plan:
    plan["monday"], plan["nwd"] = workdays(plan["date_from"], min(plan["date_to"], yesterday))
line_weights = [rnd.lognormvariate(0, 0.6) for _a in range(A - 1)]
for plan, n in zip(
    agreement_plan,
    [min(10, 2 * agreement_plan[0]["nwd"])]
    + fill(n_bought - 10, line_weights, [2 * plan["nwd"] for plan in agreement_plan[1:]]),
    strict=True,
):
    plan["lines"] = n
# hours an expert releases per month: enough for the caps of its agreements
HOUR_UNITS = (1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 1.0, 3.0)
expert_hours_per_month = defaultdict(lambda: 40.0)
for plan in agreement_plan:
    months = (plan["date_to"].year - plan["date_from"].year) * 12 + (
        plan["date_to"].month - plan["date_from"].month + 1
    )
    plan["cap"] = float(math.ceil(plan["lines"] * max(HOUR_UNITS) * 1.1 + 10))
    # overlapping agreements of one expert add up: release the sum of their needs
    expert_hours_per_month[plan["expert"]] += float(math.ceil(plan["cap"] / months) + 10)

with Phase("experts (cluster.expert + hr.employee)"):
    experts = env["cluster.expert"].create(
        [
            {
                "partner_id": person.id,
                "hourly_rate": float(rnd.choice((650, 750, 850, 950, 1100))),
                "hours_per_month": expert_hours_per_month[k],
                "visible_to_members": True,
            }
            for k, person in enumerate(people)
        ]
    )

with Phase("portal logins (signatories, three experts per firm)"):
    portal = env.ref("base.group_portal")
    logins = []
    for i in range(F):
        logins.append((f"bench-firm{i + 1:03d}-sign", signatories[i]))
        for n, k in enumerate(experts_of_firm[i][:3], start=1):
            logins.append((f"bench-firm{i + 1:03d}-exp{n:02d}", people[k]))
    users = env["res.users"].create(
        [
            {"login": login, "partner_id": partner.id, "groups_id": [Command.set([portal.id])]}
            for login, partner in logins
        ]
    )
    # password = login; hashed with fewer rounds than Odoo's default (the logins are for
    # load tests only); Odoo rehashes with its own rounds at the first login.
    handler = env["res.users"]._crypt_context().__obj__.handler("pbkdf2_sha512").using(rounds=1000)
    env.flush_all()
    cr.execute(
        "UPDATE res_users SET password = v.hash FROM unnest(%s::int[], %s::text[]) v(id, hash)"
        " WHERE res_users.id = v.id",
        [users.ids, [handler.hash(login) for login, _p in logins]],
    )
    print(f"[bench-data]   {len(users)} portal logins", flush=True)

# ---------------------------------------------------------------------------- projects
with Phase("funders, joint projects, participants, grants, budgets"):
    funders = Partner.create(
        [
            {
                "name": name,
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": kind,
            }
            for name, kind in (
                ("Bench Innovationsverket", "national_agency"),
                ("Region Benchbotten", "regional"),
                ("Länsstyrelsen Bench", "county_board"),
                ("Bench Regionalfonden (ERUF)", "eu_fund"),
                ("Benchby kommun", "municipality"),
                ("Stiftelsen Benchkapital", "private"),
            )
        ]
    )
    project_plan = []
    horizon = (TODAY - START).days - 120
    for _p in range(P["projects"]):
        date_start = START + timedelta(days=rnd.randrange(0, max(1, horizon)))
        date_end = date_start + timedelta(days=rnd.choice((365, 540, 730, 912, 1095)) - 1)
        candidates = [i for i in range(F - 1) if admission[i] <= date_start] or [0, 1]
        k = min(len(candidates), rnd.choice((2, 3, 3, 4, 4, 5, 6)))
        members = []
        while len(members) < k:
            pick = rnd.choices(candidates, [weights[i] for i in candidates])[0]
            if pick not in members:
                members.append(pick)
        shares = spread(100, [rnd.uniform(0.5, 1.5) * weights[i] ** 0.3 for i in members])
        project_plan.append(
            {
                "start": date_start,
                "end": date_end,
                "members": members,
                "shares": shares,
                "size": rnd.lognormvariate(0, 0.7) * (date_end - date_start).days,
            }
        )
    # the flagship: four years, the biggest firms, a seventh of the in-kind lines (about
    # 100,000 at the large size: the funder XLSX benchmark's project)
    flagship = project_plan[0]
    flagship["start"] = date(2022, 1, 1)
    flagship["end"] = date(2025, 12, 31)
    flagship["members"] = [i for i in range(F - 1) if admission[i] <= flagship["start"]][:6] or [
        0,
        1,
    ]
    flagship["shares"] = spread(100, [weights[i] ** 0.3 for i in flagship["members"]])
    flagship["size"] = sum(plan["size"] for plan in project_plan[1:]) / 6
    projects = env["project.project"].create(
        [
            {
                "name": f"Benchprojekt {p + 1:03d} {WORDS[(p * 3) % len(WORDS)]}",
                "is_joint_project": True,
                "allow_timesheets": True,
                "cluster_stage": "application",
                "date_start": plan["start"],
                "date": plan["end"],
                "cluster_participant_ids": [
                    Command.create(
                        {
                            "partner_id": firms[i].id,
                            "role": "lead" if n == 0 else "participant",
                            "cost_share": float(share),
                            "hourly_value": float(rnd.choice((450, 550, 650, 750))),
                            "committed_hours": 0.0,
                            "committed_cash": float(rnd.choice((25000, 50000, 100000))),
                        }
                    )
                    for n, (i, share) in enumerate(
                        zip(plan["members"], plan["shares"], strict=True)
                    )
                ],
            }
            for p, plan in enumerate(project_plan)
        ]
    )
    grant_vals = []
    for p, (project, plan) in enumerate(zip(projects, project_plan, strict=True)):
        for g in range(1 if p % 4 else 2):
            grant_vals.append(
                {
                    "name": f"BENCH-{p + 1:03d}-{g + 1}",
                    "project_id": project.id,
                    "funder_id": funders[(p + g) % len(funders)].id,
                    "amount_granted": round(plan["size"] * 2000, -3),
                    "max_public_share": 50.0 if g == 0 else 20.0,
                    "date_from": plan["start"],
                    "date_to": plan["end"],
                }
            )
    grants = env["cluster.grant"].create(grant_vals)
    budget_vals = []
    for project, plan in zip(projects, project_plan, strict=True):
        quarter = month_start(plan["start"])
        while quarter <= plan["end"]:
            end = min(month_end(add_months(quarter, 2)), plan["end"])
            for category, amount in (
                ("own_staff_in_kind", 120000),
                ("external", 40000),
                ("travel", 8000),
                ("premises", 12000),
                ("bought_out", 30000),
                ("other", 5000),
            ):
                budget_vals.append(
                    {
                        "project_id": project.id,
                        "category": category,
                        "date_from": max(quarter, plan["start"]),
                        "date_to": end,
                        "amount_planned": float(amount),
                    }
                )
            quarter = add_months(quarter, 3)
    env["cluster.budget.line"].create(budget_vals)
    # one consulting project per buying firm, for the agreements sold to members
    buyer_projects = env["project.project"].create(
        [
            {"name": f"Uppdrag {firm.name}", "allow_timesheets": True, "partner_id": firm.id}
            for firm in firms
        ]
    )
    print(
        f"[bench-data]   {len(projects)} joint projects, {len(grants)} grants,"
        f" {len(budget_vals)} budget lines",
        flush=True,
    )

with Phase("agreements"):
    agreement_vals = []
    for plan in agreement_plan:
        if plan["buyer"] is None:
            # a joint project running in the agreement's period buys the hours
            running = [
                p
                for p, pp in enumerate(project_plan)
                if pp["start"] <= plan["date_from"] and pp["end"] >= plan["date_to"]
            ]
            if running:
                p = running[0]
                plan["project"] = projects[p]
                # bought-out hours of a joint project lie in its (and its grants') period
                agreement_vals.append(
                    {
                        "expert_id": experts[plan["expert"]].id,
                        "project_id": projects[p].id,
                        "buyer_kind": "association",
                        "fee_percent": 0.0,
                        "date_from": plan["date_from"],
                        "date_to": plan["date_to"],
                        "hour_cap": plan["cap"],
                        "state": "active",
                    }
                )
                continue
            plan["buyer"] = (plan["lender"] + 1) % (F - 1)
        plan["project"] = buyer_projects[plan["buyer"]]
        agreement_vals.append(
            {
                "expert_id": experts[plan["expert"]].id,
                "project_id": buyer_projects[plan["buyer"]].id,
                "buyer_kind": "member",
                "buyer_id": firms[plan["buyer"]].id,
                "fee_percent": 5.0,
                "date_from": plan["date_from"],
                "date_to": plan["date_to"],
                "hour_cap": plan["cap"],
                "state": "active",
            }
        )
    agreements = env["cluster.agreement"].create(agreement_vals)
    for plan, agreement in zip(agreement_plan, agreements, strict=True):
        plan["agreement"] = agreement

# ---------------------------------------------------------------------------- hours
# In-kind pairs (person, joint project): experts without an agreement, of the participating
# firms, at most four projects each and one line per working day and project (so a day
# never exceeds 4 x 6 hours); as many people per firm as its share of the lines needs.
busy = {plan["expert"] for plan in agreement_plan}
pairs_of = defaultdict(int)
in_kind_pairs = []  # (expert index, project index, weight, capacity)
project_lines = spread(n_in_kind, [plan["size"] for plan in project_plan])
for p, plan in enumerate(project_plan):
    plan["monday"], plan["nwd"] = workdays(plan["start"], min(plan["end"], yesterday))
    if not plan["nwd"]:
        continue
    for i, share in zip(plan["members"], plan["shares"], strict=True):
        lines = project_lines[p] * share / 100
        pool = [k for k in experts_of_firm[i] if k not in busy and pairs_of[k] < 4]
        pool.sort(key=lambda k: pairs_of[k])
        chosen = pool[: max(1, math.ceil(lines / (0.7 * plan["nwd"])))]
        for k in chosen:
            pairs_of[k] += 1
            in_kind_pairs.append((k, p, lines / len(chosen), plan["nwd"]))
pair_lines = fill(
    n_in_kind, [w for _k, _p, w, _c in in_kind_pairs], [c for *_r, c in in_kind_pairs]
)
hour_pairs = []  # dicts: vals base, monday, nwd, lines
for (k, p, _w, _c), n in zip(in_kind_pairs, pair_lines, strict=True):
    plan = project_plan[p]
    if n:
        hour_pairs.append(
            {
                "base": {"project_id": projects[p].id, "employee_id": experts[k].employee_id.id},
                "monday": plan["monday"],
                "nwd": plan["nwd"],
                "lines": n,
                "units": (1.0, 2.0, 3.0, 4.0, 4.0, 6.0),
            }
        )
for plan in agreement_plan:
    if plan["nwd"] and plan["lines"]:
        hour_pairs.append(
            {
                "base": {
                    "project_id": plan["project"].id,
                    "employee_id": experts[plan["expert"]].employee_id.id,
                    "agreement_id": plan["agreement"].id,
                },
                "monday": plan["monday"],
                "nwd": plan["nwd"],
                "lines": plan["lines"],
                "units": HOUR_UNITS,
            }
        )

with Phase(f"hour lines (1 in {P['seed']} through the ORM, the rest INSERT ... SELECT)"):
    Line = env["account.analytic.line"]
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'account_analytic_line' AND column_name NOT IN ('id', 'date')"
    )
    columns = [row[0] for row in cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    select_list = ", ".join(f'l."{c}"' for c in columns)
    seeds = []  # (vals, pair index, j, S, total)
    for n, pair in enumerate(hour_pairs):
        s = max(1, math.ceil(pair["lines"] / P["seed"]))
        total = pair["lines"]
        for j in range(s):
            seeds.append(
                (
                    {
                        **pair["base"],
                        "name": "Arbete" if "agreement_id" not in pair["base"] else "Uppdrag",
                        "date": workday(pair["monday"], j * pair["nwd"] // total),
                        "unit_amount": pair["units"][(n + j) % len(pair["units"])],
                    },
                    n,
                    j,
                    s,
                    total,
                )
            )
    orm_time = 0.0
    orm_lines = 0
    for start in range(0, len(seeds), ORM_BATCH):
        batch = seeds[start : start + ORM_BATCH]
        t0 = time.perf_counter()
        created = Line.create([vals for vals, *_rest in batch])
        env.flush_all()
        orm_time += time.perf_counter() - t0
        orm_lines += len(created)
        cr.execute(
            f"""
            INSERT INTO account_analytic_line ({column_list}, "date")
            SELECT {select_list},
                   p.monday + 7 * ((((p.j + g * p.s) * p.nwd) / p.total) / 5)
                            + (((p.j + g * p.s) * p.nwd) / p.total) %% 5
              FROM account_analytic_line l
              JOIN unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::date[], %s::int[])
                   AS p(seed_id, j, s, total, monday, nwd) ON p.seed_id = l.id
             CROSS JOIN LATERAL generate_series(1, (p.total - 1 - p.j) / p.s) g
            """,  # noqa: S608 (column names from the catalogue)
            [
                created.ids,
                [j for _v, _n, j, _s, _t in batch],
                [s for _v, _n, _j, s, _t in batch],
                [t for _v, _n, _j, _s, t in batch],
                [hour_pairs[n]["monday"] for _v, n, *_r in batch],
                [hour_pairs[n]["nwd"] for _v, n, *_r in batch],
            ],
        )
        env.invalidate_all()
        cr.commit()
        print(
            f"[bench-data]   {start + len(batch):,}/{len(seeds):,} seed lines",
            flush=True,
        )
    print(
        f"[bench-data]   ORM: {orm_lines:,} lines in {orm_time:.1f} s"
        f" ({orm_time / max(orm_lines, 1) * 1000:.2f} ms per line)",
        flush=True,
    )

with Phase("hour states, agreement states, project stages, cash costs, claims"):
    first_of_month = month_start(TODAY)
    # agreement hours: earlier months approved (1 in 97 rejected), this month submitted up
    # to a week ago, the rest draft -- what the portal's submit/approve would leave
    cr.execute(
        """
        UPDATE account_analytic_line
           SET cluster_hour_state = CASE
                   WHEN date < %(month)s AND id %% 97 = 0 THEN 'rejected'
                   WHEN date < %(month)s THEN 'approved'
                   WHEN date < %(week)s THEN 'submitted'
                   ELSE 'draft' END,
               cluster_approved_by_id = CASE WHEN date < %(month)s THEN %(admin)s END,
               cluster_approved_on = CASE WHEN date < %(month)s
                   THEN (date + 3)::timestamp END
         WHERE agreement_id IS NOT NULL
        """,
        {"month": first_of_month, "week": TODAY - timedelta(days=7), "admin": admin.id},
    )
    ended = agreements.filtered(lambda a: a.date_to < first_of_month)
    cr.execute("UPDATE cluster_agreement SET state = 'closed' WHERE id = ANY(%s)", [ended.ids])
    cr.execute(
        """
        UPDATE project_project SET cluster_stage = CASE
               WHEN date < %s THEN 'closed' ELSE 'running' END
         WHERE id = ANY(%s)
        """,
        [TODAY, projects.ids],
    )
    env.invalidate_all()
    # cash costs (external, travel, premises) each quarter and members' cash each year
    cost_vals = []
    for project, plan in zip(projects, project_plan, strict=True):
        quarter = month_start(plan["start"])
        while quarter <= min(plan["end"], yesterday):
            for n, (category, amount) in enumerate(
                (("external", 30000.0), ("travel", 6000.0), ("premises", 9000.0))
            ):
                cost_vals.append(
                    {
                        "name": f"Kostnad {category}",
                        "account_id": project.account_id.id,
                        "date": min(quarter + timedelta(days=20 + n), yesterday),
                        "amount": -round(amount * rnd.uniform(0.5, 1.5), 2),
                        "cluster_cost_category": category,
                    }
                )
            quarter = add_months(quarter, 3)
        year = plan["start"].year
        while date(year, 3, 31) <= min(plan["end"], yesterday) or year == plan["start"].year:
            for participant in project.cluster_participant_ids:
                day = max(date(year, 3, 31), plan["start"])
                if day <= min(plan["end"], yesterday):
                    cost_vals.append(
                        {
                            "name": "Medfinansiering",
                            "account_id": project.account_id.id,
                            "partner_id": participant.partner_id.id,
                            "date": day,
                            "amount": participant.committed_cash / 2,
                        }
                    )
            year += 1
    env["account.analytic.line"].create(cost_vals)
    # payment claims: one per grant and complete year, paid; the last one submitted
    data = projects._cluster_cofinancing_data()
    claim_vals = []
    for project, plan in zip(projects, project_plan, strict=True):
        eligible = data.get(project.id, {}).get("eligible_cost", 0.0)
        for grant in project.cluster_grant_ids:
            year = plan["start"].year
            periods = []
            while date(year, 12, 31) < TODAY and date(year, 1, 1) <= plan["end"]:
                periods.append(
                    (
                        max(date(year, 1, 1), grant.date_from),
                        min(date(year, 12, 31), grant.date_to),
                    )
                )
                year += 1
            for n, (date_from, date_to) in enumerate(periods):
                amount = round(
                    eligible * grant.max_public_share / 100 * 0.9 / max(len(periods), 1), 2
                )
                claim_vals.append(
                    {
                        "name": f"{grant.name}/{date_to.year}",
                        "grant_id": grant.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "date": date_to + timedelta(days=30),
                        "amount_claimed": amount,
                        "amount_received": amount if n < len(periods) - 1 else 0.0,
                        "state": "paid" if n < len(periods) - 1 else "submitted",
                    }
                )
    env["cluster.grant.claim"].create(claim_vals)
    print(
        f"[bench-data]   {len(cost_vals)} cost and cash lines, {len(claim_vals)} payment claims,"
        f" {len(ended)} agreements closed",
        flush=True,
    )

with Phase("settlements of the earlier periods (created and posted)"):
    Settlement = env["cluster.settlement"].with_user(admin)
    periods = [(date(y, 1, 1), date(y, 12, 31)) for y in range(START.year, TODAY.year)]
    month = date(TODAY.year, 1, 1)
    while month < first_of_month:
        periods.append((month, month_end(month)))
        month = add_months(month, 1)
    # periods that an existing settlement (demo data) already covers are left to it
    existing = Settlement.search([])
    periods = [
        (date_from, date_to)
        for date_from, date_to in periods
        if not any(s.date_from <= date_to and s.date_to >= date_from for s in existing)
    ]
    documents = 0
    for date_from, date_to in periods:
        t0 = time.perf_counter()
        settlement = Settlement.create({"date_from": date_from, "date_to": date_to})
        settlement.action_run()
        moves = settlement.move_ids.filtered(lambda m: m.state == "draft")
        moves.action_post()
        documents += len(settlement.move_ids)
        env.flush_all()
        cr.commit()
        print(
            f"[bench-data]   settlement {date_from} - {date_to}: {len(settlement.move_ids)}"
            f" documents, {time.perf_counter() - t0:.1f} s",
            flush=True,
        )

with Phase("statistics (ANALYZE)"):
    cr.execute("ANALYZE")

# ---------------------------------------------------------------------------- summary
cr.execute(
    """
    SELECT count(*), count(*) FILTER (WHERE cluster_hour_use = 'in_kind'),
           count(*) FILTER (WHERE cluster_hour_use = 'bought_out'),
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cluster_hour_link link
                                          WHERE link.hour_id = line.id AND link.kind = 'bill'))
      FROM account_analytic_line line
     WHERE project_id IS NOT NULL AND employee_id IS NOT NULL
    """
)
total, in_kind, bought, settled = cr.fetchone()
cr.execute(
    """
    SELECT max(h) FROM (SELECT sum(unit_amount) h FROM account_analytic_line
     WHERE employee_id IS NOT NULL GROUP BY employee_id, date) t
    """
)
max_day = cr.fetchone()[0]
cr.execute(
    """
    SELECT min(n), max(n) FROM (
        SELECT f.id, count(l.id) n FROM res_partner f
          LEFT JOIN account_analytic_line l ON l.cluster_lender_id = f.id
         WHERE f.name LIKE 'Benchfirma %%' AND f.is_company GROUP BY f.id) t
    """
)
lent_min, lent_max = cr.fetchone()
elapsed = time.perf_counter() - started_all
summary = [
    f"## Data: `make bench-data SIZE={SIZE}` ({cr.dbname})",
    "",
    f"Built {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {elapsed / 60:.1f} min"
    " (generation; the database with the addons before it is not counted):"
    f" {F} firms, {P['experts']} experts, {P['projects']} joint projects, {A} agreements,"
    f" {START} to {TODAY}. Hour lines in the database: {total:,} ({in_kind:,} in-kind,"
    f" {bought:,} bought-out, {settled:,} of them settled); most hours of one person on one"
    f" day {max_day}; agreement lines lent per firm {lent_min:,} to {lent_max:,}."
    f" {len(seeds):,} hour lines were made through the ORM (`create(list)`, every compute"
    " and constraint), the rest copied from them with one `INSERT ... SELECT` per batch"
    " (only the date varies, within the same agreement or project window); hour approval,"
    " project stages and closing ended agreements were set with one UPDATE each.",
    "",
    "| phase | seconds | queries |",
    "|---|---|---|",
    *[f"| {name} | {seconds:.1f} | {queries:,} |" for name, seconds, queries in timings],
    "",
]
print()
print("\n".join(summary))
if os.environ.get("BENCH_DATA_OUT"):
    with open(os.environ["BENCH_DATA_OUT"], "w", encoding="utf-8") as handle:
        handle.write("\n".join(summary))
