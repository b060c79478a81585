# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The API a member firm's own time system calls over XML-RPC or JSON-RPC.

The caller is a signatory of a member firm (usually a portal user) authenticated with a
personal API key. It may push hours for the experts its firm lends on active agreements
and read back those hours, its agreements and its settlement statements: the same rules
as the portal pages, never another firm's data.

Every public method:

- checks the caller (``_cluster_api_firm``) and validates its arguments by type, length
  and range before any query;
- drops the caller's context (only ``lang`` and ``tz`` are kept), so RPC context keys
  such as ``default_*`` or ``active_test`` cannot change what is created or found;
- searches as the caller (the record rules of the addon apply) with a domain built here
  on a stored firm field; ``sudo()`` is used only to create an hour whose agreement,
  expert and values were checked, and the model's constraints still run.
"""

import re

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY
from odoo.addons.cluster_base.tools.parse import parse_date, parse_decimal

MAX_BATCH = 500
MAX_DESCRIPTION = 200
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}$")
PUSH_KEYS = {"external_ref", "agreement", "date", "hours", "description", "task"}
REQUIRED_KEYS = {"external_ref", "agreement", "date", "hours"}


class ClusterTimeApi(models.AbstractModel):
    _name = "cluster.time.api"
    _description = "Time-system API for member firms"

    # The API has methods, not records: the ORM's generic reads answer with a clean
    # access error instead of the ValueError an abstract model gives.
    def _cluster_api_no_records(self):
        raise AccessError(
            self.env._(
                "The time-system API has no records to read: call its methods "
                "(push_hours, hours_state, agreements, statements)."
            )
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        self._cluster_api_no_records()

    def read(self, fields=None, load="_classic_read"):
        self._cluster_api_no_records()

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        self._cluster_api_no_records()

    # Caller and arguments ----------------------------------------------------------

    def _cluster_api_env(self):
        """This model in a clean context: the caller's context keys are not trusted."""
        context = {
            key: self.env.context[key]
            for key in ("lang", "tz")
            if isinstance(self.env.context.get(key), str)
        }
        return self.with_env(self.env(context=context))

    def _cluster_api_firm(self):
        """The caller's member firm, or AccessError."""
        user = self.env.user
        firm = user.commercial_partner_id
        allowed = (
            not self.env.su
            and (user._is_portal() or user._is_internal())
            and user._cluster_has_role(firm, ROLE_SIGNATORY)
            and firm.is_company
            and firm.is_cluster_member
        )
        if not allowed:
            raise AccessError(
                self.env._("The time-system API is for signatories of member firms only.")
            )
        return firm

    def _cluster_api_check_list(self, values, name):
        if not isinstance(values, list | tuple):
            raise UserError(self.env._("%(name)s must be a list.", name=name))
        if len(values) > MAX_BATCH:
            raise UserError(
                self.env._(
                    "Send at most %(max)s items per call (%(count)s were sent).",
                    max=MAX_BATCH,
                    count=len(values),
                )
            )

    def _cluster_api_ref(self, value):
        if isinstance(value, str) and REF_RE.match(value):
            return value
        return None

    # Push ----------------------------------------------------------------------------

    @api.model
    def push_hours(self, records):
        """Save hours sent by the firm's time system (see ``_cluster_api_push``)."""
        return self._cluster_api_env()._cluster_api_push(records)

    @api.model
    def _cluster_api_push(self, records):
        """Save hours sent by the firm's time system; one result per record.

        Each record is a dict ``{external_ref, agreement, date, hours, description}``
        (``task`` too when the agreement has agreed tasks): ``agreement`` is an id or a
        number such as ``"TA/2026/0001"`` of an active agreement on which the caller's
        firm lends the expert, ``date`` is ``"YYYY-MM-DD"``, ``hours`` a number above 0
        and at most 24. Each record is saved whole or not at all; the result says
        ``created``, ``existing`` (the reference was pushed before: nothing changes,
        so a retry never duplicates) or ``error`` with a message; ``retry`` is true
        when the same reference was being saved by a concurrent call (send it again).
        """
        firm = self._cluster_api_firm()
        self._cluster_api_check_list(records, "records")
        _ = self.env._
        results = []
        checked = []
        seen = set()
        for index, record in enumerate(records):
            raw_ref = record.get("external_ref") if isinstance(record, dict) else None
            result = {
                "index": index,
                "external_ref": raw_ref if isinstance(raw_ref, str) else False,
                "status": "error",
                "id": False,
                "state": False,
                "message": "",
                "retry": False,
            }
            results.append(result)
            vals, error = self._cluster_api_parse_record(record)
            if not error and vals["external_ref"] in seen:
                error = _("This external reference appears twice in the batch.")
            if error:
                result["message"] = error
                continue
            seen.add(vals["external_ref"])
            checked.append((result, vals))
        if not checked:
            return results
        Line = self.env["account.analytic.line"]
        # Hours pushed before with these references: one query, as the caller.
        existing = {
            line.cluster_external_ref: line
            for line in Line.search(
                [
                    ("cluster_lender_id", "=", firm.id),
                    ("cluster_external_ref", "in", [v["external_ref"] for _r, v in checked]),
                ]
            )
        }
        agreements = self._cluster_api_agreements(
            firm, [vals["agreement"] for _r, vals in checked]
        )
        for result, vals in checked:
            line = existing.get(vals["external_ref"])
            if line:
                result.update(status="existing", id=line.id, state=line.cluster_hour_state)
                continue
            line_vals, error = self._cluster_api_line_vals(vals, agreements)
            if error:
                result["message"] = error
                continue
            self._cluster_api_create(result, line_vals, firm)
        return results

    def _cluster_api_parse_record(self, record):
        """Types, lengths and ranges of one pushed record: (values, error)."""
        _ = self.env._
        if not isinstance(record, dict):
            return None, _("Each record must be a dict (a JSON object or XML-RPC struct).")
        unknown = set(record) - PUSH_KEYS
        if unknown:
            return None, _(
                "Unknown key %(key)s: a record has external_ref, agreement, date, "
                "hours, description and task.",
                key=str(sorted(unknown, key=str)[0])[:40],
            )
        missing = REQUIRED_KEYS - set(record)
        if missing:
            return None, _("The record has no %(key)s.", key=sorted(missing)[0])
        ref = self._cluster_api_ref(record["external_ref"])
        if not ref:
            return None, _(
                "external_ref must be 1 to 64 letters, digits or . _ : / # - "
                "(starting with a letter or digit)."
            )
        agreement = record["agreement"]
        if isinstance(agreement, bool) or not (
            (isinstance(agreement, int) and 0 < agreement < 2**31)
            or (isinstance(agreement, str) and 0 < len(agreement.strip()) <= 64)
        ):
            return None, _("agreement must be the id or the number of an agreement.")
        if isinstance(agreement, str):
            agreement = agreement.strip()
        day = parse_date(record["date"]) if isinstance(record["date"], str) else None
        if not day:
            return None, _("Give the date as YYYY-MM-DD.")
        hours = record["hours"]
        hours = (
            parse_decimal(hours, 2, 0.0, 24.0, strict_minimum=True)
            if isinstance(hours, int | float)
            else None
        )
        if hours is None:
            return None, _(
                "Hours must be a number above 0 and at most 24 with at most two decimals "
                "(e.g. 7.5)."
            )
        description = record.get("description") or ""
        if not isinstance(description, str):
            return None, _("description must be text.")
        task = record.get("task") or False
        if task is not False and (
            isinstance(task, bool) or not isinstance(task, int) or not 0 < task < 2**31
        ):
            return None, _("task must be the id of one of the agreement's tasks.")
        return {
            "external_ref": ref,
            "agreement": agreement,
            "date": day,
            "hours": hours,
            "description": description.strip()[:MAX_DESCRIPTION] or "/",
            "task": task,
        }, None

    def _cluster_api_agreements(self, firm, keys):
        """The firm's lent agreements named by ``keys`` (ids or numbers), in one query."""
        ids = [key for key in keys if isinstance(key, int)]
        names = [key for key in keys if isinstance(key, str)]
        # Searched as the caller (the signatory rule applies) and restricted to the
        # agreements the firm lends: a firm pushes hours of its own experts only.
        agreements = self.env["cluster.agreement"].search(
            [
                ("lender_id", "=", firm.id),
                "|",
                ("id", "in", ids),
                ("name", "in", names),
            ]
        )
        by_key = {}
        for agreement in agreements:
            by_key[agreement.id] = agreement
            by_key[agreement.name] = agreement
        return by_key

    def _cluster_api_line_vals(self, vals, agreements):
        """Values of the hour to create, checked like the portal's hour form."""
        _ = self.env._
        agreement = agreements.get(vals["agreement"])
        if not agreement:
            # Same answer for a missing agreement and another firm's: ids can't be probed.
            return None, _(
                "Agreement %(agreement)s is not one on which your firm lends an expert.",
                agreement=str(vals["agreement"])[:64],
            )
        # State, period, tasks and caps: the model's constraints, at create.
        try:
            line_vals = self.env["account.analytic.line"]._prepare_hour_vals(
                agreement, vals["date"], vals["hours"], vals["description"], vals["task"]
            )
        except ValidationError as error:
            return None, str(error)
        line_vals["cluster_external_ref"] = vals["external_ref"]
        return line_vals, None

    def _cluster_api_create(self, result, line_vals, firm):
        """Create one hour in its own savepoint; fill ``result``."""
        Line = self.env["account.analytic.line"]
        try:
            with self.env.cr.savepoint():
                # sudo: portal users cannot create analytic lines; the agreement (the
                # firm's own) and every value were checked above, and the model's
                # constraints (state, period, tasks, cap, 24 h a day, > 0) still run.
                line = Line.sudo().create(line_vals)
                line.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            # Pushed at the same time by another request: return that hour if this
            # transaction can see it, else ask the caller to send it again.
            self.env.invalidate_all()
            line = Line.search(
                [
                    ("cluster_lender_id", "=", firm.id),
                    ("cluster_external_ref", "=", line_vals["cluster_external_ref"]),
                ],
                limit=1,
            )
            if line:
                result.update(status="existing", id=line.id, state=line.cluster_hour_state)
            else:
                result["retry"] = True
                result["message"] = self.env._(
                    "This hour is being saved by another call right now: "
                    "send it again in a moment."
                )
            return
        except (AccessError, UserError, ValidationError) as error:
            result["message"] = str(error)
            return
        result.update(status="created", id=line.id, state=line.cluster_hour_state)

    # Read back -------------------------------------------------------------------

    @api.model
    def hours_state(self, external_refs):
        """The firm's pushed hours by reference (see ``_cluster_api_hours_state``)."""
        return self._cluster_api_env()._cluster_api_hours_state(external_refs)

    @api.model
    def _cluster_api_hours_state(self, external_refs):
        """The firm's pushed hours with these references, one result per reference.

        ``status`` is ``found`` (with the hour's agreement, expert, date, hours,
        description, ``state`` draft/submitted/approved/rejected and ``settled``) or
        ``unknown`` (never pushed by this firm).
        """
        firm = self._cluster_api_firm()
        self._cluster_api_check_list(external_refs, "external_refs")
        refs = [self._cluster_api_ref(ref) for ref in external_refs]
        # Searched as the caller, restricted to the hours the firm lends.
        lines = self.env["account.analytic.line"].search(
            [
                ("cluster_lender_id", "=", firm.id),
                ("cluster_external_ref", "in", [ref for ref in refs if ref]),
            ]
        )
        by_ref = {line.cluster_external_ref: line for line in lines}
        results = []
        for raw, ref in zip(external_refs, refs, strict=True):
            line = by_ref.get(ref)
            if not line:
                results.append(
                    {
                        "external_ref": raw if isinstance(raw, str) else False,
                        "status": "unknown",
                    }
                )
                continue
            results.append(
                {
                    "external_ref": ref,
                    "status": "found",
                    "id": line.id,
                    "agreement": line.agreement_id.name,
                    "agreement_id": line.agreement_id.id,
                    "expert": line.agreement_id.expert_id.name,
                    "date": fields.Date.to_string(line.date),
                    "hours": line.unit_amount,
                    "description": line.name or "",
                    "state": line.cluster_hour_state,
                    # sudo: the bill link is hidden from portal users; only whether
                    # the firm's own hour is billed is told.
                    "settled": bool(line.sudo().cluster_bill_line_id),
                }
            )
        return results

    @api.model
    def agreements(self):
        """The firm's lent agreements (see ``_cluster_api_agreement_list``)."""
        return self._cluster_api_env()._cluster_api_agreement_list()

    @api.model
    def _cluster_api_agreement_list(self):
        """The agreements on which the firm lends an expert, with their consumption."""
        firm = self._cluster_api_firm()
        agreements = self.env["cluster.agreement"].search(
            [("lender_id", "=", firm.id)], order="date_from desc, id desc"
        )
        return [
            {
                "id": agreement.id,
                "name": agreement.name,
                "expert": agreement.expert_id.name,
                "state": agreement.state,
                "date_from": fields.Date.to_string(agreement.date_from),
                "date_to": fields.Date.to_string(agreement.date_to),
                "hour_cap": agreement.hour_cap,
                "hours_draft": agreement.hours_draft,
                "hours_submitted": agreement.hours_submitted,
                "hours_approved": agreement.hours_approved,
                "hours_consumed": agreement.hours_consumed,
                "hours_remaining": agreement.hours_remaining,
                "task_ids": agreement.sudo().task_ids.ids,
            }
            for agreement in agreements
        ]

    @api.model
    def statements(self):
        """The firm's statements (see ``_cluster_api_statement_list``)."""
        return self._cluster_api_env()._cluster_api_statement_list()

    @api.model
    def _cluster_api_statement_list(self):
        """The firm's settlement statements: what the firm pays (``amount_net`` > 0) or
        receives (< 0) now, from the ledger's open items, the same figure on every
        statement, the portal and the PDF; what each period created (information); and a
        link to the PDF."""
        firm = self._cluster_api_firm()
        balances = self.env["cluster.settlement.report.balance"].search(
            [("partner_id", "=", firm.id)], order="date_to desc, id desc"
        )
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        results = []
        for balance in balances:
            # sudo: only the name of the settlement of a balance found as the caller.
            settlement = balance.sudo().settlement_id
            results.append(
                {
                    "settlement_id": settlement.id,
                    "settlement": settlement.name,
                    "date_to": fields.Date.to_string(balance.date_to),
                    "currency": balance.currency_id.name,
                    "amount_owed": balance.amount_owed,
                    "amount_due": balance.amount_due,
                    "amount_period_net": balance.amount_period_net,
                    "amount_open_receivable": balance.amount_open_receivable,
                    "amount_open_payable": balance.amount_open_payable,
                    "amount_net": balance.amount_net,
                    "pdf_url": f"{base_url}/my/cluster/statements/{settlement.id}/pdf",
                }
            )
        return results
