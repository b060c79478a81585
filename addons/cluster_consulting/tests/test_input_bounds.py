# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Input out of range never becomes an HTTP 500 (SECURITY.md: bad input through every
form and RPC method, ids beyond PostgreSQL's integer range and dates beyond year 9998),
numbers are what they look like, and stock routes we use are guarded."""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.cluster_base.tools.parse import parse_date, parse_decimal, parse_id

from ..controllers.portal import parse_number
from .portal_common import PortalCommon

BIG = "2147483648"


@tagged("post_install", "-at_install")
class TestInputBounds(PortalCommon):
    def _csrf(self, login):
        self.authenticate(login, login)
        body = self.url_open("/my/cluster/hours", allow_redirects=False).text
        marker = 'name="csrf_token" value="'
        start = body.index(marker) + len(marker)
        return body[start : body.index('"', start)]

    def _open_no_error(self, url, data=None):
        self.env.flush_all()
        with self.assertNoLogs(level="ERROR"):
            response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        self.assertNotEqual(response.status_code, 500, url)
        self.assertNotIn("Traceback", response.text)
        return response

    def test_parsers(self):
        self.assertEqual(parse_id("42"), 42)
        for bad in (BIG, "0", "-1", "١٢", "１", "4 2", "4.2", True, None, 2**31):
            self.assertIsNone(parse_id(bad), bad)
        self.assertEqual(parse_date("2026-03-02"), date(2026, 3, 2))
        for bad in ("9999-12-31", "0001-01-01", "2026-13-01", "٢٠٢٦-٠٣-٠٢", "2026-3-2"):
            self.assertIsNone(parse_date(bad), bad)
        self.assertEqual(parse_decimal("7,5"), 7.5)
        self.assertEqual(parse_decimal("30.00"), 30.0)
        # more precision than stored, other scripts' digits, exponents: refused
        for bad in ("30.0001", "٣", "１", "١٫٥", "1e3", "NaN", "+1", "7,5,1"):
            self.assertIsNone(parse_decimal(bad), bad)
        self.assertIsNone(parse_number("٣", 0, 24))
        self.assertIsNone(parse_decimal(float("inf")))

    def test_ids_beyond_integer_answer_like_missing(self):
        token = self._csrf("por_sig_a")
        for url in (
            f"/my/cluster/agreements/{BIG}",
            f"/my/cluster/statements/{BIG}/pdf",
            f"/my/cluster/projects/{BIG}",
        ):
            missing = url.replace(BIG, str(self._missing_id("cluster.agreement")))
            response = self._open_no_error(url)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertEqual(
                response.headers.get("Location"),
                self.url_open(missing, allow_redirects=False).headers.get("Location"),
                url,
            )
        response = self._open_no_error(
            f"/my/cluster/agreements/{BIG}/answer",
            data={"csrf_token": token, "answer": "approve"},
        )
        self.assertIn(response.status_code, (302, 303))
        self._open_no_error(
            f"/my/cluster/experts/{BIG}/edit",
            data={"csrf_token": token, "visible_to_members": "1"},
        )
        token = self._csrf("por_exp_a")
        count = self.env["account.analytic.line"].search_count([])
        self._open_no_error(
            f"/my/cluster/hours/{BIG}/edit",
            data={"csrf_token": token, "unit_amount": "1", "date": "2026-03-02"},
        )
        for agreement_id in (BIG, "١٢", "-3", "x"):
            response = self._open_no_error(
                "/my/cluster/hours/new",
                data={
                    "csrf_token": token,
                    "agreement_id": agreement_id,
                    "date": "2026-03-03",
                    "unit_amount": "2",
                },
            )
            self.assertIn("o_cluster_error", response.text, agreement_id)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)

    def test_dates_out_of_range(self):
        token = self._csrf("por_exp_a")
        for week in ("9999-12-31", "0001-01-01", "2026-02-30"):
            response = self._open_no_error(
                "/my/cluster/hours/submit", data={"csrf_token": token, "week": week}
            )
            self.assertIn("o_cluster_error", response.text, week)
        response = self._open_no_error(
            "/my/cluster/hours/new",
            data={
                "csrf_token": token,
                "agreement_id": str(self.agreement_a.id),
                "date": "9999-12-31",
                "unit_amount": "2",
            },
        )
        self.assertIn("o_cluster_error", response.text)

    def test_numbers_are_what_they_look_like(self):
        token = self._csrf("por_exp_a")
        count = self.env["account.analytic.line"].search_count([])
        for hours in ("30.0001", "٣", "１", "١٫٥"):
            response = self._open_no_error(
                "/my/cluster/hours/new",
                data={
                    "csrf_token": token,
                    "agreement_id": str(self.agreement_a.id),
                    "date": "2026-03-04",
                    "unit_amount": hours,
                },
            )
            self.assertIn("o_cluster_error", response.text, hours)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), count)
        # the model keeps agreement hours to two decimals whoever writes them
        with self.assertRaisesRegex(ValidationError, "at most two decimals"):
            self._log(self.agreement_a, date(2026, 3, 5), 1.0001)

    def test_time_api_generic_reads_are_refused_cleanly(self):
        api = self.env["cluster.time.api"].with_user(self.signatory_a_user)
        for call in (
            lambda: api.search_read([]),
            lambda: api.search([]),
            lambda: api.search_count([]),
            lambda: api.browse(1).read(["id"]),
        ):
            with self.assertRaisesRegex(AccessError, "has no records to read"):
                call()

    def test_stock_routes_with_unknown_keys(self):
        self.authenticate("por_sig_a", "por_sig_a")
        for url in (
            "/my/invoices?sortby=nope&filterby=nope",
            "/my/timesheets?sortby=nope&filterby=nope&groupby=nope&search_in=nope&search=x",
            "/my/tasks?sortby=nope&filterby=nope&groupby=nope&search_in=nope&search=x",
        ):
            response = self._open_no_error(url)
            self.assertEqual(response.status_code, 200, url)

    def test_chatter_fetch_with_a_token_on_a_model_without_tokens(self):
        for login in (None, "por_sig_a"):
            self.authenticate(login, login)
            for params in (
                {"token": "abc"},
                {"pid": "x", "hash": "y"},
                {},
            ):
                self.env.flush_all()
                with self.assertNoLogs(level="ERROR"):
                    response = self.url_open(
                        "/mail/chatter_fetch",
                        data=__import__("json").dumps(
                            {
                                "params": {
                                    "thread_model": "cluster.agreement",
                                    "thread_id": self.agreement_b.id,
                                    **params,
                                }
                            }
                        ),
                        headers={"Content-Type": "application/json"},
                    )
                self.assertNotIn("KeyError", response.text)
                self.assertNotIn("Hemlig", response.text)
