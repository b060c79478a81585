"""State aid to member firms (de minimis, Regulation (EU) 2023/2831), computed by hand.

The single undertaking is a firm with its parent company and their subsidiaries; the
ceiling is EUR 300,000 over any three years; a warning at 80 %; a certificate to the
firm; records kept ten years.
"""

from datetime import date, datetime

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.cluster_base.tests.portal_common import ClusterPortalMixin

from .common import ClusterProjectsCommon

RATE = 11.5  # SEK per EUR in these tests


class StateAidCommon(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.parent = Partner.create({"name": "Moderbolaget Holding AB", "is_company": True})
        cls.firm_a.cluster_undertaking_parent_id = cls.parent
        cls.sister = Partner.create(
            {
                "name": "Systerbolaget Data AB",
                "is_company": True,
                "cluster_undertaking_parent_id": cls.parent.id,
            }
        )
        cls.company = cls.env.company
        cls.company.cluster_de_minimis_ceiling_eur = 300000.0
        cls.company.cluster_de_minimis_warning_pct = 80.0

    @classmethod
    def _aid(cls, firm, eur, when, grant=True, **vals):
        aid = cls.env["cluster.state.aid"].create(
            {
                "partner_id": firm.id,
                "date_granted": when,
                "amount": eur * RATE,
                "eur_rate": RATE,
                "source": "other",
                "computation": "test",
                **vals,
            }
        )
        if grant:
            aid.action_grant()
        return aid


@tagged("post_install", "-at_install")
class TestStateAid(StateAidCommon):
    def test_single_undertaking(self):
        undertaking = self.firm_a._cluster_single_undertaking()
        self.assertEqual(undertaking, self.parent | self.firm_a | self.sister)
        self.assertEqual(self.firm_b._cluster_single_undertaking(), self.firm_b)
        with self.assertRaisesRegex(ValidationError, "its own parent"):
            self.parent.cluster_undertaking_parent_id = self.sister
            self.parent.flush_recordset()

    def test_ceiling_over_rolling_three_years_with_parent_and_warning(self):
        # 2024-03-01: EUR 100,000 to the parent company
        self._aid(self.parent, 100000.0, date(2024, 3, 1))
        # 2025-06-01: EUR 120,000 to firm A; declared: EUR 20,000 to the sister
        self._aid(self.firm_a, 120000.0, date(2025, 6, 1))
        self.env["cluster.state.aid.declaration"].create(
            {
                "partner_id": self.sister.id,
                "grantor": "Kommunen",
                "date_granted": date(2025, 9, 1),
                "amount_eur": 20000.0,
            }
        )
        # by hand: 100,000 + 120,000 + 20,000 = 240,000 = 80 % of 300,000
        self.assertEqual(self.firm_a._cluster_de_minimis_total_eur(date(2026, 1, 1)), 240000.0)
        self.assertEqual(self.sister._cluster_de_minimis_total_eur(date(2026, 1, 1)), 240000.0)
        self.assertEqual(self.firm_b._cluster_de_minimis_total_eur(date(2026, 1, 1)), 0.0)
        # EUR 10 more on 2026-01-10 reaches 240,010: 80 % -> a warning on the aid
        small = self._aid(self.firm_a, 10.0, date(2026, 1, 10))
        self.assertEqual(small.undertaking_total_eur, 240010.0)
        self.assertTrue(
            small.message_ids.filtered(lambda m: "80 %" in (m.body or "")),
            "a warning at 80 % of the ceiling",
        )
        # EUR 70,000 on 2026-06-01 would make 310,010 > 300,000: refused with the figures
        big = self._aid(self.firm_a, 70000.0, date(2026, 6, 1), grant=False)
        with self.assertRaisesRegex(UserError, r"240010\.00.*70000\.00.*310010\.00.*300000\.00"):
            big.action_grant()
        self.assertEqual(big.state, "draft")
        # after 2027-03-01 the parent's aid of 2024-03-01 has left the three years:
        # 120,000 + 20,000 + 10 + 70,000 = 210,010
        late = self._aid(self.firm_a, 70000.0, date(2027, 3, 1))
        self.assertEqual(late.undertaking_total_eur, 210010.0)
        # on 2027-02-28 it was still inside
        self.assertEqual(
            self.firm_a._cluster_de_minimis_total_eur(date(2027, 2, 28)),
            100000.0 + 120000.0 + 20000.0 + 10.0,
        )

    def test_eur_value_from_odoo_rates_or_refused(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        aid = self.env["cluster.state.aid"].create(
            {
                "partner_id": self.firm_b.id,
                "date_granted": date(2026, 4, 15),
                "amount": 23000.0,
                "source": "other",
                "computation": "test",
            }
        )
        self.env["res.currency.rate"].search([("currency_id", "=", eur.id)]).unlink()
        with self.assertRaisesRegex(UserError, "no EUR exchange rate on or before 2026-04-15"):
            aid.action_grant()
        # Odoo's rate: EUR per SEK; 0.08 EUR per SEK = 12.5 SEK per EUR
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "name": date(2026, 4, 1), "rate": 0.08}
        )
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "name": date(2026, 5, 1), "rate": 0.1}
        )
        aid.action_grant()
        self.assertEqual(aid.amount_eur, 1840.0)  # 23,000 / 12.5
        self.assertAlmostEqual(aid.eur_rate, 12.5)
        # frozen: a later rate or edit does not change it
        with self.assertRaisesRegex(UserError, "is granted"):
            aid.amount = 1.0

    def test_records_kept_and_cancelled_with_reason(self):
        aid = self._aid(self.firm_b, 1000.0, date(2026, 2, 1))
        self.assertEqual(aid.retain_until, date(2036, 2, 1))
        with self.assertRaisesRegex(UserError, "kept for ten years"):
            aid.unlink()
        with self.assertRaisesRegex(UserError, "reason"):
            aid.action_cancel()
        aid.cancel_reason = "Recorded twice"
        aid.action_cancel()
        self.assertEqual(aid.state, "cancelled")
        self.assertEqual(self.firm_b._cluster_de_minimis_total_eur(date(2026, 3, 1)), 0.0)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            with freeze_time("2026-05-01"):
                self.env["cluster.state.aid.declaration"].create(
                    {
                        "partner_id": self.firm_a.id,
                        "grantor": "Framtiden",
                        "date_granted": date(2026, 6, 1),
                        "amount_eur": 5.0,
                    }
                )
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._aid(self.firm_a, -5.0, date(2026, 1, 1), grant=False)
        contact = self.env["res.partner"].create({"name": "Person", "parent_id": self.firm_a.id})
        with self.assertRaisesRegex(ValidationError, "not to the person"):
            self._aid(contact, 5.0, date(2026, 1, 1), grant=False)

    def test_activity_shares_by_attendees(self):
        event = self.env["event.event"].create(
            {
                "name": "Coaching av säljare",
                "date_begin": datetime(2026, 3, 10, 8, 0),
                "date_end": datetime(2026, 3, 10, 16, 0),
                "cluster_project_id": self.project.id,
                "cluster_activity_type": "coaching",
                "cluster_aid_value": 10000.0,
            }
        )
        Registration = self.env["event.registration"]
        for firm, count in ((self.firm_a, 2), (self.firm_b, 1)):
            for index in range(count):
                contact = self.env["res.partner"].create(
                    {"name": f"{firm.name} {index}", "parent_id": firm.id}
                )
                Registration.create(
                    {"event_id": event.id, "partner_id": contact.id, "state": "open"}
                )
        action = event.with_user(self.cluster_manager).action_cluster_record_state_aid()
        aids = self.env["cluster.state.aid"].search(action["domain"])
        by_firm = {aid.partner_id: aid.amount for aid in aids}
        # 10,000 × 2/3 = 6,666.67 and the rest, 3,333.33: the shares add up to the value
        self.assertEqual(by_firm[self.firm_a], 6666.67)
        self.assertEqual(by_firm[self.firm_b], 3333.33)
        self.assertEqual(set(aids.mapped("state")), {"draft"})
        with self.assertRaisesRegex(UserError, "already recorded"):
            event.action_cluster_record_state_aid()

    def test_certificate_rendered_and_sent(self):
        signatory = self.env["res.partner"].create(
            {
                "name": "Signe Signatur",
                "parent_id": self.firm_b.id,
                "email": "signe@example.com",
                "cluster_is_signatory": True,
            }
        )
        aid = self._aid(self.firm_b, 1234.5, date(2026, 2, 1))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("cluster_projects.action_report_state_aid_certificate", aid.ids)[0]
            .decode()
        )
        self.assertIn("1,234.50", html)
        self.assertIn("Kvarnbo Telemarketing AB", html)
        self.assertIn("2023/2831", html)
        # EUR figures in the reader's number format, with the euro sign, not '%.2f'
        self.assertIn(f"{aid.amount_eur:,.2f}", html)
        self.assertIn("€", html)
        self.env["res.lang"]._activate_lang("sv_SE")
        html_sv = (
            self.env["ir.actions.report"]
            .with_context(lang="sv_SE")
            ._render_qweb_html("cluster_projects.action_report_state_aid_certificate", aid.ids)[0]
            .decode()
        )
        # Swedish: decimal comma (1 234,50 €), whatever the thousands separator
        self.assertIn("234,50", html_sv)
        self.assertNotIn("1234.50", html_sv)
        aid.with_user(self.cluster_manager).action_send_certificate()
        message = aid.message_ids.filtered(lambda m: signatory in m.partner_ids)
        self.assertTrue(message, "the certificate goes to the firm's signatory")
        self.assertTrue(message.attachment_ids, "with the certificate PDF")
        self.assertTrue(aid.certificate_sent_date)

    def test_access(self):
        aid = self._aid(self.firm_a, 5.0, date(2026, 1, 1))
        self.assertEqual(aid.with_user(self.cluster_user).amount_eur, 5.0)
        with self.assertRaises(Exception):  # noqa: B017 - AccessError
            aid.with_user(self.cluster_user).write({"cancel_reason": "x"})


