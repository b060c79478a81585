import io
import zipfile
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.cluster_base.tests.jobs_common import JobCapture

from .common import ClusterProjectsCommon


class ClaimPackCommon(ClusterProjectsCommon):
    """A submitted claim of Jan-Mar 2026 with in-kind hours under both valuation rules,
    a paid bill with its file, an open bill without one, and a 15 % flat rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grant = cls._grant(indirect_rate_pct=15.0, indirect_basis="staff")
        cls.payroll_b.pct = 31.42  # the common fixture's row of firm B for 2026
        # A: 6 h x 500 = 3 000 (Feb); B: 34 400 x 12 x 1.3142 / 1 720 = 315.408 an hour,
        # 5 h = 1 577.04 and 3 h = 946.224 -> 946.22 (March)
        cls._log(cls.employee_a, 6.0, day=date(2026, 2, 2))
        cls._log(cls.employee_b, 5.0, day=date(2026, 3, 4))
        cls._log(cls.employee_b, 3.0, day=date(2026, 3, 18))
        cls.supplier = cls.env["res.partner"].create({"name": "Konsultbolaget AB"})
        cls.expense = cls.env["account.account"].create(
            {"code": "6559", "name": "Konsultarvoden test", "account_type": "expense"}
        )
        cls.bill_paid = cls._bill(1000.0, date(2026, 3, 10))
        cls.env["ir.attachment"].create(
            {
                "name": "faktura 1001.pdf",
                "raw": b"%PDF-1.4 supplier invoice 1001",
                "res_model": "account.move",
                "res_id": cls.bill_paid.id,
            }
        )
        cls.payment = cls._pay(cls.bill_paid, 1000.0, date(2026, 3, 20))
        cls.bill_open = cls._bill(250.0, date(2026, 3, 12))
        cls.bill_april = cls._bill(999.0, date(2026, 4, 2))  # outside the period
        cls.claim = cls.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": cls.grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 2000.0,
            }
        )
        cls.claim.action_submit()
        cls.accountant = new_test_user(
            cls.env,
            login="pack_accountant",
            groups="cluster_base.cluster_base_group_user,account.group_account_invoice",
        )

    @classmethod
    def _bill(cls, amount, day):
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.supplier.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Konsulttimmar",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.expense.id,
                            "tax_ids": [Command.clear()],
                            "analytic_distribution": {str(cls.project.account_id.id): 100},
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill

    def _build(self, user):
        jobs = JobCapture(self)
        action = self.claim.with_user(user).action_claim_pack()
        request = self.env["cluster.job.request"].browse(action["res_id"])
        self.assertEqual(request.kind, "claim_pack")
        [job] = jobs.records
        self.assertEqual(job.channel, "root.cluster.export")
        self.assertFalse(request.attachment_id, "the button writes no file")
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        return request

    def _sheet(self, book, name):
        return [row for row in book[name].iter_rows(values_only=True)]


@tagged("post_install", "-at_install")
class TestClaimPack(ClaimPackCommon):
    """The claim pack an auditor accepts: the claim's figures, every cost line with its
    voucher and payment, the in-kind time per person and month with its value basis,
    the flat-rate line and the vouchers' files, in one ZIP built by a job."""

    def test_pack_figures_and_vouchers(self):
        request = self._build(self.accountant)
        self.assertIn("is ready", request.summary)
        claim = self.claim.with_user(self.accountant)
        self.assertEqual(request.attachment_id.res_model, "cluster.grant.claim")
        self.assertEqual(request.attachment_id.res_id, claim.id)
        self.assertEqual(claim.claim_pack_name, "Claim pack Rekv 1.zip")
        archive = zipfile.ZipFile(io.BytesIO(request.attachment_id.with_user(self.accountant).raw))
        folder = self.bill_paid.name.replace("/", "_")
        self.assertEqual(
            sorted(archive.namelist()),
            ["claim_pack.xlsx", f"vouchers/{folder}/faktura 1001.pdf"],
        )
        self.assertEqual(
            archive.read(f"vouchers/{folder}/faktura 1001.pdf"),
            b"%PDF-1.4 supplier invoice 1001",
        )
        book = openpyxl.load_workbook(io.BytesIO(archive.read("claim_pack.xlsx")))

        costs = self._sheet(book, "Cost lines")
        self.assertEqual(
            costs[1],
            (
                self.bill_paid.name,
                "6559",
                "Konsultarvoden test",
                "2026-03-10",
                "Konsulttimmar",
                1000,
                "Konsultbolaget AB",
                "",
                "2026-03-20",
                self.payment.name,
            ),
        )
        self.assertEqual(costs[2][0], self.bill_open.name)
        self.assertEqual((costs[2][5], costs[2][8], costs[2][9]), (250, "", ""))
        self.assertEqual(costs[3][:6], ("Total", None, None, None, None, 1250))
        self.assertEqual(len(costs), 4, "April's bill is outside the claim's period")

        time = self._sheet(book, "In-kind time")
        self.assertEqual(
            time[1],
            ("2026-02", self.firm_a.name, "Anna Ringtorp", "Agreed hourly value")
            + (0, 0, 0, 500, 6, 3000),
        )
        self.assertEqual(
            time[2][:9],
            ("2026-03", self.firm_b.name, "Bertil Kvarnbo", "Person's monthly salary")
            + (34400, 31.42, 1720, 315.408, 8),
        )
        self.assertAlmostEqual(time[2][9], 2523.26, places=2)  # 1 577.04 + 946.22
        self.assertEqual(time[3][8], 14)
        self.assertAlmostEqual(time[3][9], 5523.26, places=2)

        summary = {row[0]: row[1] for row in self._sheet(book, "Claim")}
        self.assertEqual(summary["Amount claimed"], 2000)
        self.assertEqual(summary["Cash costs"], 1250)
        self.assertAlmostEqual(summary["In-kind value"], 5523.26, places=2)
        # 15 % of the direct staff costs (the in-kind hours): 828.489 -> 828.49
        self.assertAlmostEqual(summary["Flat-rate indirect costs"], 828.49, places=2)
        self.assertEqual(summary["Indirect rate (%)"], 15)
        self.assertEqual(summary["Indirect basis"], "Direct staff costs")
        self.assertEqual((summary["Vouchers"], summary["Vouchers without a file"]), (2, 1))

        vouchers = self._sheet(book, "Vouchers")
        self.assertEqual(vouchers[1][3], f"vouchers/{folder}/faktura 1001.pdf")
        self.assertEqual(
            vouchers[2][::3], (self.bill_open.name, "No file attached: missing from the pack")
        )

    def test_pack_refused_without_rights(self):
        jobs = JobCapture(self)
        portal = self._portal_user("pack_portal", self.firm_a)
        outsider = new_test_user(self.env, login="pack_outsider", groups="base.group_user")
        # a cluster user reads the claim but not the vouchers: no pack for them either
        for user in (portal, outsider, self.cluster_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.claim.with_user(user).action_claim_pack()
        self.assertFalse(jobs.records)
        self._build(self.accountant)
        for user in (portal, outsider, self.cluster_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.claim.with_user(user).read(["claim_pack"])
        pack = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "cluster.grant.claim"), ("res_field", "=", "claim_pack")])
        )
        self.assertEqual(len(pack), 1)
        for user in (portal, outsider, self.cluster_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                pack.with_user(user).read(["raw"])

    def test_bad_input_clear_messages(self):
        draft = self.claim.copy({"name": "Rekv 2", "state": "draft"})
        with self.assertRaisesRegex(UserError, "Submit claim Rekv 2 first"):
            draft.with_user(self.accountant).action_claim_pack()
        empty = self.env["cluster.grant.claim"].create(
            {
                "name": "Rekv tom",
                "grant_id": self.grant.id,
                "date_from": date(2026, 6, 1),
                "date_to": date(2026, 6, 30),
                "amount_claimed": 0.0,
            }
        )
        empty.action_submit()
        with self.assertRaisesRegex(UserError, "Rekv tom has nothing to put in a pack"):
            empty.with_user(self.accountant).action_claim_pack()
        # in the user's language
        self.env["res.lang"]._activate_lang("sv_SE")
        self.env["ir.module.module"]._load_module_terms(["cluster_projects"], ["sv_SE"])
        self.accountant.lang = "sv_SE"
        with self.assertRaisesRegex(UserError, "Skicka in rekvisition Rekv 2 först"):
            draft.with_user(self.accountant).with_context(lang="sv_SE").action_claim_pack()

    def test_voucher_deleted_meanwhile(self):
        jobs = JobCapture(self)
        action = self.claim.with_user(self.accountant).action_claim_pack()
        request = self.env["cluster.job.request"].browse(action["res_id"])
        self.bill_open.button_draft()
        self.bill_open.unlink()
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        self.assertIn("1 voucher(s) of claim Rekv 1 were deleted", request.summary)
        self.assertFalse(request.attachment_id)
        self.assertFalse(self.claim.sudo().claim_pack)

    def test_claim_deleted_meanwhile(self):
        jobs = JobCapture(self)
        action = self.claim.with_user(self.accountant).action_claim_pack()
        request = self.env["cluster.job.request"].browse(action["res_id"])
        self.claim.action_reset_draft()
        self.claim.unlink()
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        self.assertEqual(request.summary, "The claim was deleted before its pack was made.")
        self.assertFalse(request.attachment_id)
