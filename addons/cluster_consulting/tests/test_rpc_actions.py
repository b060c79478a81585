# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every button of the cluster models answers an XML-RPC client: each public
``action_*`` (and the ``button_*`` the addons override) is called over XML-RPC against
the test server, on a record in the state where the action goes through, and must
return a value XML-RPC can carry (an action dict or ``True``), with no ERROR logged.

A time system that gets a Fault after the action was committed retries it; a method
returning ``None`` or a recordset did exactly that."""

import inspect
import xmlrpc.client
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import config

from .portal_common import PortalCommon

ADMIN = ("admin", "admin")


@tagged("post_install", "-at_install")
class TestActionsOverXmlRpc(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.admin = cls.env.ref("base.user_admin")
        cls.mtype_free = cls.env["cluster.membership.type"].create(
            {
                "name": "RPC associate",
                "category": "associate",
                "contribution_amount": 0.0,
                "voting_right": True,
            }
        )
        cls.mtype_paid = cls.env["cluster.membership.type"].create(
            {
                "name": "RPC core",
                "category": "core",
                "contribution_amount": 1000.0,
                "voting_right": True,
            }
        )
        cls.funder = cls.env["res.partner"].create(
            {
                "name": "RPC funder",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "national_agency",
            }
        )

    # Fixtures: one record per call, in the state the action needs ---------------

    def _firm(self, name="RPC firm"):
        return self.env["res.partner"].create(
            {"name": name, "is_company": True, "email": "firm@example.com"}
        )

    def _decision(self, state="draft", **values):
        decision = self.env["cluster.decision"].create({"title": "RPC decision", **values})
        if state == "adopted":
            decision.action_adopt()
        return decision

    def _membership(self, state="draft", mtype=None, admitted="2026-02-01", **values):
        membership = self.env["cluster.membership"].create(
            {
                "partner_id": self._firm().id,
                "membership_type_id": (mtype or self.mtype_free).id,
                **values,
            }
        )
        if state == "draft":
            return membership
        membership.action_apply()
        membership.admission_decision_id = self._decision("adopted")
        if state == "applied":
            return membership
        membership.write({"date_application": admitted, "date_admission": admitted})
        membership.write({"state": "admitted"})
        if state == "admitted":
            return membership
        membership.write({"state": "active"})
        return membership

    def _membership_to_repay(self):
        membership = self._membership("active", mtype=self.mtype_paid, admitted="2019-02-01")
        invoices = membership._create_contribution_invoices()
        invoices.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"payment_date": invoices.invoice_date})._create_payments()
        membership.date_exit = date(2020, 6, 30)
        membership.action_resign()
        return membership

    def _meeting(self, state="planned"):
        meeting = self.env["cluster.meeting"].create(
            {"name": "RPC meeting", "meeting_type": "annual"}
        )
        if state == "held":
            meeting.action_held()
            # approving the minutes of a general meeting needs its two adjusters
            meeting.adjuster_ids = self.env["res.partner"].create(
                [{"name": "Justerare Ett"}, {"name": "Justerare Två"}]
            )
        return meeting

    def _meeting_to_call(self):
        """An annual meeting five weeks ahead (inside the notice window) and an active
        member with a signatory to call."""
        membership = self._membership("active")
        self.env["res.partner"].create(
            {
                "name": "RPC kallad",
                "parent_id": membership.partner_id.id,
                "email": "kallad@example.com",
                "cluster_is_signatory": True,
            }
        )
        return self.env["cluster.meeting"].create(
            {
                "name": "RPC annual meeting",
                "meeting_type": "annual",
                "date": fields.Datetime.now() + timedelta(days=35),
            }
        )

    def _lead(self, kind):
        vals = {
            "name": "RPC lead",
            "type": "opportunity",
            "cluster_opportunity_kind": kind,
            "partner_id": self._firm("RPC lead firm").id,
            "stage_id": self.env.ref("cluster_base.crm_stage_cluster_won").id,
        }
        if kind == "recruit_member":
            vals["cluster_membership_type_id"] = self.mtype_free.id
        return self.env["crm.lead"].create(vals)

    def _project(self, stage="idea"):
        project = self.env["project.project"].create(
            {
                "name": "RPC joint project",
                "is_joint_project": True,
                "date_start": date(2026, 1, 1),
                "date": date(2026, 12, 31),
                "cluster_participant_ids": [
                    Command.create(
                        {"partner_id": self.firm_a.id, "role": "lead", "cost_share": 100.0}
                    )
                ],
            }
        )
        if stage != "idea":
            if stage == "application_adopted":
                stage = "application"
                project.cluster_decision_id = self._decision(
                    "adopted", res_model="project.project", res_id=project.id
                )
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE project_project SET cluster_stage = %s WHERE id = %s", [stage, project.id]
            )
            project.invalidate_recordset(["cluster_stage"])
        return project

    def _budget_version(self, approved=False):
        line = self.env["cluster.budget.line"].create(
            {
                "project_id": self._project().id,
                "category": "travel",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 1000.0,
            }
        )
        version = line.version_id
        version.write({"approved_on": date(2026, 2, 1), "funder_ref": "RPC 1"})
        if approved:
            version.action_approve()
        return version

    def _grant(self, **values):
        return self.env["cluster.grant"].create(
            {
                "name": "RPC grant",
                "project_id": self._project().id,
                "funder_id": self.funder.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_granted": 1000.0,
                **values,
            }
        )

    def _claim(self, state="draft"):
        claim = self.env["cluster.grant.claim"].create(
            {
                "name": "RPC claim",
                "grant_id": self._grant().id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 100.0,
            }
        )
        if state == "submitted":
            claim.action_submit()
        return claim

    def _claim_with_a_cost(self):
        """A submitted claim whose period has a cash cost on the project: a pack to make."""
        claim = self._claim("submitted")
        self.env["account.analytic.line"].create(
            {
                "name": "RPC travel",
                "account_id": claim.project_id.account_id.id,
                "date": date(2026, 2, 1),
                "amount": -250.0,
            }
        )
        return claim

    def _agreement(self, state="draft"):
        agreement = self._create_agreement(
            hour_cap=1.0, date_from=date(2035, 1, 1), date_to=date(2035, 1, 31)
        )
        if state == "draft":
            return agreement
        agreement.action_request()
        if state == "requested":
            return agreement
        if state == "cancelled":
            agreement.action_cancel()
            return agreement
        agreement.with_user(self.signatory_a_user).action_lender_approve()
        if state == "lender_approved":
            return agreement
        agreement.action_activate()
        return agreement

    def _hour(self, state="draft"):
        hour = self._log(self.agreement_a, date(2026, 3, 20), 1.0)
        if state == "submitted":
            hour.with_user(self.cluster_manager).action_cluster_submit()
        return hour

    def _invoice(self, post=True):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.firm_a.id,
                "invoice_date": date(2026, 6, 1),
                "invoice_line_ids": [
                    Command.create({"name": "RPC", "quantity": 1, "price_unit": 10.0})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _settlement(self, month, state="draft", hours=0.0):
        period = {"date_from": date(2037, month, 1), "date_to": date(2037, month, 28)}
        settlement = self.env["cluster.settlement"].create(period)
        if hours:
            agreement = self._activate(
                self._create_agreement(
                    expert_id=self.expert_b.id,
                    buyer_kind="member",
                    buyer_id=self.firm_a.id,
                    hour_cap=hours,
                    **period,
                )
            )
            hour = self._log(agreement, period["date_from"], hours)
            hour.with_user(self.cluster_manager).action_cluster_submit()
            hour.with_user(self.cluster_manager).action_cluster_approve()
        if state == "done":
            settlement.action_run()
            settlement.move_ids.action_post()
        return settlement

    def _expert_to_invite(self):
        contact = self.env["res.partner"].create(
            {"name": "RPC expert", "parent_id": self.firm_b.id, "email": "rpcx@example.com"}
        )
        return self.env["cluster.expert"].create({"partner_id": contact.id, "hourly_rate": 500})

    def _state_aid(self, state="draft"):
        aid = self.env["cluster.state.aid"].create(
            {
                "partner_id": self.firm_a.id,
                "date_granted": date(2026, 3, 1),
                "amount": 1100.0,
                "eur_rate": 11.0,
                "source": "other",
                "computation": "RPC",
            }
        )
        if state == "granted":
            aid.action_grant()
        return aid

    def _event_with_attendee(self):
        event = self.env["event.event"].create(
            {
                "name": "RPC activity",
                "date_begin": datetime(2026, 3, 10, 8, 0),
                "date_end": datetime(2026, 3, 10, 16, 0),
                "cluster_aid_value": 1000.0,
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "RPC guest", "parent_id": self.firm_a.id}
        )
        self.env["event.registration"].create(
            {"event_id": event.id, "partner_id": contact.id, "state": "open"}
        )
        return event

    def _cases(self):
        """``{(model, method): (login, password, factory)}``: a record factory per call."""
        signatory = ("por_sig_a", "por_sig_a")
        wizard = self.env
        return {
            # cluster_base
            ("cluster.decision", "action_adopt"): (ADMIN, lambda: self._decision()),
            ("cluster.decision", "action_reject"): (ADMIN, lambda: self._decision()),
            ("cluster.decision", "action_reset_draft"): (
                ADMIN,
                lambda: self._decision("adopted"),
            ),
            ("cluster.decision", "action_open_record"): (ADMIN, lambda: self._decision()),
            ("cluster.decision", "action_amend"): (ADMIN, lambda: self._decision("adopted")),
            ("cluster.meeting", "action_build_voting_register"): (ADMIN, self._meeting),
            ("cluster.meeting", "action_held"): (ADMIN, self._meeting),
            ("cluster.meeting", "action_close"): (ADMIN, lambda: self._meeting("held")),
            ("cluster.meeting", "action_view_decisions"): (ADMIN, self._meeting),
            ("cluster.meeting", "action_send_notice"): (ADMIN, self._meeting_to_call),
            ("cluster.membership", "action_apply"): (ADMIN, self._membership),
            ("cluster.membership", "action_reset_draft"): (
                ADMIN,
                lambda: self._membership("applied"),
            ),
            ("cluster.membership", "action_admit"): (
                ADMIN,
                lambda: self._membership("applied"),
            ),
            ("cluster.membership", "action_reject"): (
                ADMIN,
                lambda: self._membership("applied"),
            ),
            ("cluster.membership", "action_activate"): (
                ADMIN,
                lambda: self._membership("admitted"),
            ),
            ("cluster.membership", "action_resign"): (
                ADMIN,
                lambda: self._membership("active"),
            ),
            ("cluster.membership", "action_exclude"): (
                ADMIN,
                lambda: self._membership(
                    "active", exclusion_decision_id=self._decision("adopted").id
                ),
            ),
            ("cluster.membership", "action_invoice_contribution"): (
                ADMIN,
                lambda: self._membership("active", mtype=self.mtype_paid),
            ),
            ("cluster.membership", "action_repay_contribution"): (
                ADMIN,
                self._membership_to_repay,
            ),
            ("cluster.membership", "action_view_invoices"): (ADMIN, self._membership),
            ("crm.lead", "action_cluster_create_membership"): (
                ADMIN,
                lambda: self._lead("recruit_member"),
            ),
            ("crm.lead", "action_cluster_create_joint_project"): (
                ADMIN,
                lambda: self._lead("joint_market"),
            ),
            ("res.partner", "action_cluster_view_memberships"): (ADMIN, self._firm),
            ("res.partner", "action_cluster_anonymize"): (
                ADMIN,
                lambda: self.env["res.partner"].create(
                    {"name": "RPC person", "parent_id": self._firm().id, "email": "p@example.com"}
                ),
            ),
            ("mailing.list", "action_cluster_sync"): (
                ADMIN,
                lambda: self.env.ref("cluster_base.mailing_list_cluster_signatories"),
            ),
            ("cluster.fee.run", "action_run"): (
                ADMIN,
                lambda: wizard["cluster.fee.run"].create(
                    {
                        "year": 2026,
                        "membership_type_ids": [Command.set(self.mtype_paid.ids)],
                    }
                ),
            ),
            # cluster_projects
            ("cluster.grant.claim", "action_submit"): (ADMIN, self._claim),
            ("cluster.grant.claim", "action_mark_paid"): (
                ADMIN,
                lambda: self._claim("submitted"),
            ),
            ("cluster.grant.claim", "action_create_correction"): (
                ADMIN,
                lambda: self._claim("submitted"),
            ),
            ("cluster.grant.claim", "action_claim_pack"): (ADMIN, self._claim_with_a_cost),
            ("cluster.grant.claim.pack", "action_pack_job"): (
                ADMIN,
                lambda: self.env["cluster.grant.claim.pack"].create(
                    {"claim_id": self._claim_with_a_cost().id}
                ),
            ),
            ("cluster.grant.claim", "action_reset_draft"): (
                ADMIN,
                lambda: self._claim("submitted"),
            ),
            ("cluster.state.aid", "action_grant"): (ADMIN, self._state_aid),
            ("cluster.state.aid", "action_cancel"): (ADMIN, self._state_aid),
            ("cluster.state.aid", "action_send_certificate"): (
                ADMIN,
                lambda: self._state_aid("granted"),
            ),
            ("cluster.state.aid", "action_print_certificate"): (
                ADMIN,
                lambda: self._state_aid("granted"),
            ),
            ("event.event", "action_cluster_record_state_aid"): (
                ADMIN,
                self._event_with_attendee,
            ),
            ("cluster.grant", "action_schedule_report_deadlines"): (
                ADMIN,
                lambda: self._grant(report_frequency="quarterly"),
            ),
            ("project.project", "action_cluster_apply"): (ADMIN, self._project),
            ("project.project", "action_cluster_application"): (ADMIN, self._project),
            ("project.project", "action_cluster_new_budget_amendment"): (
                ADMIN,
                lambda: self._budget_version(approved=True).project_id,
            ),
            ("cluster.budget.version", "action_approve"): (ADMIN, self._budget_version),
            ("cluster.budget.version", "action_new_amendment"): (
                ADMIN,
                lambda: self._budget_version(approved=True),
            ),
            ("cluster.application.wizard", "action_export_xlsx"): (
                ADMIN,
                lambda: wizard["cluster.application.wizard"].create(
                    {"project_id": self._budget_version().project_id.id}
                ),
            ),
            ("cluster.application.wizard", "action_print_pdf"): (
                ADMIN,
                lambda: wizard["cluster.application.wizard"].create(
                    {"project_id": self._budget_version().project_id.id}
                ),
            ),
            ("project.project", "action_cluster_request_decision"): (
                ADMIN,
                lambda: self._project("application"),
            ),
            ("project.project", "action_cluster_grant"): (
                ADMIN,
                lambda: self._project("application_adopted"),
            ),
            ("project.project", "action_cluster_start"): (
                ADMIN,
                lambda: self._project("granted"),
            ),
            ("project.project", "action_final_report"): (
                ADMIN,
                lambda: self._project("running"),
            ),
            ("project.project", "action_cluster_close"): (
                ADMIN,
                lambda: self._project("final_reporting"),
            ),
            ("project.project", "action_cluster_reset_idea"): (
                ADMIN,
                lambda: self._project("closed"),
            ),
            ("project.project", "action_cluster_funder_report"): (ADMIN, self._project),
            ("cluster.funder.report", "action_export"): (
                ADMIN,
                lambda: wizard["cluster.funder.report"].create({"project_id": self._project().id}),
            ),
            ("cluster.ledger.export", "action_export"): (
                ADMIN,
                lambda: wizard["cluster.ledger.export"].create(
                    {
                        "project_ids": [Command.set(self._project().ids)],
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 12, 31),
                    }
                ),
            ),
            ("cluster.sie.export", "action_export"): (
                ADMIN,
                lambda: wizard["cluster.sie.export"].create(
                    {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)}
                ),
            ),
            # cluster_consulting
            ("account.analytic.line", "action_cluster_submit"): (ADMIN, self._hour),
            ("account.analytic.line", "action_cluster_approve"): (
                ADMIN,
                lambda: self._hour("submitted"),
            ),
            ("account.analytic.line", "action_cluster_reject"): (
                ADMIN,
                lambda: self._hour("submitted"),
            ),
            ("account.move", "action_reverse"): (ADMIN, self._invoice),
            ("account.move", "button_draft"): (ADMIN, self._invoice),
            ("account.move", "button_cancel"): (ADMIN, lambda: self._invoice(post=False)),
            ("cluster.agreement", "action_request"): (ADMIN, self._agreement),
            ("cluster.agreement", "action_lender_approve"): (
                signatory,
                lambda: self._agreement("requested"),
            ),
            ("cluster.agreement", "action_lender_decline"): (
                signatory,
                lambda: self._agreement("requested"),
            ),
            ("cluster.agreement", "action_request_decision"): (ADMIN, self._agreement),
            ("cluster.agreement", "action_activate"): (
                ADMIN,
                lambda: self._agreement("lender_approved"),
            ),
            ("cluster.agreement", "action_close"): (ADMIN, lambda: self._agreement("active")),
            ("cluster.agreement", "action_cancel"): (ADMIN, self._agreement),
            ("cluster.agreement", "action_reset_draft"): (
                ADMIN,
                lambda: self._agreement("cancelled"),
            ),
            ("cluster.agreement", "action_raise_cap"): (ADMIN, self._agreement),
            ("cluster.agreement", "action_view_hours"): (ADMIN, self._agreement),
            ("cluster.expert", "action_view_agreements"): (ADMIN, lambda: self.expert_a),
            ("cluster.expert", "action_invite_portal"): (ADMIN, self._expert_to_invite),
            ("cluster.expert", "action_cluster_renew_consent"): (ADMIN, lambda: self.expert_a),
            ("cluster.settlement", "action_run"): (
                ADMIN,
                lambda: self._settlement(1, hours=2.0),
            ),
            ("cluster.settlement", "action_send_statements"): (
                ADMIN,
                lambda: self._settlement(2, "done", hours=2.0),
            ),
            ("cluster.settlement", "action_net_balances"): (
                ADMIN,
                lambda: self._settlement(3, "done", hours=2.0),
            ),
            ("cluster.settlement", "action_credit_hours"): (
                ADMIN,
                lambda: self._settlement(4, "done", hours=2.0),
            ),
            ("cluster.settlement", "action_view_moves"): (ADMIN, lambda: self._settlement(5)),
            ("account.move", "action_cluster_view_hours"): (
                ADMIN,
                lambda: self._settlement(10, "done", hours=2.0).move_ids[:1],
            ),
            ("account.move.line", "action_cluster_view_hours"): (
                ADMIN,
                lambda: self._settlement(11, "done", hours=2.0).move_ids[:1].invoice_line_ids[:1],
            ),
            ("cluster.agreement.raise.cap", "action_confirm"): (
                ADMIN,
                lambda: wizard["cluster.agreement.raise.cap"].create(
                    {"agreement_id": self._agreement().id, "new_cap": 2.0, "reason": "RPC"}
                ),
            ),
            ("cluster.expert.match", "action_search"): (
                ADMIN,
                lambda: wizard["cluster.expert.match"].create(
                    {"date_from": date(2035, 1, 1), "date_to": date(2035, 1, 31)}
                ),
            ),
            ("cluster.settlement.credit", "action_confirm"): (ADMIN, self._credit_wizard),
            # background runs (queue_job): the buttons enqueue and answer at once
            ("cluster.settlement", "action_run_job"): (
                ADMIN,
                lambda: self._settlement(7, hours=2.0),
            ),
            ("cluster.settlement", "action_send_statements_job"): (
                ADMIN,
                lambda: self._settlement(8, "done", hours=2.0),
            ),
            ("cluster.settlement", "action_cluster_job_retry"): (
                ADMIN,
                lambda: self._settlement(9),
            ),
            ("cluster.fee.run", "action_run_job"): (ADMIN, self._fee_run),
            ("cluster.funder.report", "action_export_job"): (
                ADMIN,
                lambda: wizard["cluster.funder.report"].create({"project_id": self._project().id}),
            ),
            ("cluster.ledger.export", "action_export_job"): (
                ADMIN,
                lambda: wizard["cluster.ledger.export"].create(
                    {
                        "project_ids": [Command.set(self._project().ids)],
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 12, 31),
                    }
                ),
            ),
            ("cluster.sie.export", "action_export_job"): (
                ADMIN,
                lambda: wizard["cluster.sie.export"].create(
                    {"date_from": date(2026, 2, 1), "date_to": date(2026, 2, 28)}
                ),
            ),
            ("cluster.job.request", "action_open_request"): (ADMIN, self._job_request),
            ("cluster.job.request", "action_download"): (ADMIN, self._job_request),
            ("cluster.job.request", "action_view_moves"): (ADMIN, self._job_request),
            ("cluster.job.request", "action_cluster_job_retry"): (ADMIN, self._job_request),
        }

    def _fee_run(self):
        return self.env["cluster.fee.run"].create(
            {"year": 2027, "membership_type_ids": [Command.set(self.mtype_paid.ids)]}
        )

    def _job_request(self):
        return self._fee_run()._cluster_job_start_run()

    def _credit_wizard(self):
        settlement = self._settlement(6, "done", hours=2.0)
        hours = self.env["account.analytic.line"].search(
            [("cluster_bill_line_id.move_id.cluster_settlement_id", "=", settlement.id)]
        )
        return self.env["cluster.settlement.credit"].create(
            {"settlement_id": settlement.id, "line_ids": [Command.set(hours.ids)], "reason": "RPC"}
        )

    def _cluster_buttons(self):
        """``{(model, method)}``: every public ``action_*`` defined by a cluster addon, and
        every ``button_*`` a cluster addon overrides."""
        found = set()
        for model_name in self.env.registry:
            if self.env[model_name]._abstract:
                continue  # mixins: their actions are checked on the models using them
            for klass in type(self.env[model_name]).__mro__:
                if not klass.__module__.startswith("odoo.addons.cluster_"):
                    continue
                for name, member in vars(klass).items():
                    if inspect.isfunction(member) and name.startswith(("action_", "button_")):
                        found.add((model_name, name))
        return found

    def test_every_cluster_button_answers_xmlrpc(self):
        cases = self._cases()
        missing = self._cluster_buttons() - set(cases)
        self.assertFalse(missing, "public actions without an XML-RPC case")
        url = f"http://127.0.0.1:{config['http_port']}/xmlrpc/2"
        common = xmlrpc.client.ServerProxy(f"{url}/common")
        models = xmlrpc.client.ServerProxy(f"{url}/object", allow_none=False)
        db = self.env.cr.dbname
        uids = {}
        for (model, method), ((login, password), factory) in sorted(cases.items()):
            with self.subTest(model=model, method=method):
                records = factory()
                self.env.flush_all()
                if login not in uids:
                    uids[login] = common.authenticate(db, login, password, {})
                with self.assertNoLogs(level="ERROR"):
                    result = models.execute_kw(
                        db, uids[login], password, model, method, [records.ids]
                    )
                self.assertTrue(
                    result is True or isinstance(result, dict),
                    f"{model}.{method} returned {result!r}",
                )
                self.env.invalidate_all()