@tagged("post_install", "-at_install")
class TestStateAidPortal(ClusterPortalMixin, StateAidCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sign_a = cls._portal_contact_user("aid_sign_a", cls.firm_a, signatory=True)
        cls.sign_b = cls._portal_contact_user("aid_sign_b", cls.firm_b, signatory=True)
        cls.plain_a = cls._portal_contact_user("aid_plain_a", cls.firm_a)
        cls.aid_a = cls._aid(cls.firm_a, 4321.0, date(2026, 1, 5), origin="AID-A-ORIGIN")
        cls.aid_b = cls._aid(cls.firm_b, 8765.0, date(2026, 1, 6), origin="AID-B-ORIGIN")

    def test_signatory_sees_own_aid_only(self):
        self.assertPageWithout(
            "aid_sign_a",
            "/my/cluster/state-aid",
            forbidden=[self.aid_b.name, "8765.00"],
            expected=[self.aid_a.name, "4,321.00"],
        )
        response = self._get("aid_sign_a", f"/my/cluster/state-aid/{self.aid_a.id}/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        missing = self._missing_id("cluster.state.aid")
        self.assertSameAsMissing(
            "aid_sign_a",
            f"/my/cluster/state-aid/{self.aid_b.id}/pdf",
            f"/my/cluster/state-aid/{missing}/pdf",
        )
        self.assertSameAsMissing(
            "aid_sign_a",
            "/my/cluster/state-aid/2147483648/pdf",
            f"/my/cluster/state-aid/{missing}/pdf",
        )
        # over RPC: the rule keeps the signatory to its firm
        self._login("aid_sign_a")
        rows = self._rpc("cluster.state.aid", "search_read", [], fields=["name"])
        self.assertEqual([r["name"] for r in rows], [self.aid_a.name])
        self._count(4)

    def test_roles_without_the_page(self):
        self.assertRedirectedAway("aid_plain_a", "/my/cluster/state-aid", forbidden=["4321"])
        self.assertRedirectedAway(
            "aid_plain_a", f"/my/cluster/state-aid/{self.aid_a.id}/pdf", forbidden=["%PDF"]
        )
        self.assertPublicRedirectedToLogin("/my/cluster/state-aid")

    def test_declaration_through_the_portal(self):
        self._login("aid_sign_a")
        token = self._csrf_token("/my/cluster/state-aid")
        response = self._open(
            "/my/cluster/state-aid/declare",
            data={
                "csrf_token": token,
                "grantor": "Vinnova",
                "date_granted": "2026-02-03",
                "amount_eur": "12500,50",
                "partner_id": str(self.firm_b.id),  # not whitelisted: ignored
            },
        )
        self.assertIn(response.status_code, (302, 303))
        declaration = self.env["cluster.state.aid.declaration"].search(
            [("grantor", "=", "Vinnova")]
        )
        self.assertEqual(declaration.partner_id, self.firm_a)
        self.assertEqual(declaration.amount_eur, 12500.5)
        for bad in (
            {"amount_eur": "1e9"},
            {"amount_eur": "١٢"},
            {"date_granted": "9999-99-99"},
            {"date_granted": "2999-01-01"},
            {"grantor": ""},
        ):
            data = {
                "csrf_token": token,
                "grantor": "Bad",
                "date_granted": "2026-02-03",
                "amount_eur": "100",
                **bad,
            }
            response = self._open("/my/cluster/state-aid/declare", data=data)
            self.assertEqual(response.status_code, 200, bad)
            self.assertIn("o_cluster_form_error", response.text, bad)
        self.assertEqual(
            self.env["cluster.state.aid.declaration"].search_count([("grantor", "=", "Bad")]), 0
        )
        # the declaration counts in the firm's total shown on the page
        total = self.firm_a._cluster_de_minimis_total_eur(date.today())
        self.assertEqual(total, 4321.0 + 12500.5)  # (until 2029)
        body = self._open("/my/cluster/state-aid").text
        self.assertIn(f"{total:,.2f}", body)
