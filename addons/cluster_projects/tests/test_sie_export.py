# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime
from collections import defaultdict
from decimal import Decimal
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.cluster_base.tests.common import ClusterCommon

from ..tools.sie import Bare, SieAmount, SieError, SieWriter
from .sie_parser import SieParser

D = Decimal
DIM = 6


def _dec(amount):
    return D(repr(amount)).quantize(D("0.01"))


@tagged("post_install", "-at_install")
class TestSieFormat(ClusterCommon):
    """The writer and the parser on their own."""

    def test_writer_quoting_encoding_and_parser(self):
        writer = SieWriter()
        writer.record("#FLAGGA", 0)
        writer.record("#FNAMN", 'Föreningen "Åre\\Öst" – 2 €')
        writer.record("#KONTO", Bare("1930"), "Företagskonto")
        writer.record("#KONTO", Bare("19 30"), "Med mellanslag")
        writer.record("#IB", 0, Bare("1930"), SieAmount("-0.001"))
        writer.voucher(
            "A",
            7,
            datetime.date(2026, 3, 1),
            "Hyra ✓",
            [
                ("5010", [(DIM, "P 1")], D("1234.5"), None, None),
                ("1930", [], D("-1234.50"), datetime.date(2026, 3, 1), 'Bank "ä"'),
            ],
        )
        raw = writer.to_bytes()
        text = raw.decode("cp437")
        self.assertIn('#FNAMN "Föreningen \\"Åre\\\\Öst\\" - 2 EUR"\r\n', text)
        self.assertIn('#KONTO "19 30" "Med mellanslag"', text)
        self.assertIn("#IB 0 1930 0.00\r\n", text, "no negative zero")
        self.assertIn('#VER "A" "7" 20260301 "Hyra ?"\r\n{\r\n', text)
        self.assertIn('#TRANS 5010 {6 "P 1"} 1234.50\r\n', text)
        self.assertIn('#TRANS 1930 {} -1234.50 20260301 "Bank \\"ä\\""\r\n}\r\n', text)

        sie = SieParser.parse(raw)
        self.assertEqual(sie.header["#FNAMN"], ['Föreningen "Åre\\Öst" - 2 EUR'])
        self.assertEqual(sie.accounts, {"1930": "Företagskonto", "19 30": "Med mellanslag"})
        self.assertEqual(sie.ib, {(0, "1930"): D("0.00")})
        (voucher,) = sie.vouchers
        self.assertEqual((voucher["series"], voucher["number"]), ("A", "7"))
        self.assertIsNone(voucher["reg_date"])
        self.assertEqual(voucher["text"], "Hyra ?")
        first, second = voucher["transactions"]
        self.assertEqual(first["objects"], ((DIM, "P 1"),))
        self.assertEqual(first["amount"], D("1234.50"))
        self.assertEqual(second["text"], 'Bank "ä"')
        self.assertEqual(second["date"], datetime.date(2026, 3, 1))

    def test_parser_rejects_broken_files(self):
        broken = {
            "open quote": '#FNAMN "oops\r\n',
            "trans outside voucher": "#VER A 1 20260101\r\n#TRANS 1930 {} 1.00\r\n",
            "unclosed voucher": "#VER A 1 20260101\r\n{\r\n#TRANS 1930 {} 1.00\r\n",
            "not a record": "hello\r\n",
            "bad date": "#RAR 0 2026-01-01 20261231\r\n",
            "bad amount": '#IB 0 1930 "12 kr"\r\n',
            "no object list": "#VER A 1 20260101\r\n{\r\n#TRANS 1930 1.00\r\n}\r\n",
        }
        for case, content in broken.items():
            with self.subTest(case=case), self.assertRaises(SieError):
                SieParser.parse(content.encode("cp437"))
        with self.assertRaises(SieError):
            SieWriter().record("KONTO", "1930")


