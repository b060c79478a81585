from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestSecurity(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement_a = cls._activate(cls._create_agreement(hour_cap=30.0))
        cls.agreement_b = cls._activate(
            cls._create_agreement(expert_id=cls.expert_b.id, hour_cap=20.0)
        )
        cls.hour_a = cls._log(cls.agreement_a, date(2026, 3, 2), 3.0)
        cls.hour_b = cls._log(cls.agreement_b, date(2026, 3, 2), 2.0)
        portal = "base.group_portal"
        signatory = "base.group_portal,cluster_base.cluster_base_group_signatory"
        cls.expert_a_user = new_test_user(
            cls.env, login="sec_expert_a", groups=portal, partner_id=cls.person_a.id
        )
        cls.signatory_a_user = new_test_user(
            cls.env, login="sec_sig_a", groups=signatory, partner_id=cls.signatory_a.id
        )
        cls.signatory_b_user = new_test_user(
            cls.env, login="sec_sig_b", groups=signatory, partner_id=cls.signatory_b.id
        )
        cls.stranger = new_test_user(cls.env, login="sec_stranger", groups=portal)

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_expert_link(self):
        self.assertEqual(self.expert_a.user_id, self.expert_a_user)

    def test_expert_sees_only_own(self):
        user = self.expert_a_user
        agreements = self.agreement_a | self.agreement_b
        self.assertEqual(self._visible(user, "cluster.agreement", agreements), self.agreement_a)
        hours = self.hour_a | self.hour_b
        self.assertEqual(self._visible(user, "account.analytic.line", hours), self.hour_a)
        self.assertEqual(
            self._visible(user, "cluster.expert", self.expert_a | self.expert_b),
            self.expert_a,
        )
        with self.assertRaises(AccessError):
            self.agreement_b.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.hour_b.with_user(user).read(["unit_amount"])
        with self.assertRaises(AccessError):
            self.hour_a.with_user(user).write({"unit_amount": 1.0})
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(user).write({"hour_cap": 100.0})

    def test_signatory_sees_firm(self):
        agreements = self.agreement_a | self.agreement_b
        self.assertEqual(
            self._visible(self.signatory_a_user, "cluster.agreement", agreements),
            self.agreement_a,
        )
        self.assertEqual(
            self._visible(self.signatory_b_user, "cluster.agreement", agreements),
            self.agreement_b,
        )
        self.assertEqual(
            self._visible(
                self.signatory_a_user,
                "account.analytic.line",
                self.hour_a | self.hour_b,
            ),
            self.hour_a,
        )
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(self.signatory_b_user).read(["name"])
        with self.assertRaises(AccessError):
            self.hour_a.with_user(self.signatory_b_user).read(["unit_amount"])
        groups = (
            self.env["cluster.agreement"]
            .with_user(self.signatory_b_user)
            ._read_group([], ["lender_id"], ["hour_cap:sum"])
        )
        self.assertEqual(groups, [(self.firm_b, 20.0)])

    def test_visible_experts(self):
        self.assertFalse(self._visible(self.signatory_b_user, "cluster.expert", self.expert_a))
        self.expert_a.visible_to_members = True
        self.assertEqual(
            self._visible(self.signatory_b_user, "cluster.expert", self.expert_a),
            self.expert_a,
        )

    def test_stranger_sees_nothing(self):
        user = self.stranger
        self.assertFalse(
            self._visible(user, "cluster.agreement", self.agreement_a | self.agreement_b)
        )
        self.assertFalse(self._visible(user, "account.analytic.line", self.hour_a | self.hour_b))
        self.assertFalse(self._visible(user, "cluster.expert", self.expert_a | self.expert_b))
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.agreement_a.with_user(user).action_lender_approve()

    def test_internal_roles(self):
        # a cluster user and a board member read agreements but cannot change them
        for user in (self.cluster_user, self.board_user):
            agreement = self.agreement_a.with_user(user)
            self.assertEqual(agreement.read(["name"])[0]["name"], self.agreement_a.name)
            with self.assertRaises(AccessError):
                agreement.write({"hour_cap": 99.0})
            with self.assertRaises(AccessError):
                self.env["cluster.agreement"].with_user(user).create(
                    {
                        "expert_id": self.expert_a.id,
                        "project_id": self.project.id,
                        "date_from": date(2026, 8, 1),
                        "date_to": date(2026, 8, 31),
                        "hour_cap": 5.0,
                    }
                )
