# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import new_test_user

from odoo.addons.cluster_base.tests.portal_common import ClusterPortalMixin

from .common import ConsultingCommon

PORTAL = "base.group_portal"
SIGNATORY = "base.group_portal,cluster_base.cluster_base_group_signatory"


class PortalCommon(ConsultingCommon, ClusterPortalMixin):
    """Firm A (Anbudsdata) and firm B (Byggfakta Norr) with portal users, on the
    member portal's test helpers (``ClusterPortalMixin``: HTTP and JSON-RPC helpers
    that count the isolation checks).

    - agreement_a, agreement_a_req: expert A lent to the association (only firm A).
    - agreement_b_to_a: expert B lent to firm A (firm A buys, firm B lends).
    - agreement_b: expert B lent to the association (only firm B).
    - settlement_a / settlement_b: statements with documents of one firm each.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory_a_user = new_test_user(
            cls.env,
            login="por_sig_a",
            groups=SIGNATORY,
            partner_id=cls.signatory_a.id,
            name=cls.signatory_a.name,
        )
        cls.signatory_b_user = new_test_user(
            cls.env,
            login="por_sig_b",
            groups=SIGNATORY,
            partner_id=cls.signatory_b.id,
            name=cls.signatory_b.name,
        )
        cls.expert_a_user = new_test_user(
            cls.env,
            login="por_exp_a",
            groups=PORTAL,
            partner_id=cls.person_a.id,
            name=cls.person_a.name,
        )
        cls.expert_b_user = new_test_user(
            cls.env,
            login="por_exp_b",
            groups=PORTAL,
            partner_id=cls.person_b.id,
            name=cls.person_b.name,
        )
        cls.agreement_a = cls._activate(cls._create_agreement(hour_cap=37.25))
        cls.agreement_a_req = cls._create_agreement(hour_cap=30.0)
        cls.agreement_a_req.with_user(cls.cluster_manager).action_request()
        cls.agreement_b_to_a = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                hour_cap=20.0,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
            )
        )
        cls.agreement_b = cls._activate(
            cls._create_agreement(expert_id=cls.expert_b.id, hour_cap=15.5)
        )
        cls.hour_a = cls._log(cls.agreement_a, date(2026, 3, 2), 3.0, name="Hemlig workshop Anbud")
        cls.hour_b_to_a = cls._log(
            cls.agreement_b_to_a, date(2026, 3, 3), 2.0, name="Leverans till Anbud"
        )
        cls.hour_b_to_a.with_user(cls.cluster_manager).action_cluster_submit()
        cls.hour_b = cls._log(
            cls.agreement_b, date(2026, 3, 4), 4.0, name="Intern Byggfakta analys"
        )
        cls.settlement_a, cls.settlement_b = cls._create_statements()

    @classmethod
    def _create_statements(cls):
        Settlement = cls.env["cluster.settlement"].with_user(cls.cluster_manager)
        settlements = Settlement.create(
            [
                {"date_from": date(2031, 1, 1), "date_to": date(2031, 1, 31)},
                {"date_from": date(2031, 2, 1), "date_to": date(2031, 2, 28)},
            ]
        )
        for settlement, firm, price in zip(
            settlements, (cls.firm_a, cls.firm_b), (4321.75, 1234.5), strict=True
        ):
            cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": firm.id,
                    "cluster_settlement_id": settlement.id,
                    "invoice_date": settlement.date_to,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Expert time",
                                "quantity": 1,
                                "price_unit": price,
                                "tax_ids": [(6, 0, [])],
                            },
                        )
                    ],
                }
            )
        return settlements

    def _markers_a(self):
        """Names and references only firm A (and the association) may see."""
        return [
            self.agreement_a.name,
            self.agreement_a_req.name,
            "Astrid Lind",
            "Hemlig workshop Anbud",
            "37.25",
            "37,25",
            self.settlement_a.name,
            "4,321.75",
            "4 321,75",
        ]

    def _markers_b(self):
        """Names and references only firm B (and the association) may see."""
        return [
            self.agreement_b.name,
            "Intern Byggfakta analys",
            "15.50",
            "15,50",
            self.settlement_b.name,
            "1,234.50",
            "1 234,50",
        ]