class SieExportCase(ClusterCommon):
    @classmethod
    def setup_main_company(cls, currency_code="SEK"):
        # The association keeps its books in SEK (BaseCommon would switch to USD).
        return super().setup_main_company(currency_code=currency_code)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": 'Klustret "Norr" ekonomisk förening',
                "company_registry": "556677-8899",
            }
        )
        Account = cls.env["account.account"]

        def account(code):
            return Account.search(
                [("code", "=", code), *Account._check_company_domain(cls.company)]
            )

        cls.acc_sales = account("3001")
        cls.acc_rent = account("5010")
        cls.acc_bank = account("1930")
        cls.acc_equity = account("2010")
        cls.acc_receivable = account("1510")
        plan = cls.env.ref("analytic.analytic_plan_projects")
        Analytic = cls.env["account.analytic.account"]
        cls.analytic_green = Analytic.create(
            {"name": "Grön omställning", "code": "GRON", "plan_id": plan.id}
        )
        cls.analytic_north = Analytic.create(
            {"name": "Norrmarknad", "code": "NORR", "plan_id": plan.id}
        )
        cls.analytic_other = Analytic.create({"name": "Inte ett projekt", "plan_id": plan.id})
        Project = cls.env["project.project"]
        joint = {"is_joint_project": True} if "is_joint_project" in Project._fields else {}
        cls.project_green = Project.create(
            {
                "name": "Grön omställning – Öst",
                "account_id": cls.analytic_green.id,
                **joint,
            }
        )
        cls.project_north = Project.create(
            {
                "name": 'Norrmarknad "Export"',
                "account_id": cls.analytic_north.id,
                **joint,
            }
        )
        # a joint project always has its own analytic account: a project without
        # one is an ordinary project and never an SIE object
        cls.project_without_account = Project.create(
            {"name": "Utan konto", "allow_timesheets": False}
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Åkeriet i Östby AB", "is_company": True}
        )
        cls.manager = new_test_user(
            cls.env,
            login="sie_manager",
            groups="cluster_base.cluster_base_group_manager,account.group_account_readonly",
        )

        green, north, other = (
            str(a.id) for a in (cls.analytic_green, cls.analytic_north, cls.analytic_other)
        )
        cls.invoice = cls._invoice(
            "out_invoice",
            "2026-02-10",
            [
                (cls.acc_sales, 10000.0, {green: 100}),
                (cls.acc_sales, 5000.0, {green: 60, north: 40}),
                (cls.acc_sales, 1000.0, False),
            ],
        )
        cls.bill = cls._invoice("in_invoice", "2026-03-05", [(cls.acc_rent, 8000.0, {north: 100})])
        cls.misc = cls._entry(
            "2026-04-01",
            [
                (cls.acc_rent, 100.01, {green: 33.33, north: 33.33, other: 33.34}),
                (cls.acc_bank, -100.01, False),
            ],
            ref='Åsa "Ö" Ärlig – hyra',
        )
        # Earlier years: own capital in 2025 and a sale in 2025 and 2024 (results of
        # earlier years, which Odoo keeps on the result accounts).
        cls.capital = cls._entry(
            "2025-12-31",
            [(cls.acc_bank, 50000.0, False), (cls.acc_equity, -50000.0, False)],
        )
        cls.sale_2025 = cls._entry(
            "2025-06-01",
            [(cls.acc_bank, 2000.0, False), (cls.acc_sales, -2000.0, False)],
        )
        cls.sale_2024 = cls._entry(
            "2024-06-01",
            [(cls.acc_bank, 1000.0, False), (cls.acc_sales, -1000.0, False)],
        )
        cls.next_year = cls._entry(
            "2027-01-05", [(cls.acc_rent, 300.0, False), (cls.acc_bank, -300.0, False)]
        )
        cls.draft = cls._entry(
            "2026-05-01",
            [(cls.acc_rent, 777.77, {green: 100}), (cls.acc_bank, -777.77, False)],
            post=False,
        )

    @classmethod
    def _invoice(cls, move_type, date, lines, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": cls.partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_line_ids": [
                    # a section line: a journal item without account or amount
                    Command.create({"display_type": "line_section", "name": "Avsnitt"}),
                    *(
                        Command.create(
                            {
                                "name": f"Rad {index}",
                                "account_id": account.id,
                                "quantity": 1,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                                "analytic_distribution": distribution,
                            }
                        )
                        for index, (account, price, distribution) in enumerate(lines)
                    ),
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _entry(cls, date, lines, ref=None, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "ref": ref,
                "line_ids": [
                    Command.create(
                        {
                            "name": f"Rad {index}",
                            "account_id": account.id,
                            "debit": max(amount, 0.0),
                            "credit": max(-amount, 0.0),
                            "analytic_distribution": distribution,
                        }
                    )
                    for index, (account, amount, distribution) in enumerate(lines)
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _wizard(self, user=None, **vals):
        env = self.env(user=user or self.manager)
        return env["cluster.sie.export"].create(
            {
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                **vals,
            }
        )

    def _export(self, user=None, **vals):
        wizard = self._wizard(user, **vals)
        action = wizard.action_export()
        raw = base64.b64decode(wizard.sie_file)
        return wizard, action, raw, SieParser.parse(raw)

    def _balances(self, domain):
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                *domain,
            ],
            ["account_id"],
            ["balance:sum"],
        )
        return {account: _dec(balance) for account, balance in groups}

    def _voucher(self, sie, move):
        found = [v for v in sie.vouchers if v["text"].startswith(move.name)]
        self.assertEqual(len(found), 1, f"one voucher for {move.name}")
        return found[0]


@tagged("post_install", "-at_install")
class TestSieExport(SieExportCase):
    def test_file_bytes_and_header(self):
        wizard, action, raw, sie = self._export()
        self.assertEqual(wizard.sie_filename, "5566778899_2026.se")
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/cluster.sie.export/{wizard.id}/sie_file/", action["url"])
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "cluster.sie.export"),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "sie_file"),
                ]
            )
        )
        self.assertEqual(base64.b64decode(attachment.datas), raw)
        # Without the parser: CP437 bytes, CR LF, a record or a brace on each line.
        text = raw.decode("cp437")
        self.assertNotIn("\n", text.replace("\r\n", ""))
        for line in text.split("\r\n")[:-1]:
            self.assertTrue(line[:1] in ("#", "{", "}"), f"bad line {line!r}")
        self.assertTrue(text.startswith("#FLAGGA 0\r\n"))
        self.assertIn('#FNAMN "Klustret \\"Norr\\" ekonomisk förening"\r\n'.encode("cp437"), raw)

        header = sie.header
        self.assertEqual(header["#FORMAT"], ["PC8"])
        self.assertEqual(header["#SIETYP"], ["4"])
        self.assertEqual(header["#KPTYP"], ["BAS2014"])
        self.assertEqual(header["#VALUTA"], ["SEK"])
        self.assertEqual(header["#ORGNR"], ["556677-8899"])
        self.assertEqual(header["#FNAMN"], ['Klustret "Norr" ekonomisk förening'])
        self.assertEqual(header["#PROGRAM"][0], "Odoo cluster_projects")
        self.assertEqual(sie.rar[0], (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
        self.assertEqual(sie.rar[-1], (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
        self.assertEqual(sie.dimensions, {DIM: "Projekt"})
        self.assertEqual(sie.objects[(DIM, "GRON")], "Grön omställning - Öst")
        self.assertEqual(sie.objects[(DIM, "NORR")], 'Norrmarknad "Export"')
        self.assertNotIn("Inte ett projekt", sie.objects.values())
        self.assertNotIn("Utan konto", sie.objects.values())
        self.assertEqual(sie.accounts["3001"], self.acc_sales.name)
        self.assertEqual(sie.account_types["3001"], "I")
        self.assertEqual(sie.account_types["5010"], "K")
        self.assertEqual(sie.account_types["1930"], "T")
        self.assertEqual(sie.account_types["2010"], "S")

    def test_vouchers_match_journal_items(self):
        _wizard, _action, _raw, sie = self._export()
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "posted"),
                ("date", ">=", "2026-01-01"),
                ("date", "<=", "2026-12-31"),
            ]
        )
        self.assertEqual(len(sie.vouchers), len(moves))
        self.assertEqual(
            len({(v["series"], v["number"]) for v in sie.vouchers}),
            len(moves),
            "unique voucher numbers",
        )
        texts = " ".join(v["text"] for v in sie.vouchers)
        self.assertNotIn(self.draft.name or "no name", texts)
        amounts = {t["amount"] for v in sie.vouchers for t in v["transactions"]}
        self.assertNotIn(D("777.77"), amounts, "the draft entry is not exported")
        self.assertNotIn(self.next_year.name, texts)
        self.assertNotIn(self.capital.name, texts)
        per_account = defaultdict(D)
        for voucher in sie.vouchers:
            self.assertEqual(sum(t["amount"] for t in voucher["transactions"]), 0, voucher)
            for trans in voucher["transactions"]:
                per_account[trans["account"]] += trans["amount"]
        expected = self._balances([("date", ">=", "2026-01-01"), ("date", "<=", "2026-12-31")])
        self.assertEqual(
            {a.code: b for a, b in expected.items() if b},
            {code: amount for code, amount in per_account.items() if amount},
        )

        invoice = self._voucher(sie, self.invoice)
        self.assertEqual(invoice["series"], self.invoice.journal_id.code)
        self.assertEqual(invoice["date"], datetime.date(2026, 2, 10))
        self.assertEqual(invoice["reg_date"], self.invoice.create_date.date())
        sales = sorted(
            (t["objects"], t["amount"]) for t in invoice["transactions"] if t["account"] == "3001"
        )
        self.assertEqual(
            sales,
            sorted(
                [
                    (((DIM, "GRON"),), D("-10000.00")),
                    (((DIM, "GRON"),), D("-3000.00")),
                    (((DIM, "NORR"),), D("-2000.00")),
                    ((), D("-1000.00")),
                ]
            ),
        )
        # 100.01 on three accounts of a third each: no cent lost, the voucher balances.
        misc = self._voucher(sie, self.misc)
        rent = {t["objects"]: t["amount"] for t in misc["transactions"] if t["account"] == "5010"}
        self.assertEqual(
            rent,
            {
                ((DIM, "GRON"),): D("33.33"),
                ((DIM, "NORR"),): D("33.34"),
                (): D("33.34"),
            },
        )
        self.assertEqual(misc["text"], f'{self.misc.name}, Åsa "Ö" Ärlig - hyra')

    def test_objects_match_analytic_items(self):
        _wizard, _action, _raw, sie = self._export()
        per_object = defaultdict(D)
        for voucher in sie.vouchers:
            for trans in voucher["transactions"]:
                for obj in trans["objects"]:
                    per_object[obj] += trans["amount"]
        codes = {code: name for (_dim, code), name in sie.objects.items()}
        analytic = self.env["account.analytic.line"]._read_group(
            [
                ("move_line_id.parent_state", "=", "posted"),
                ("move_line_id.company_id", "=", self.company.id),
                ("date", ">=", "2026-01-01"),
                ("date", "<=", "2026-12-31"),
            ],
            ["account_id"],
            ["amount:sum", "__count"],
        )
        checked = 0
        for account, amount, count in analytic:
            code = account.code or str(account.id)
            if code not in codes:
                continue
            checked += 1
            # Odoo rounds each analytic item on its own, the export splits exactly.
            self.assertAlmostEqual(per_object[(DIM, code)], -_dec(amount), delta=D("0.01") * count)
        self.assertGreaterEqual(checked, 2)
        self.assertEqual(per_object[(DIM, "GRON")] - D("33.33"), D("-13000.00"))
        self.assertEqual(per_object[(DIM, "NORR")] - D("33.34"), D("-2000.00") + D("8000.00"))

    def test_balances_match_odoo(self):
        _wizard, _action, _raw, sie = self._export()
        unaffected = self.env["account.account"].search(
            [
                ("account_type", "=", "equity_unaffected"),
                *self.env["account.account"]._check_company_domain(self.company),
            ],
            limit=1,
        )
        for year, start, end in (
            (0, "2026-01-01", "2026-12-31"),
            (-1, "2025-01-01", "2025-12-31"),
        ):
            opening = self._balances([("date", "<", start)])
            closing = self._balances([("date", "<=", end)])
            period = self._balances([("date", ">=", start), ("date", "<=", end)])
            earlier_result = sum(
                b for a, b in opening.items() if a.internal_group in ("income", "expense")
            )
            expected_ib, expected_ub, expected_res = {}, {}, {}
            for account in opening.keys() | closing.keys():
                if account.internal_group in ("asset", "liability", "equity"):
                    extra = earlier_result if account == unaffected else 0
                    expected_ib[account.code] = opening.get(account, 0) + extra
                    expected_ub[account.code] = closing.get(account, 0) + extra
                elif account.internal_group in ("income", "expense"):
                    expected_res[account.code] = period.get(account, 0)
            if unaffected.code not in expected_ib and earlier_result:
                expected_ib[unaffected.code] = expected_ub[unaffected.code] = earlier_result
            with self.subTest(year=year):

                def of_year(records, year=year):
                    return {
                        account: amount for (y, account), amount in records.items() if y == year
                    }

                self.assertEqual(of_year(sie.ib), {a: b for a, b in expected_ib.items() if b})
                self.assertEqual(of_year(sie.ub), {a: b for a, b in expected_ub.items() if b})
                self.assertEqual(of_year(sie.res), {a: b for a, b in expected_res.items() if b})
                self.assertEqual(
                    sum(of_year(sie.ib).values()),
                    0,
                    "the opening balance sheet balances",
                )
                self.assertEqual(sum(of_year(sie.ub).values()) + sum(of_year(sie.res).values()), 0)
        # Our own entries: the capital of 2025 is in the opening balance of 2026.
        self.assertEqual(sie.ub[(-1, "2010")], sie.ib[(0, "2010")])
        self.assertLessEqual(sie.ib[(0, "2010")], D("-50000.00"))

    def test_object_balances(self):
        green = str(self.analytic_green.id)
        self._entry(
            "2025-09-01",
            [
                (self.acc_receivable, 500.0, {green: 100}),
                (self.acc_sales, -500.0, False),
            ],
        )
        self._entry(
            "2026-05-10",
            [
                (self.acc_receivable, -200.0, {green: 50}),
                (self.acc_bank, 200.0, False),
            ],
        )
        _wizard, _action, raw, sie = self._export()
        self.assertIn(b'#OIB 0 1510 {6 "GRON"} 500.00\r\n', raw)
        obj = ((DIM, "GRON"),)
        self.assertNotIn((-1, "1510", obj), sie.oib)
        self.assertEqual(sie.oub[(-1, "1510", obj)], D("500.00"))
        self.assertEqual(sie.oib[(0, "1510", obj)], D("500.00"))
        self.assertEqual(sie.oub[(0, "1510", obj)], D("400.00"))
        # The change of an object balance is the year's transactions on it.
        trans = defaultdict(D)
        for voucher in sie.vouchers:
            for line in voucher["transactions"]:
                trans[(line["account"], line["objects"])] += line["amount"]
        for (year, account, objects), closing in sie.oub.items():
            if year == 0:
                opening = sie.oib.get((0, account, objects), D(0))
                self.assertEqual(closing - opening, trans[(account, objects)])

    def test_period_export(self):
        wizard, _action, _raw, sie = self._export(date_from="2026-03-01", date_to="2026-03-31")
        self.assertEqual(wizard.sie_filename, "5566778899_20260301-20260331.se")
        self.assertEqual(sie.rar[0], (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)))
        texts = [v["text"] for v in sie.vouchers]
        self.assertTrue(any(t.startswith(self.bill.name) for t in texts))
        self.assertFalse(any(t.startswith(self.invoice.name) for t in texts))
        # The opening balance is the one on the period's first day, and it balances.
        self.assertEqual(sum(a for (y, _c), a in sie.ib.items() if y == 0), 0)
        opening = self._balances(
            [("date", "<", "2026-03-01"), ("account_id", "=", self.acc_receivable.id)]
        )
        self.assertEqual(sie.ib.get((0, "1510"), D(0)), opening.get(self.acc_receivable, D(0)))

    def test_split_keeps_every_cent(self):
        split = self.env["cluster.sie.export"]._sie_split
        codes = {1: "A", 2: "B", 3: "C"}
        self.assertEqual(
            split(10001, {"1": 33.33, "2": 33.33, "9": 33.34}, codes),
            [("A", 3333), ("B", 3334), (None, 3334)],
        )
        self.assertEqual(
            split(-500000, {"1": 60, "2": 40}, codes), [("A", -300000), ("B", -200000)]
        )
        self.assertEqual(split(100, {"9": 100}, codes), [(None, 100)])
        self.assertEqual(split(100, {}, codes), [(None, 100)])
        # several plans in one key, and shares above 100 % scaled down
        self.assertEqual(split(1000, {"9,1": 50, "9,2": 50}, codes), [("A", 500), ("B", 500)])
        self.assertEqual(split(1000, {"1": 100, "3": 100}, codes), [("A", 500), ("C", 500)])
        for cents in (1, 2, 7, 99, 10001, -3, -12345):
            parts = split(cents, {"1": 33.333, "2": 16.667, "3": 49.99}, codes)
            self.assertEqual(sum(c for _o, c in parts), cents)

    def test_same_queries_for_more_vouchers(self):
        green = str(self.analytic_green.id)

        def queries():
            wizard = self._wizard()
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            wizard = wizard.with_company(self.company)
            wizard._sie_generate()  # warm the ORM's method caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard._sie_generate()
            return self.env.cr.sql_log_count - before

        for day in range(1, 11):
            self._entry(
                f"2026-06-{day:02d}",
                [
                    (self.acc_rent, 10.0 * day, {green: 50}),
                    (self.acc_bank, -10.0 * day, False),
                ],
            )
        with_10 = queries()
        self.assertGreater(with_10, 0)
        for day in range(11, 21):
            self._entry(
                f"2026-06-{day:02d}",
                [
                    (self.acc_rent, 10.0 * day, {green: 50}),
                    (self.acc_bank, -10.0 * day, False),
                ],
            )
        self.assertEqual(queries(), with_10)

    def test_chunks_give_the_same_file(self):
        def export():
            wizard = self._wizard().with_company(self.company)
            return wizard._sie_generate()

        whole = export()
        module = "odoo.addons.cluster_projects.wizards.cluster_sie_export"
        with patch(f"{module}.SIE_CHUNK_SIZE", 2):
            self.assertEqual(export(), whole)

    def test_monthly_series_get_long_numbers(self):
        july = self._entry(
            "2026-07-01", [(self.acc_rent, 1.0, False), (self.acc_bank, -1.0, False)]
        )
        august = self._entry(
            "2026-08-01", [(self.acc_rent, 2.0, False), (self.acc_bank, -2.0, False)]
        )
        self.assertEqual((july.sequence_number, august.sequence_number), (1, 1))
        _wizard, _action, _raw, sie = self._export()
        numbers = {
            move: (
                self._voucher(sie, move)["series"],
                self._voucher(sie, move)["number"],
            )
            for move in (self.misc, july, august)
        }
        series = self.misc.journal_id.code
        self.assertEqual(
            numbers[july],
            (series, "".join(filter(str.isdigit, july.name[len(series) :]))),
        )
        self.assertEqual(len(set(numbers.values())), 3)
        # The invoice journal numbers per year: its short numbers stay.
        self.assertEqual(
            self._voucher(sie, self.invoice)["number"],
            str(self.invoice.sequence_number),
        )

    @freeze_time("2026-06-15")
    def test_defaults_and_dates(self):
        with Form(self.env(user=self.manager)["cluster.sie.export"]) as form:
            self.assertEqual(form.date_from, datetime.date(2026, 1, 1))
        wizard = form.record
        self.assertEqual(wizard.company_id, self.env.company)
        self.assertEqual(
            (wizard.date_from, wizard.date_to),
            (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        )
        with self.assertRaises(ValidationError):
            self._wizard(date_from="2026-12-31", date_to="2026-01-01")

    def test_access(self):
        for user in (self.cluster_user, self.cluster_board):
            with self.assertRaises(AccessError):
                self._wizard(user=user)
        # A cluster manager (the treasurer) holds Invoicing / Billing through the
        # group, so reads the books and gets the file.
        wizard = self._wizard(user=self.cluster_manager)
        wizard.action_export()
        self.assertTrue(wizard.sie_file)

    def test_object_projects(self):
        projects = self.env["cluster.sie.export"]._sie_object_projects()
        self.assertIn(self.project_green, projects)
        self.assertIn(self.project_north, projects)
        self.assertNotIn(self.project_without_account, projects)
        Project = self.env["project.project"]
        if "is_joint_project" in Project._fields:
            own = Project.create({"name": "Eget projekt", "account_id": self.analytic_other.id})
            self.assertNotIn(own, self.env["cluster.sie.export"]._sie_object_projects())


@tagged("post_install", "-at_install")
class TestSieDownload(HttpCase):
    """The file as a browser gets it: wizard over JSON-RPC, then the download URL."""

    def _call(self, model, method, *args):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": {}},
        )

    def test_download_over_http(self):
        self.env.company.company_registry = "556677-8899"
        new_test_user(
            self.env,
            login="sie_http",
            groups="cluster_base.cluster_base_group_manager," "account.group_account_readonly",
        )
        new_test_user(
            self.env,
            login="sie_http_user",
            groups="cluster_base.cluster_base_group_user",
        )
        self.authenticate("sie_http", "sie_http")
        wizard_id = self._call(
            "cluster.sie.export",
            "create",
            {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        )
        action = self._call("cluster.sie.export", "action_export", [wizard_id])
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("5566778899_2026.se", response.headers["Content-Disposition"])
        sie = SieParser.parse(response.content)
        self.assertEqual(sie.header["#SIETYP"], ["4"])
        self.assertEqual(sie.header["#ORGNR"], ["556677-8899"])

        self.authenticate("sie_http_user", "sie_http_user")
        response = self.url_open(action["url"])
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"#SIETYP", response.content)
