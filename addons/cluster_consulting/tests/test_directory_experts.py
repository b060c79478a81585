# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestDirectoryExperts(PortalCommon):
    """The members' directory lists the experts a firm makes visible, nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mtype = cls.env["cluster.membership.type"].create(
            {"name": "Kärnföretag katalog", "category": "core", "voting_right": True}
        )
        for firm in (cls.firm_a, cls.firm_b):
            membership = cls.env["cluster.membership"].create(
                {"partner_id": firm.id, "membership_type_id": mtype.id}
            )
            membership.action_apply()
            decision = cls.env["cluster.decision"].create({"title": "Antagning"})
            decision.action_adopt()
            membership.admission_decision_id = decision
            membership.write({"state": "admitted"})
            membership.write({"state": "active"})
        cls.firm_b.cluster_directory_opt_in = True
        cls.expert_b.write({"visible_to_members": True, "hourly_rate": 1234.0})
        cls.expert_a.visible_to_members = True  # firm A has not opted in

    @staticmethod
    def _entry(body, firm):
        """The directory entry of ``firm`` in the page ("" when the firm is not listed)."""
        marker = f'data-firm-id="{firm.id}"'
        if marker not in body:
            return ""
        return body.split(marker, 1)[1].split("o_cluster_member_entry", 1)[0]

    def test_visible_experts_of_listed_firms(self):
        body = self.assertPageWithout(
            "por_sig_a",
            "/my/cluster/members",
            forbidden=["1,234", "1 234"],
            expected=[self.firm_b.name, self.expert_b.name],
        )
        entry_b = self._entry(body, self.firm_b)
        self.assertIn(self.expert_b.name, entry_b)
        self.assertIn("o_cluster_member_experts", entry_b)
        # firm A has not opted in: neither it nor its visible expert is listed
        self.assertFalse(self._entry(body, self.firm_a))

    def test_hidden_expert_not_listed(self):
        self.expert_b.visible_to_members = False
        # an expert of firm A reads the directory too
        body = self.assertPageWithout(
            "por_exp_a", "/my/cluster/members", forbidden=[], expected=[self.firm_b.name]
        )
        entry_b = self._entry(body, self.firm_b)
        self.assertTrue(entry_b)
        self.assertNotIn(self.expert_b.name, entry_b)
        self.assertNotIn("o_cluster_member_experts", entry_b)
