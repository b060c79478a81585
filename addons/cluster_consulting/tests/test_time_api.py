# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The time-system API, from the outside: the example client runs as a separate
process against the test server (XML-RPC and JSON-RPC with API keys), and from the
inside for the checks of every argument and caller."""

import json
import subprocess
import sys
from datetime import date, datetime, timedelta

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import config, file_path, mute_logger

from .portal_common import SIGNATORY, PortalCommon

CLIENT = "cluster_consulting/examples/time_api_client.py"


@tagged("post_install", "-at_install")
class TestTimeApi(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mtype = cls.env["cluster.membership.type"].create(
            {
                "name": "Test API member",
                "category": "associate",
                "contribution_amount": 0.0,
                "voting_right": False,
            }
        )
        for firm in (cls.firm_a, cls.firm_b):
            cls._make_member(firm, mtype)
        cls.env["ir.config_parameter"].set_param("portal.allow_api_keys", True)
        cls.key_a = cls._api_key(cls.signatory_a_user)
        cls.key_b = cls._api_key(cls.signatory_b_user)
        cls.key_expert_a = cls._api_key(cls.expert_a_user)
        cls.Api = cls.env["cluster.time.api"]

    @classmethod
    def _make_member(cls, firm, mtype):
        membership = cls.env["cluster.membership"].create(
            {"partner_id": firm.id, "membership_type_id": mtype.id}
        )
        membership.action_apply()
        decision = cls.env["cluster.decision"].create({"title": "Admission", "date": "2026-02-01"})
        decision.action_adopt()
        membership.admission_decision_id = decision
        membership.write({"date_application": "2026-02-01", "date_admission": "2026-02-01"})
        membership.write({"state": "admitted"})
        membership.write({"state": "active"})
        assert firm.is_cluster_member

    @classmethod
    def _api_key(cls, user):
        # As the user, like the portal's "New API key" wizard: a portal user's key
        # must expire (at most one day ahead by default).
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "time system", datetime.now() + timedelta(hours=12))
        )

    # Helpers ---------------------------------------------------------------------

    def _client(self, login, key, *args, stdin=None, protocol="xmlrpc"):
        """Run the example client as a separate process against the test server."""
        command = [
            sys.executable,
            file_path(CLIENT),
            "--url",
            f"http://127.0.0.1:{config['http_port']}",
            "--db",
            self.env.cr.dbname,
            "--login",
            login,
            "--key",
            key,
            "--protocol",
            protocol,
            *args,
        ]
        proc = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        self.env.invalidate_all()
        return proc

    def _json(self, proc, returncode=0):
        self.assertEqual(proc.returncode, returncode, proc.stderr[-2000:])
        return json.loads(proc.stdout)

    def _lines(self, refs):
        return self.env["account.analytic.line"].search([("cluster_external_ref", "in", refs)])

    def _record(self, ref, **values):
        record = {
            "external_ref": ref,
            "agreement": self.agreement_a.name,
            "date": "2026-03-10",
            "hours": 2.0,
            "description": "Workshop",
        }
        record.update(values)
        return record

    # From a client process -------------------------------------------------------

    def test_client_push_retry_and_read_back(self):
        records = [
            self._record("TS-1", hours=7.5, description="Förstudie"),
            self._record("TS-2", agreement=self.agreement_a.id, date="2026-03-11"),
        ]
        pushed = self._json(
            self._client("por_sig_a", self.key_a, "push", "-", stdin=json.dumps(records))
        )
        self.assertEqual([r["status"] for r in pushed], ["created", "created"])
        lines = self._lines(["TS-1", "TS-2"])
        self.assertEqual(len(lines), 2)
        line_1 = lines.filtered(lambda line: line.cluster_external_ref == "TS-1")
        self.assertEqual(line_1.id, pushed[0]["id"])
        self.assertEqual(line_1.unit_amount, 7.5)
        self.assertEqual(line_1.name, "Förstudie")
        self.assertEqual(line_1.agreement_id, self.agreement_a)
        self.assertEqual(line_1.employee_id, self.expert_a.employee_id)
        self.assertEqual(line_1.cluster_lender_id, self.firm_a)
        self.assertEqual(line_1.cluster_hour_use, "bought_out")
        self.assertEqual(line_1.cluster_hour_state, "draft")

        # A retry of the same batch (e.g. after a timeout) duplicates nothing.
        again = self._json(
            self._client("por_sig_a", self.key_a, "push", "-", stdin=json.dumps(records))
        )
        self.assertEqual([r["status"] for r in again], ["existing", "existing"])
        self.assertEqual([r["id"] for r in again], [r["id"] for r in pushed])
        self.assertEqual(len(self._lines(["TS-1", "TS-2"])), 2)

        state = self._json(
            self._client("por_sig_a", self.key_a, "state", "TS-1", "TS-2", "TS-404")
        )
        self.assertEqual([s["status"] for s in state], ["found", "found", "unknown"])
        self.assertEqual(state[0]["hours"], 7.5)
        self.assertEqual(state[0]["state"], "draft")
        self.assertEqual(state[0]["agreement"], self.agreement_a.name)
        self.assertEqual(state[1]["date"], "2026-03-11")

        # JSON-RPC too; the agreements show the pushed hours in their consumption.
        agreements = self._json(
            self._client("por_sig_a", self.key_a, "agreements", protocol="jsonrpc")
        )
        by_name = {a["name"]: a for a in agreements}
        self.assertEqual(set(by_name), {self.agreement_a.name, self.agreement_a_req.name})
        self.assertAlmostEqual(by_name[self.agreement_a.name]["hours_draft"], 12.5)
        self.assertAlmostEqual(by_name[self.agreement_a.name]["hours_remaining"], 24.75)

    def test_client_firm_b_sees_nothing_of_firm_a(self):
        pushed_a = self.Api.with_user(self.signatory_a_user).push_hours(
            [self._record("A-SECRET-1")]
        )
        self.assertEqual(pushed_a[0]["status"], "created")
        count = len(self.agreement_a.timesheet_ids)

        # B pushes on A's agreement (by number and by id): refused, nothing saved.
        records = [
            self._record("B-1"),
            self._record("B-2", agreement=self.agreement_a.id),
        ]
        proc = self._client("por_sig_b", self.key_b, "push", "-", stdin=json.dumps(records))
        refused = self._json(proc, returncode=2)
        self.assertEqual([r["status"] for r in refused], ["error", "error"])
        self.assertIn("is not one on which your firm lends", refused[0]["message"])
        self.assertFalse(self._lines(["B-1", "B-2"]))
        self.agreement_a.invalidate_recordset()
        self.assertEqual(len(self.agreement_a.timesheet_ids), count)

        # B asks for A's reference: unknown, like a reference never pushed.
        state = self._json(self._client("por_sig_b", self.key_b, "state", "A-SECRET-1"))
        self.assertEqual(state, [{"external_ref": "A-SECRET-1", "status": "unknown"}])

        agreements = self._client("por_sig_b", self.key_b, "agreements")
        names = {a["name"] for a in self._json(agreements)}
        self.assertEqual(names, {self.agreement_b.name, self.agreement_b_to_a.name})
        statements = self._client("por_sig_b", self.key_b, "statements")
        self.assertEqual(
            [s["settlement"] for s in self._json(statements)], [self.settlement_b.name]
        )
        for output in (agreements.stdout, statements.stdout, proc.stdout):
            for marker in ("Astrid Lind", "Hemlig workshop Anbud", self.settlement_a.name):
                self.assertNotIn(marker, output)

    def test_client_refused_without_a_signatory_key(self):
        # An expert of firm A (portal, not a signatory) has a valid key: the API refuses.
        with mute_logger("odoo.http"):
            proc = self._client("por_exp_a", self.key_expert_a, "agreements")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("signatories of member firms", proc.stderr)
        # A wrong key does not log in.
        proc = self._client("por_sig_a", "0" * 40, "agreements")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("Login refused", proc.stderr)

    # Inside: every argument and caller -------------------------------------------

    def test_bad_records_answer_one_by_one(self):
        api = self.Api.with_user(self.signatory_a_user)
        hours_before = len(self.agreement_a.timesheet_ids)
        records = [
            self._record("OK-1", date="2026-03-12", hours=6),
            self._record("BAD-zero", hours=0),
            self._record("BAD-25", hours=25),
            self._record("BAD-neg", hours=-1.5),
            self._record("BAD-text", hours="7,5"),
            self._record("BAD-nan", hours=float("nan")),
            self._record("BAD-inf", hours=float("inf")),
            self._record("BAD-bool", hours=True),
            self._record("BAD-period", date="2026-06-01"),
            self._record("BAD-date", date="2026-02-30"),
            self._record("BAD-key", employee_id=1),
            self._record("BAD ref with spaces"),
            self._record("OK-1", date="2026-03-13"),
            self._record("BAD-requested", agreement=self.agreement_a_req.name),
            self._record("BAD-bought", agreement=self.agreement_b_to_a.name),
            self._record("BAD-missing", agreement=999999999),
            self._record("BAD-day", date="2026-03-02", hours=22),
            {"external_ref": "BAD-short", "hours": 1},
            "not a dict",
        ]
        results = api.push_hours(records)
        self.assertEqual(len(results), len(records))
        self.assertEqual(results[0]["status"], "created")
        for result in results[1:]:
            self.assertEqual(result["status"], "error", result)
            self.assertTrue(result["message"], result)
            self.assertFalse(result["id"])
        messages = {r["external_ref"]: r["message"] for r in results[1:] if r["external_ref"]}
        self.assertIn("above 0 and at most 24", messages["BAD-nan"])
        self.assertIn("is outside agreement", messages["BAD-period"])
        self.assertIn("YYYY-MM-DD", messages["BAD-date"])
        self.assertIn("Unknown key", messages["BAD-key"])
        self.assertIn("twice", results[12]["message"])
        self.assertIn("not active", messages["BAD-requested"])
        self.assertIn("is not one on which", messages["BAD-bought"])
        self.assertIn("is not one on which", messages["BAD-missing"])
        self.assertIn("at most 24 hours", messages["BAD-day"])
        # Only the valid hour was saved.
        self.agreement_a.invalidate_recordset()
        self.assertEqual(len(self.agreement_a.timesheet_ids), hours_before + 1)
        self.assertEqual(len(self._lines([r.get("external_ref") for r in records[:17]])), 1)

    def test_cap_refused_per_record(self):
        api = self.Api.with_user(self.signatory_a_user)
        # Cap 37.25 with 3 hours logged: the third record would pass it.
        results = api.push_hours(
            [
                self._record("CAP-1", date="2026-04-01", hours=16),
                self._record("CAP-2", date="2026-04-02", hours=16),
                self._record("CAP-3", date="2026-04-03", hours=3),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["created", "created", "error"])
        self.assertIn("allows", results[2]["message"])
        self.assertEqual(len(self._lines(["CAP-1", "CAP-2", "CAP-3"])), 2)

    def test_callers_and_arguments_checked(self):
        other_firm = self.env["res.partner"].create({"name": "Icke Medlem AB", "is_company": True})
        outsider = new_test_user(
            self.env,
            login="api_outsider",
            groups=SIGNATORY,
            partner_id=self.env["res.partner"]
            .create(
                {
                    "name": "Ulla Utanför",
                    "parent_id": other_firm.id,
                    "cluster_is_signatory": True,
                }
            )
            .id,
        )
        for user in (self.expert_a_user, self.cluster_user, outsider):
            for method, args in (
                ("push_hours", [[self._record("X-1")]]),
                ("hours_state", [["X-1"]]),
                ("agreements", []),
                ("statements", []),
            ):
                with self.assertRaises(AccessError):
                    getattr(self.Api.with_user(user), method)(*args)
        self.assertFalse(self._lines(["X-1"]))
        api = self.Api.with_user(self.signatory_a_user)
        with self.assertRaises(UserError):
            api.push_hours("TS-1")
        with self.assertRaises(UserError):
            api.push_hours([self._record(f"M-{i}") for i in range(501)])
        with self.assertRaises(UserError):
            api.hours_state({"ref": "TS-1"})
        self.assertEqual(
            api.hours_state([42, None]),
            [
                {"external_ref": False, "status": "unknown"},
                {"external_ref": False, "status": "unknown"},
            ],
        )

    def test_rpc_context_cannot_change_the_hour(self):
        api = self.Api.with_user(self.signatory_a_user).with_context(
            default_cluster_hour_state="approved",
            default_cluster_approved_by_id=self.cluster_manager.id,
            default_cluster_hour_use="in_kind",
            default_unit_amount=20,
        )
        result = api.push_hours([self._record("CTX-1", hours=1.25)])
        self.assertEqual(result[0]["status"], "created", result)
        line = self._lines(["CTX-1"])
        self.assertEqual(line.cluster_hour_state, "draft")
        self.assertFalse(line.cluster_approved_by_id)
        self.assertEqual(line.unit_amount, 1.25)

    def test_unique_reference_in_postgresql(self):
        api = self.Api.with_user(self.signatory_a_user)
        first = api.push_hours([self._record("RACE-1")])[0]
        # A second call that did not see the first hour (a concurrent push): the
        # unique index refuses the insert and the existing hour is returned.
        vals, error = api._cluster_api_line_vals(
            api._cluster_api_parse_record(self._record("RACE-1", date="2026-03-20"))[0],
            api._cluster_api_agreements(self.firm_a, [self.agreement_a.name]),
        )
        self.assertFalse(error)
        result = {"status": "error", "retry": False}
        with mute_logger("odoo.sql_db"):
            api._cluster_api_create(result, vals, self.firm_a)
        self.assertEqual(result["status"], "existing")
        self.assertEqual(result["id"], first["id"])
        self.assertEqual(len(self._lines(["RACE-1"])), 1)
        # The same reference of another firm is another hour.
        other = self.Api.with_user(self.signatory_b_user).push_hours(
            [self._record("RACE-1", agreement=self.agreement_b.name)]
        )
        self.assertEqual(other[0]["status"], "created")
        # And PostgreSQL itself refuses a duplicate written past the API.
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.env["account.analytic.line"].sudo().create(dict(vals, date=date(2026, 3, 21)))
                self.env.flush_all()
        self.assertEqual(len(self._lines(["RACE-1"])), 2)
