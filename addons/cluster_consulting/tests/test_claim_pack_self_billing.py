import io
import zipfile

import openpyxl

from odoo.tests import tagged

from odoo.addons.cluster_projects.tests.test_claim_pack import ClaimPackCommon


@tagged("post_install", "-at_install")
class TestClaimPackSelfBilling(ClaimPackCommon):
    """A bill the association wrote in the lender's name (self-billing) is marked as
    such on its cost line in the claim pack; other bills are not."""

    def test_self_billed_bill_marked(self):
        # the settlement marks its bills of bought-out hours; here one bill by hand
        self.bill_open.cluster_self_billed = True
        request = self._build(self.accountant)
        archive = zipfile.ZipFile(io.BytesIO(request.attachment_id.raw))
        book = openpyxl.load_workbook(io.BytesIO(archive.read("claim_pack.xlsx")))
        marks = {row[0]: row[7] for row in self._sheet(book, "Cost lines")[1:-1]}
        self.assertEqual(marks, {self.bill_paid.name: "", self.bill_open.name: "Self-billing"})
        # without a file attached, the self-billed bill's own document is its voucher
        folder = self.bill_open.name.replace("/", "_")
        [path] = [n for n in archive.namelist() if n.startswith(f"vouchers/{folder}/")]
        self.assertIn(self.bill_open.name.encode(), archive.read(path))
        vouchers = {row[0]: row[3] for row in self._sheet(book, "Vouchers")[1:]}
        self.assertEqual(vouchers[self.bill_open.name], path)
        summary = {row[0]: row[1] for row in self._sheet(book, "Claim")}
        self.assertEqual(summary["Vouchers without a file"], 0)
