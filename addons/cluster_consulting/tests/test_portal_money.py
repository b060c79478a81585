# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Class "money visible to experts" (SECURITY.md: money fields carry ``groups=`` for
those allowed to see money; amounts in chatter are internal notes).

An expert reads consumption against the cap, never a rate, a fee, a value or an hour's
amount: not over JSON-RPC (read, search on, group by), not in the agreement's chatter
(the portal's ``/mail/chatter_fetch``, the stock ``/mail/thread/messages``, or
``mail.message`` itself). The firm's signatory still reads them, and the pages that
show money to signatories still do.
"""

import json

from odoo.tests import tagged

from .portal_common import PortalCommon

AGREEMENT_MONEY = [
    "hourly_rate",
    "fee_percent",
    "amount_cap",
    "amount_consumed",
    "amount_approved",
    "amount_invoiced",
    "amount_remaining",
]
HOUR_MONEY = ["amount", "cluster_agreement_amount", "cluster_in_kind_value"]


@tagged("post_install", "-at_install")
class TestPortalMoney(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A tracked change of money on the requested agreement (rate 800 -> 850).
        cls.env.flush_all()
        cls.env.cr.precommit.run()  # what the fixture left pending, as at a commit
        cls.agreement_a_req.with_user(cls.cluster_manager).with_context({}).write(
            {"hourly_rate": 850.0}
        )
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.rates = ["800.0", "800,0", "800.00", "850.0", "850,0", "850.00"]

    def test_expert_reads_no_money_over_rpc(self):
        self._login("por_exp_a")
        fields = self._rpc("cluster.agreement", "fields_get", [], attributes=["type"])
        self.assertFalse(set(AGREEMENT_MONEY) & set(fields))
        self.assertIn("hours_consumed", fields)
        self.assertFalse(
            {"hourly_rate"} & set(self._rpc("cluster.expert", "fields_get", [], attributes=[]))
        )
        self.assertFalse(
            set(HOUR_MONEY)
            & set(self._rpc("account.analytic.line", "fields_get", [], attributes=[]))
        )
        self._count(3)
        # consumption against the cap, without money
        rows = self._rpc(
            "cluster.agreement", "read", self.agreement_a.ids, ["hours_consumed", "hour_cap"]
        )
        self.assertEqual(rows[0]["hour_cap"], 37.25)
        self._count()
        for fname in AGREEMENT_MONEY:
            self.assertRpcRefused("cluster.agreement", "read", self.agreement_a.ids, [fname])
            if self.env["cluster.agreement"]._fields[fname].store:
                self.assertRpcRefused(
                    "cluster.agreement", "search_read", [(fname, ">", 0)], fields=["id"]
                )
        self.assertRpcRefused("cluster.agreement", "read_group", [], ["amount_cap:sum"], ["state"])
        self.assertRpcRefused(
            "cluster.agreement", "search_read", [], fields=["id"], order="hourly_rate desc"
        )
        self.assertRpcRefused("cluster.expert", "read", self.expert_a.ids, ["hourly_rate"])
        self.assertRpcRefused(
            "cluster.expert", "search_read", [("hourly_rate", "=", 800.0)], fields=["id"]
        )
        for fname in HOUR_MONEY:
            self.assertRpcRefused("account.analytic.line", "read", self.hour_a.ids, [fname])
            if self.env["account.analytic.line"]._fields[fname].store:
                self.assertRpcRefused(
                    "account.analytic.line", "search_read", [(fname, "!=", 0)], fields=["id"]
                )
        # reading every number the expert may read shows no rate or value
        dumped = json.dumps(
            [
                self._rpc(model, "search_read", [], fields=self._numbers(model))
                for model in ("cluster.agreement", "cluster.expert", "account.analytic.line")
            ]
        )
        for text in ("800.0", "850.0", str(self.agreement_a.amount_cap)):
            self.assertNotIn(text, dumped)
        self._count(3)

    def _numbers(self, model):
        described = self._rpc(model, "fields_get", [], attributes=["type"])
        return [
            name
            for name, field in described.items()
            if field["type"] in ("float", "monetary", "integer")
        ]

    def test_signatory_reads_and_filters_money(self):
        self._login("por_sig_a")
        rows = self._rpc(
            "cluster.agreement",
            "search_read",
            [("hourly_rate", ">", 0), ("id", "=", self.agreement_a.id)],
            fields=AGREEMENT_MONEY,
        )
        self.assertEqual(rows[0]["hourly_rate"], 800.0)
        self.assertEqual(rows[0]["amount_cap"], 37.25 * 800.0)
        self.assertEqual(
            self._rpc("cluster.expert", "read", self.expert_a.ids, ["hourly_rate"])[0][
                "hourly_rate"
            ],
            800.0,
        )
        hours = self._rpc(
            "account.analytic.line", "read", self.hour_a.ids, ["cluster_agreement_amount"]
        )
        self.assertEqual(hours[0]["cluster_agreement_amount"], 2400.0)
        self._count(4)
        # the signatory's agreement page still shows the rate and the value
        self.assertPageWithout(
            "por_sig_a",
            f"/my/cluster/agreements/{self.agreement_a.id}",
            [],
            expected=["Hourly rate", f"{self.agreement_a.amount_cap:,.2f}"],
        )

    def _chatter(self, login, agreement):
        """Everything the agreement's chatter gives ``login``: the portal's chatter, the
        stock thread route and ``mail.message`` over RPC."""
        self._login(login)
        portal = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "cluster.agreement", "thread_id": agreement.id, "limit": 100},
        )
        thread = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "cluster.agreement", "thread_id": agreement.id, "limit": 100},
        )
        messages = self._rpc(
            "mail.message",
            "search_read",
            [("model", "=", "cluster.agreement"), ("res_id", "=", agreement.id)],
            fields=["body", "subject"],
        )
        return json.dumps([portal, thread, messages], ensure_ascii=False)

    def test_chatter_holds_no_amount_for_the_expert(self):
        agreement = self.agreement_a_req
        internal = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", agreement._name), ("res_id", "=", agreement.id)])
            .filtered(lambda m: "hourly_rate" in m.tracking_value_ids.field_id.mapped("name"))
        )
        self.assertTrue(internal, "the rate change is tracked")
        self.assertTrue(internal.subtype_id.internal or internal.is_internal)
        for login in ("por_exp_a", "por_sig_a"):
            dumped = self._chatter(login, agreement)
            # the request itself reaches them, without its rate
            self.assertIn(agreement.name, dumped, login)
            self.assertIn("to lend", dumped, login)
            for rate in self.rates:
                self.assertNotIn(rate, dumped, f"{login} sees {rate}")
            self._count(2 + len(self.rates))
