# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Bad input through every portal form: a clean answer, and nothing saved changes."""

from odoo.tests import tagged

from ..controllers.portal import parse_number
from .portal_common import PortalCommon

BAD_HOURS = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "1e3",
    "-1",
    "0",
    "0,0",
    "25",
    "24,5",
    "",
    "7.5.1",
    "abc",
]


@tagged("post_install", "-at_install")
class TestPortalForms(PortalCommon):
    def _login(self, login):
        self.authenticate(login, login)
        body = self.url_open("/my/cluster/experts", allow_redirects=False).text
        marker = 'name="csrf_token" value="'
        start = body.index(marker) + len(marker)
        self.csrf = body[start : body.index('"', start)]

    def _post(self, url, csrf=True, **data):
        if csrf:
            data["csrf_token"] = self.csrf
        self.env.flush_all()
        response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _assert_error(self, response):
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("o_cluster_error", response.text)
        self.assertNotIn("Traceback", response.text)

    def _hour_count(self):
        return self.env["account.analytic.line"].search_count([("agreement_id", "!=", False)])

    def test_parse_number(self):
        self.assertEqual(parse_number("7,5", 0, 24), 7.5)
        self.assertEqual(parse_number(" 12.25 ", 0, 24), 12.25)
        for value in BAD_HOURS:
            self.assertIsNone(parse_number(value, 0.0, 24.0, strict_minimum=True), value)

    # Agreements -------------------------------------------------------------------

    def test_answer_agreement(self):
        url = f"/my/cluster/agreements/{self.agreement_a_req.id}/answer"
        self._login("por_sig_a")
        response = self._post(url, csrf=False, answer="approve")
        self.assertEqual(response.status_code, 400)
        self._assert_error(self._post(url, answer="maybe"))
        self.assertEqual(self.agreement_a_req.state, "requested")
        # The expert of the lending firm is not its signatory: the role has no answer
        # action, the route sends the expert away (and the model would refuse too).
        self._login("por_exp_a")
        self.assertEqual(self._post(url, answer="approve").status_code, 303)
        self.assertEqual(self.agreement_a_req.state, "requested")
        self._login("por_sig_a")
        response = self._post(url, answer="approve", comment="Fine by us")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.agreement_a_req.state, "lender_approved")
        # Answering twice: the state no longer allows it, a message and no change.
        self._assert_error(self._post(url, answer="decline"))
        self.assertEqual(self.agreement_a_req.state, "lender_approved")
        # Firm A's signatory cannot answer firm B's own agreement (not requested here,
        # and not theirs): same answer as a missing one.
        response = self._post(
            f"/my/cluster/agreements/{self.agreement_b.id}/answer", answer="decline"
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.agreement_b.state, "active")

    def test_detail_shows_this_agreements_consumption(self):
        self._login("por_sig_a")
        body = self.url_open(f"/my/cluster/agreements/{self.agreement_a.id}").text
        self.assertIn("37.25", body)  # cap
        self.assertIn("34.25", body)  # remaining: 37.25 - 3
        self.assertIn(
            "o_cluster_answer_form",
            self.url_open(f"/my/cluster/agreements/{self.agreement_a_req.id}").text,
        )
        self._login("por_exp_a")
        self.assertNotIn(
            "o_cluster_answer_form",
            self.url_open(f"/my/cluster/agreements/{self.agreement_a_req.id}").text,
        )

    # Experts ----------------------------------------------------------------------

    def test_expert_edit_refuses_bad_input(self):
        url = f"/my/cluster/experts/{self.expert_a.id}/edit"
        skill = self.expert_a.skill_ids.filtered(lambda s: s.level == 4)
        self._login("por_sig_a")
        bad = [
            {"hourly_rate": "1"},
            {"employer_id": str(self.firm_b.id)},
            {"hours_per_month": "NaN"},
            {"hours_per_month": "1e309"},
            {"hours_per_month": "inf"},
            {"hours_per_month": "-5"},
            {"hours_per_month": "401"},
            {"visible_to_members": "maybe"},
            {f"skill_{skill.id}": "9"},
            {f"skill_{skill.id}": "0"},
            {f"skill_{self.expert_b.skill_ids[0].id}": "5"},
            {"hours_per_month": "10", "hourly_rate": "1"},
        ]
        for data in bad:
            self._assert_error(self._post(url, **data))
        self.assertEqual(self._post(url, csrf=False, hours_per_month="10").status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.expert_a.hours_per_month, 40.0)
        self.assertEqual(self.expert_a.hourly_rate, 800.0)
        self.assertFalse(self.expert_a.visible_to_members)
        self.assertEqual(skill.level, 4)
        self.assertEqual(self.expert_b.skill_ids.level, 2)
        response = self._post(
            url,
            hours_per_month="12,5",
            visible_to_members="1",
            **{f"skill_{skill.id}": "5"},
        )
        self.assertIn("o_cluster_success", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.expert_a.hours_per_month, 12.5)
        self.assertTrue(self.expert_a.visible_to_members)
        self.assertEqual(skill.level, 5)
        # The expert edits their own profile; an expert of firm B cannot.
        self._login("por_exp_a")
        self.assertIn("o_cluster_success", self._post(url, hours_per_month="20").text)
        self.env.invalidate_all()
        self.assertEqual(self.expert_a.hours_per_month, 20.0)
        self._login("por_exp_b")
        self.assertEqual(self._post(url, hours_per_month="1").status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.expert_a.hours_per_month, 20.0)

    # Hours ------------------------------------------------------------------------

    def _log_form(self, **values):
        data = {
            "agreement_id": str(self.agreement_a.id),
            "date": "2026-03-10",
            "unit_amount": "7,5",
            "name": "Analys",
        }
        data.update(values)
        return self._post("/my/cluster/hours/new", **data)

    def test_log_hours_refuses_bad_input(self):
        self._login("por_exp_a")
        count = self._hour_count()
        for value in BAD_HOURS:
            self._assert_error(self._log_form(unit_amount=value))
        for day in ("2026-06-15", "2026-02-28", "2026-13-45", "tomorrow", ""):
            self._assert_error(self._log_form(date=day))
        for agreement in (
            self.agreement_b,
            self.agreement_b_to_a,
            self.agreement_a_req,
        ):
            self._assert_error(self._log_form(agreement_id=str(agreement.id)))
        self._assert_error(self._log_form(agreement_id="1 OR 1=1"))
        self._assert_error(self._log_form(cluster_hour_state="approved"))
        self._assert_error(self._log_form(employee_id="1"))
        self.assertEqual(
            self._post("/my/cluster/hours/new", csrf=False, agreement_id="1").status_code,
            400,
        )
        self.assertEqual(self._hour_count(), count)
        # A signatory of firm A is not the expert: logging hours is not for the role.
        self._login("por_sig_a")
        self.assertEqual(self._log_form().status_code, 303)
        self.assertEqual(self._hour_count(), count)
        # Good input with a decimal comma, then the model's own constraints.
        self._login("por_exp_a")
        response = self._log_form()
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._hour_count(), count + 1)
        self._assert_error(self._log_form(unit_amount="20"))  # 27,5 h on one day
        response = self._log_form(date="2026-03-11", unit_amount="24")
        self.assertEqual(response.status_code, 303)  # 34,5 h of the 37,25 h cap
        self._assert_error(self._log_form(date="2026-03-12", unit_amount="5"))  # cap
        self.assertEqual(self._hour_count(), count + 2)

    def test_edit_and_submit_hours(self):
        self._login("por_exp_a")
        url = f"/my/cluster/hours/{self.hour_a.id}/edit"
        page = self.url_open("/my/cluster/hours").text
        self.assertIn(f'action="{url}"', page)
        data = {"agreement_id": str(self.agreement_a.id), "date": "2026-03-02"}
        self._assert_error(self._post(url, unit_amount="NaN", **data))
        self._assert_error(self._post(url, unit_amount="4", cluster_hour_state="approved", **data))
        self.assertEqual(self.hour_a.unit_amount, 3.0)
        self.assertEqual(self._post(url, unit_amount="4,5", **data).status_code, 303)
        self.assertEqual(self.hour_a.unit_amount, 4.5)
        self._assert_error(self._post("/my/cluster/hours/submit", week="not a date"))
        self._assert_error(self._post("/my/cluster/hours/submit", week="2026-04-06"))
        response = self._post("/my/cluster/hours/submit", week="2026-03-04")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.hour_a.cluster_hour_state, "submitted")
        # Submitted hours are no longer editable from the portal.
        self.assertNotIn(f'action="{url}"', self.url_open("/my/cluster/hours").text)
        self.assertEqual(self._post(url, unit_amount="1", **data).status_code, 303)
        self.assertEqual(self.hour_a.unit_amount, 4.5)

    def test_review_hours(self):
        review = "/my/cluster/hours/review"
        line = f"line_{self.hour_b_to_a.id}"
        # The lender's signatory (firm B) is not the buyer.
        self._login("por_sig_b")
        self._assert_error(self._post(review, decision="approve", **{line: "1"}))
        # The expert of firm B cannot approve their own hours: not the role's action.
        self._login("por_exp_b")
        self.assertEqual(self._post(review, decision="approve", **{line: "1"}).status_code, 303)
        self._login("por_sig_a")
        self._assert_error(self._post(review, decision="approve", unit_amount="1"))
        self._assert_error(self._post(review, decision="maybe", **{line: "1"}))
        self._assert_error(
            self._post(review, decision="approve", **{f"line_{self.hour_a.id}": "1"})
        )
        self.assertEqual(
            self._post(review, csrf=False, decision="approve", **{line: "1"}).status_code,
            400,
        )
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "submitted")
        self.assertEqual(self.hour_a.cluster_hour_state, "draft")
        response = self._post(review, decision="reject", **{line: "1"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "rejected")

    # Statements -------------------------------------------------------------------

    def test_statement_pdf(self):
        self._login("por_sig_a")
        response = self.url_open(
            f"/my/cluster/statements/{self.settlement_a.id}/pdf", allow_redirects=False
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
