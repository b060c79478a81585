# Development seed for `make load` before the benchmark data generator exists: firms and
# portal users with the generator's contract (login bench-firm%03d-sign and
# bench-firm%03d-exp%02d, password = login, unique firm names ending in "AB"), each firm
# a member, and a few agreements between neighbouring firms. Run in `odoo shell`:
#   ./scripts/odoo.sh shell -d cluster_load_dev --no-http < bench/load/seed_dev.py
# ruff: noqa: F821  (env is the shell's)
import os

from odoo import Command

n_firms = int(os.environ.get("SEED_FIRMS", "60"))
portal = env.ref("base.group_portal")
signatory = env.ref("cluster_consulting.cluster_consulting_group_signatory")
mtype = env["cluster.membership.type"].search([("fee_product_id", "!=", False)], limit=1)
se = env.ref("base.se")


def orgnr(i):
    """A valid Swedish organisation number (Luhn check digit) for firm ``i``."""
    digits = f"559{i:06d}"
    total = 0
    for pos, char in enumerate(digits):
        value = int(char) * (2 if pos % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    check = (10 - total % 10) % 10
    return f"{digits[:6]}-{digits[6:]}{check}"


firms = env["res.partner"].create(
    [
        {
            "name": f"Lastfirma {i:03d} Norrland AB",
            "is_company": True,
            "company_registry": orgnr(i),
            "country_id": se.id,
        }
        for i in range(1, n_firms + 1)
    ]
)
if mtype:
    env["cluster.membership"].create(
        [{"partner_id": f.id, "membership_type_id": mtype.id} for f in firms]
    )
users = []
for i, firm in enumerate(firms, start=1):
    sign = env["res.partner"].create(
        {"name": f"Signatär {i:03d}", "parent_id": firm.id, "cluster_is_signatory": True}
    )
    users.append({"login": f"bench-firm{i:03d}-sign", "partner_id": sign.id})
    for e in range(1, 3):
        exp = env["res.partner"].create({"name": f"Expert {i:03d}-{e}", "parent_id": firm.id})
        users.append({"login": f"bench-firm{i:03d}-exp{e:02d}", "partner_id": exp.id})
env["res.users"].with_context(no_reset_password=True).create(
    [
        {
            **u,
            "password": u["login"],
            "groups_id": [Command.set([portal.id])],
        }
        for u in users
    ]
)
firms.child_ids.filtered("cluster_is_signatory")._cluster_sync_signatory_group()
env.cr.commit()
print(f"seeded {len(firms)} firms, {len(users)} portal users")
