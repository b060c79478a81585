# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Classes of risk of SECURITY.md that no other test names: context keys sent over RPC,
public methods called over RPC, access tokens."""

import inspect

from odoo.tests import tagged

from .portal_common import PortalCommon

CLUSTER_MODULES = ("cluster_base", "cluster_projects", "cluster_consulting")


@tagged("post_install", "-at_install")
class TestSecurityClasses(PortalCommon):
    def test_rpc_context_keys_switch_off_no_check(self):
        """SECURITY.md class "context keys come from the caller over RPC": keys that
        switch things off inside the ORM or our code (``active_test``,
        ``skip_readonly_check``, ``tracking_disable``, ``cluster_signatory_sync``,
        ``no_vat_validation``) give a portal user nothing more."""
        context = {
            "active_test": False,
            "skip_readonly_check": True,
            "tracking_disable": True,
            "cluster_signatory_sync": True,
            "no_vat_validation": True,
        }
        self._login("por_sig_b")
        found = self._rpc("cluster.agreement", "search_read", [], fields=["id"], context=context)
        self.assertEqual(
            {row["id"] for row in found}, {self.agreement_b.id, self.agreement_b_to_a.id}
        )
        self._count()
        for model, record, vals in (
            ("cluster.agreement", self.agreement_b, {"hour_cap": 1.0}),
            ("account.analytic.line", self.hour_b, {"unit_amount": 1.0}),
            ("res.partner", self.signatory_b, {"cluster_is_signatory": False}),
            ("res.partner", self.firm_a, {"name": "Kapad"}),
        ):
            self.assertRpcRefused(model, "write", record.ids, vals, context=context)
        self.assertRpcRefused(
            "account.analytic.line",
            "action_cluster_approve",
            self.hour_b_to_a.ids,
            context=context,
        )
        self.env.invalidate_all()
        self.assertEqual(self.agreement_b.hour_cap, 15.5)
        self.assertEqual(self.hour_b.unit_amount, 4.0)
        self.assertTrue(self.signatory_b.cluster_is_signatory)
        self.assertEqual(self.firm_a.name, "Anbudsdata AB")
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "submitted")
        self._count(5)

    def test_public_methods_recheck_rights_over_rpc(self):
        """SECURITY.md class "methods without a leading underscore are callable over
        RPC": every public ``action_*`` method of our expert-time models, called by
        another firm's signatory on firm A's records, is refused and changes nothing."""
        records = {
            "cluster.agreement": self.agreement_a_req,
            "cluster.expert": self.expert_a,
            "account.analytic.line": self.hour_a,
            "cluster.settlement": self.settlement_a,
        }
        before = {
            model: record.sudo().read(["write_date"])[0]["write_date"]
            for model, record in records.items()
        }
        self._login("por_sig_b")
        called = 0
        for model, record in records.items():
            for name, method in inspect.getmembers(type(self.env[model])):
                if not name.startswith("action_") or not callable(method):
                    continue
                module = getattr(method, "__module__", "") or ""
                if not module.startswith(tuple(f"odoo.addons.{m}." for m in CLUSTER_MODULES)):
                    continue
                self.assertRpcRefused(model, name, record.ids)
                called += 1
        self.assertGreaterEqual(called, 15)
        self.env.invalidate_all()
        for model, record in records.items():
            self.assertEqual(
                record.sudo().read(["write_date"])[0]["write_date"], before[model], model
            )
        self.assertEqual(self.agreement_a_req.state, "requested")
        self._count(len(records) + 1)

    def test_firm_records_open_with_no_token(self):
        """SECURITY.md class "access tokens rotate when a record changes firm": the
        firm's expert-time records carry no access token at all, so no token can outlive
        a move; a token in the URL opens nothing for another firm."""
        for model in ("cluster.agreement", "cluster.expert", "cluster.settlement"):
            self.assertNotIn("access_token", self.env[model]._fields, model)
        self.authenticate("por_sig_b", "por_sig_b")
        missing = self._missing_id("cluster.agreement")
        for url, missing_url in (
            (
                f"/my/cluster/agreements/{self.agreement_a.id}?access_token=x",
                f"/my/cluster/agreements/{missing}?access_token=x",
            ),
            (
                f"/my/cluster/statements/{self.settlement_a.id}/pdf?access_token=x",
                f"/my/cluster/statements/{self._missing_id('cluster.settlement')}/pdf",
            ),
        ):
            self.assertSameAsMissing("por_sig_b", url, missing_url, self._markers_a())
        self._count(3)
