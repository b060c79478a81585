"""Read, before a load run, who logs in and which firm names each of them may see.

    python bench/load/prepare.py DB USERS OUT.json

Writes a JSON file for the locustfile:

* ``users``: ``USERS`` distinct portal logins of the benchmark data (``bench-firm%03d-sign``
  signatories first, one per firm, then ``bench-firm%03d-exp%02d`` experts), each with its
  firm (commercial partner) id; password = login (the generator's contract);
* ``firms``: every firm of the database (company partners that are members, have a portal
  login or are a party of an agreement; not the association's own company) with its name
  and organisation/VAT numbers;
* ``allowed``: per firm, the firms it may legitimately see named: itself and the other
  party of its own agreements (lender and buyer are both on the agreement and its hours);
  each user has its own list: a signatory its firm's, an expert only its own firm and the
  other party of the agreements it works on;
* ``foreign_agreements``: per firm, a few ids of agreements it is no party of, to probe
  that asking for another firm's record by id gives nothing.

Nothing is written to the database.
"""

import json
import sys
from collections import defaultdict

import psycopg2


def main():
    db, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    conn = psycopg2.connect(dbname=db)
    cr = conn.cursor()
    cr.execute(
        """
        SELECT u.login, p.commercial_partner_id, COALESCE(p.cluster_is_signatory, false), u.id
          FROM res_users u
          JOIN res_partner p ON p.id = u.partner_id
         WHERE u.active AND u.share AND u.login LIKE 'bench-firm%%'
         ORDER BY (u.login NOT LIKE '%%-sign'), u.login
        """
    )
    rows = cr.fetchall()
    # signatories of distinct firms first (they see the most), then experts round-robin
    # over the firms so that the run covers as many firms as logins
    signatories = [r for r in rows if r[0].endswith("-sign")]
    experts = [r for r in rows if not r[0].endswith("-sign")]
    n_experts = min(len(experts), count // 5)
    chosen = signatories[: count - n_experts]
    used_firms = {r[1] for r in chosen}
    # one expert per firm not yet covered first (exp01 of every firm before any exp02)
    rest = sorted(experts, key=lambda r: (r[1] in used_firms, r[0][-2:], r[0]))
    chosen += rest[: count - len(chosen)]
    if len(chosen) < count:
        sys.exit(
            f"{db} has {len(rows)} benchmark portal logins (bench-firm*), {count} wanted: "
            "build it with `make bench-data` (or bench/load/seed_dev.py for development)"
        )
    cr.execute(
        """
        SELECT p.id, p.name, p.company_registry, p.vat
          FROM res_partner p
         WHERE p.is_company AND p.name IS NOT NULL
           AND p.id NOT IN (SELECT partner_id FROM res_company)
           AND (p.id IN (SELECT partner_id FROM cluster_membership)
                OR p.id IN (SELECT lender_id FROM cluster_agreement)
                OR p.id IN (SELECT buyer_id FROM cluster_agreement)
                OR p.id IN (SELECT pp.commercial_partner_id
                              FROM res_users u JOIN res_partner pp ON pp.id = u.partner_id
                             WHERE u.share))
        """
    )
    firms = {}
    for firm_id, name, registry, vat in cr.fetchall():
        numbers = sorted({n.strip() for n in (registry, vat) if n and len(n.strip()) >= 8})
        firms[firm_id] = {"name": name.strip(), "numbers": numbers}
    allowed = defaultdict(set)
    for firm_id in firms:
        allowed[firm_id].add(firm_id)
    cr.execute(
        "SELECT lender_id, buyer_id FROM cluster_agreement "
        "WHERE lender_id IS NOT NULL AND buyer_id IS NOT NULL"
    )
    for lender, buyer in cr.fetchall():
        allowed[lender].add(buyer)
        allowed[buyer].add(lender)
    # what each user may see: a signatory its firm's counterparties; an expert only the
    # other party of the agreements it works on
    user_allowed = {}
    for login, firm_id, sign, uid in chosen:
        if sign:
            user_allowed[login] = sorted(allowed[firm_id])
            continue
        cr.execute(
            """
            SELECT a.lender_id, a.buyer_id FROM cluster_agreement a
              JOIN cluster_expert e ON e.id = a.expert_id
             WHERE e.user_id = %s
            """,
            (uid,),
        )
        parties = {firm_id} | {p for row in cr.fetchall() for p in row if p}
        user_allowed[login] = sorted(parties)
    foreign = {}
    for _login, firm_id, _sign, _uid in chosen:
        cr.execute(
            """
            SELECT id FROM cluster_agreement
             WHERE COALESCE(lender_id, 0) <> %s AND COALESCE(buyer_id, 0) <> %s
             ORDER BY id DESC LIMIT 5
            """,
            (firm_id, firm_id),
        )
        foreign[firm_id] = [r[0] for r in cr.fetchall()]
    conn.close()
    data = {
        "db": db,
        "users": [
            {
                "login": login,
                "firm_id": firm_id,
                "signatory": sign,
                "allowed": user_allowed[login],
            }
            for login, firm_id, sign, _uid in chosen
        ],
        "firms": {str(k): v for k, v in firms.items()},
        "allowed": {str(k): sorted(v) for k, v in allowed.items()},
        "foreign_agreements": {str(k): v for k, v in foreign.items()},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    sizes = sorted(len(v) for v in user_allowed.values())
    print(
        f"[load] each user may see 1 to {sizes[-1]} firms (median {sizes[len(sizes) // 2]}): "
        "its own and the other party of its agreements",
        file=sys.stderr,
    )
    print(
        f"[load] {len(chosen)} logins ({sum(1 for c in chosen if c[2])} signatories) "
        f"of {len({c[1] for c in chosen})} firms; {len(firms)} firms checked in every body",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
