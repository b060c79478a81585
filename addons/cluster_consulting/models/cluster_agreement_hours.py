# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, format_date, formatLang

from .cluster_agreement import HOLDING_STATES


class ClusterAgreement(models.Model):
    """The hours of an agreement: consumed, approved and invoiced against the cap, the
    expert's monthly load, and the alerts and notices the hours raise."""

    _inherit = "cluster.agreement"

    def _get_invoiced_hours(self):
        """Hours per agreement the lender has billed (on a vendor bill line of a settlement)."""
        # sudo: the settlement links are the association's; only their hours are summed,
        # for agreements the user may read.
        return dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agreement_id", "in", self.ids),
                    ("cluster_bill_line_id", "!=", False),
                ],
                ["agreement_id"],
                ["unit_amount:sum"],
            )
        )

    def _compute_hours(self):
        sums = {}
        for agreement, state, hours in self.env["account.analytic.line"]._read_group(
            [("agreement_id", "in", self.ids)],
            ["agreement_id", "cluster_hour_state"],
            ["unit_amount:sum"],
        ):
            sums[agreement, state] = hours
        invoiced = self._get_invoiced_hours()
        for agreement in self:
            draft = sums.get((agreement, "draft"), 0.0)
            submitted = sums.get((agreement, "submitted"), 0.0)
            approved = sums.get((agreement, "approved"), 0.0)
            consumed = draft + submitted + approved
            # sudo: an expert reads the consumption, never the rate behind the amounts.
            rate = agreement.sudo().hourly_rate
            agreement.hours_draft = draft
            agreement.hours_submitted = submitted
            agreement.hours_approved = approved
            agreement.hours_consumed = consumed
            agreement.hours_invoiced = invoiced.get(agreement, 0.0)
            agreement.hours_remaining = agreement.hour_cap - consumed
            agreement.amount_consumed = consumed * rate
            agreement.amount_approved = approved * rate
            agreement.amount_invoiced = agreement.hours_invoiced * rate
            agreement.amount_remaining = agreement.hours_remaining * rate
            agreement.cap_percent = (
                100.0 * consumed / agreement.hour_cap if agreement.hour_cap else 0.0
            )

    @api.constrains("expert_id", "date_from", "date_to", "hour_cap", "state")
    def _check_released_hours(self):
        """In no month may an expert's agreements take more than the hours the expert
        releases per month; each agreement counts with its share of that month
        (``_monthly_hours_sql``)."""
        agreements = self.filtered(lambda a: a.state in HOLDING_STATES)
        if not agreements:
            return
        date_from = min(agreements.mapped("date_from"))
        date_to = max(agreements.mapped("date_to"))
        # sudo: an expert's capacity counts every agreement holding their hours, also
        # the ones the user editing this agreement may not read
        rows = self.sudo()._read_monthly_hours(
            [
                ("expert_id", "in", agreements.expert_id.ids),
                ("state", "in", HOLDING_STATES),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ],
            date_from,
            date_to,
        )
        load = defaultdict(float)
        for _agreement_id, expert_id, month, hours in rows:
            load[expert_id, month] += hours
        checked = {agreement.id: agreement for agreement in agreements}
        for agreement_id, expert_id, month, hours in rows:
            agreement = checked.get(agreement_id)
            if not agreement or float_compare(hours, 0.0, precision_digits=2) <= 0:
                continue
            released = agreement.expert_id.hours_per_month
            committed = load[expert_id, month]
            if float_compare(committed, released, precision_digits=2) > 0:
                raise ValidationError(agreement._released_hours_message(month, hours, committed))

    def _released_hours_message(self, month, hours, committed):
        self.ensure_one()
        return self.env._(
            "%(expert)s releases %(released)s hours a month, but in %(month)s the "
            "agreements would take %(committed)s hours: %(hours)s hours of %(name)s "
            "(its hour cap spread over its working days) and %(others)s hours of other "
            "agreements.",
            expert=self.expert_id.name,
            released=formatLang(self.env, self.expert_id.hours_per_month),
            month=format_date(self.env, month, date_format="MMMM y"),
            committed=formatLang(self.env, committed),
            hours=formatLang(self.env, hours),
            name=self.name,
            others=formatLang(self.env, committed - hours),
        )

    # Monthly load ------------------------------------------------------------------

    @api.model
    def _monthly_hours_sql(self, where):
        """The monthly load of agreements: each agreement's hour cap spread over the
        calendar months its period touches, in proportion to its working days (Monday
        to Friday) in each month; a period without a working day is spread over its
        days. One row ``(agreement_id, expert_id, month, hours)`` per agreement ``a``
        matching the SQL condition ``where`` and month (its first day) it touches.

        The one rule of an expert's load: the capacity check, the free hours of
        matchmaking and of the portal, the expert form and the availability report
        all read it.
        """
        # Working days among ``days`` days from a weekday ``dow`` (0 = Monday):
        # g(dow + days) - g(dow), where g(n) = 5 * (n / 7) + least(n mod 7, 5) counts
        # the working days of the first n days of a week starting on a Monday.
        return SQL(
            """
            SELECT p.agreement_id, p.expert_id, p.month,
                   p.hour_cap * CASE
                       WHEN SUM(p.work_days) OVER w > 0
                       THEN p.work_days::float8 / SUM(p.work_days) OVER w
                       ELSE p.days::float8 / SUM(p.days) OVER w
                   END AS hours
              FROM (
                    SELECT a.id AS agreement_id, a.expert_id, a.hour_cap, m.month, d.days,
                           5 * ((d.dow + d.days) / 7) + LEAST(MOD(d.dow + d.days, 7), 5)
                           - LEAST(d.dow, 5) AS work_days
                      FROM cluster_agreement a
                     CROSS JOIN LATERAL generate_series(
                               date_trunc('month', a.date_from::timestamp),
                               date_trunc('month', a.date_to::timestamp),
                               interval '1 month'
                           ) AS g(start)
                     CROSS JOIN LATERAL (
                            SELECT g.start::date AS month,
                                   GREATEST(a.date_from, g.start::date) AS first_day,
                                   LEAST(a.date_to, (g.start + interval '1 month')::date - 1)
                                       AS last_day
                           ) AS m
                     CROSS JOIN LATERAL (
                            SELECT m.last_day - m.first_day + 1 AS days,
                                   EXTRACT(ISODOW FROM m.first_day)::int - 1 AS dow
                           ) AS d
                     WHERE %s
                   ) AS p
            WINDOW w AS (PARTITION BY p.agreement_id)
            """,
            where,
        )

    @api.model
    def _read_monthly_hours(self, domain, date_from, date_to):
        """Rows ``(agreement_id, expert_id, month, hours)`` of ``_monthly_hours_sql`` for
        the agreements matching ``domain`` that the user may read, in the months from
        ``date_from`` to ``date_to``."""
        self.flush_model(["expert_id", "hour_cap", "date_from", "date_to", "state"])
        query = self._search(domain)
        return self.env.execute_query(
            SQL(
                """
                SELECT load.agreement_id, load.expert_id, load.month, load.hours
                  FROM (%s) AS load
                 WHERE load.month BETWEEN %s AND %s
                 ORDER BY load.agreement_id, load.month
                """,
                self._monthly_hours_sql(SQL("a.id IN %s", query.subselect())),
                date_from.replace(day=1),
                date_to,
            )
        )

    def action_view_hours(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_consulting.account_analytic_line_action_cluster_approval"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {
            "default_agreement_id": self.id,
            "default_project_id": self.project_id.id,
            "default_employee_id": self.expert_id.employee_id.id,
        }
        return action

    # Cap alerts -------------------------------------------------------------------

    def _cluster_alert_cap(self, consumed_by_agreement):
        """Schedule an activity when the hours pass 80 % and 100 % of the cap."""
        for agreement in self:
            consumed = consumed_by_agreement.get(agreement, 0.0)
            ratio = consumed / agreement.hour_cap if agreement.hour_cap else 0.0
            level = 100 if ratio >= 1 else 80 if ratio >= 0.8 else 0
            if level <= agreement.cap_alert_level:
                continue
            # sudo: hours are logged by experts who cannot write agreements.
            agreement_sudo = agreement.sudo()
            agreement_sudo.cap_alert_level = level
            agreement_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(agreement.user_id or self.env.ref("base.user_admin")).id,
                summary=self.env._(
                    "%(percent)s %% of the hour cap used on %(name)s",
                    percent=level,
                    name=agreement.name,
                ),
            )

    def _cluster_notify_hours_submitted(self):
        """Tell who approves that submitted hours wait: the buying firm's signatories by
        mail, the responsible of an association-bought agreement by an activity."""
        for agreement in self.filtered(lambda a: a.hours_submitted):
            if agreement.buyer_kind == "member" and agreement.buyer_id:
                signatories = agreement.buyer_id.child_ids.filtered(
                    lambda c: c.cluster_is_signatory and c.email
                )
                if signatories:
                    agreement._cluster_post_template(
                        "cluster_consulting.mail_template_cluster_hours_to_approve", signatories
                    )
            elif agreement.user_id:
                agreement.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=agreement.user_id.id,
                    summary=self.env._("Approve the submitted hours"),
                    date_deadline=fields.Date.context_today(self),
                )
        return True
