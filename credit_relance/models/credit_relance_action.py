from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..tools import retry
from .credit_relance_step import CHANNELS, TRIGGER_MODES

ACTION_STATES = [
    ("planned", "Planned"),
    ("to_validate", "To validate"),
    ("to_do", "To do"),
    ("done", "Done"),
    ("error", "Error"),
    ("cancelled", "Cancelled"),
    ("skipped", "Skipped"),
]
FOLLOWUP_CATEGORIES = [
    ("in_progress", "In progress"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
    ("other", "Other"),
]
# the category that describes an action whose invoices are in several: the most serious
FOLLOWUP_PRIORITY = ["litigation", "dispute", "promise", "other", "in_progress"]


class CreditRelanceAction(models.Model):
    """One dunning act on one customer, for all its invoices at one scenario step on one date.

    The action lines (``credit.relance.action.line``) snapshot each invoice at that step; the
    unique key (invoice, step) on them is what guarantees a step is never run twice for an
    invoice, whatever crashes or concurrent runs happen.
    """

    _name = "credit.relance.action"
    _description = "Dunning action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    scenario_id = fields.Many2one("credit.relance.scenario", index=True, check_company=True)
    step_id = fields.Many2one("credit.relance.step", string="Scenario step", index=True, check_company=True)
    step_label = fields.Char(string="Step", related="step_id.position_label")
    planned_date = fields.Date(required=True, index=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    trigger_mode = fields.Selection(TRIGGER_MODES, required=True, default="manual")
    state = fields.Selection(ACTION_STATES, required=True, default="planned", index=True, tracking=True)
    user_id = fields.Many2one("res.users", string="Responsible", index=True, tracking=True)
    line_ids = fields.One2many("credit.relance.action.line", "action_id", string="Invoices at this step")
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids", search="_search_move_ids",
        help="The invoices this action duns (the lines not skipped).",
    )
    amount_total = fields.Monetary(string="Amount due", currency_field="currency_id",
                                   compute="_compute_amount_total", store=True)
    # five values, grouped by (agenda) rather than searched: an index would only slow the daily run
    followup_category = fields.Selection(
        FOLLOWUP_CATEGORIES, compute="_compute_followup_category", store=True,
        help="Follow-up category of the invoices' statuses; the most serious one when they differ.",
    )
    outcome = fields.Text()
    error_message = fields.Text(readonly=True)
    attempt_count = fields.Integer(readonly=True)
    executed_by_id = fields.Many2one(
        "res.users", string="Executed by", readonly=True, copy=False,
        help="Who executed the action: a collector validating it, or the daily run's user.",
    )
    mail_template_id = fields.Many2one("mail.template", string="E-mail template used", readonly=True, copy=False)
    sms_template_id = fields.Many2one("sms.template", string="SMS template used", readonly=True, copy=False)
    template_version = fields.Datetime(
        readonly=True, copy=False,
        help="Last modification of the template when the message was sent: the version the customer received.",
    )
    next_retry = fields.Datetime(
        readonly=True, copy=False, index="btree_not_null",
        help="An action that failed for a passing reason (mail server, SMS gateway, PDF engine, database "
             "lock) is tried again automatically at this time, a limited number of times.",
    )
    done_date = fields.Datetime(readonly=True)
    mail_message_ids = fields.Many2many("mail.message", string="Messages sent", readonly=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Documents", readonly=True)
    collector_id = fields.Many2one(related="partner_id.credit_collector_id", string="Collector")
    date_maturity = fields.Date(string="Oldest due date", compute="_compute_amount_total", store=True)
    subject_override = fields.Char(string="Subject", help="Replaces the template's subject when set.")
    body_override = fields.Html(string="Message", help="Replaces the template's text when set.")
    reject_reason = fields.Text(tracking=True)
    wait_reason = fields.Char(readonly=True, help="Why an automatic action waits or needs a validation.")
    next_attempt = fields.Datetime(readonly=True, help="Not executed before this time (next allowed slot).")
    sms_number = fields.Char(string="SMS sent to", readonly=True)
    error_alerted = fields.Boolean(readonly=True, copy=False)
    letter_sent = fields.Boolean(string="Sent", readonly=True, tracking=True)
    registered_letter = fields.Boolean(string="Registered letter", tracking=True)
    tracking_number = fields.Char(tracking=True)
    promise_ids = fields.One2many("credit.relance.promise", "action_id", string="Promises")
    late_fee_move_id = fields.Many2one(
        "account.move", string="Late fees invoice", readonly=True, copy=False, check_company=True,
        help="The invoice of the late-payment interest and recovery indemnity of this action's invoices.",
    )
    # Snapshots of the customer's group and A/B variant at creation, so later group changes
    # do not move past actions between the variants compared by the effectiveness report.
    credit_group_id = fields.Many2one(
        "credit.relance.group", string="Customer group", compute="_compute_credit_ab_snapshot", store=True,
        index="btree_not_null", help="The customer's dunning group when the action was created.",
    )
    ab_variant = fields.Selection(
        [("a", "A"), ("b", "B")], string="A/B variant", compute="_compute_credit_ab_snapshot", store=True,
        help="The customer's A/B variant in its group when the action was created.",
    )

    @api.depends("partner_id", "step_id", "channel")
    def _compute_name(self):
        channels = dict(CHANNELS)
        for action in self:
            label = action.step_id.name or channels.get(action.channel, "")
            action.name = f"{action.partner_id.display_name or ''} - {label}"

    @api.depends("partner_id")
    def _compute_credit_ab_snapshot(self):
        for action in self:
            partner = action.partner_id.commercial_partner_id
            action.credit_group_id = partner.credit_group_id
            action.ab_variant = partner.credit_ab_variant

    @api.depends("line_ids.move_id.credit_status_id.category")
    def _compute_followup_category(self):
        for action in self:
            categories = set(action.line_ids.move_id.credit_status_id.mapped("category"))
            action.followup_category = next((c for c in FOLLOWUP_PRIORITY if c in categories), "in_progress")

    @api.depends("line_ids.move_id", "line_ids.skipped")
    def _compute_move_ids(self):
        for action in self:
            action.move_ids = action.line_ids.filtered(lambda line: not line.skipped).move_id

    def _search_move_ids(self, operator, value):
        return [("line_ids", "any", [("move_id", operator, value), ("skipped", "=", False)])]

    @api.depends("line_ids.amount_residual", "line_ids.date_maturity", "line_ids.skipped")
    def _compute_amount_total(self):
        for action in self:
            lines = action.line_ids.filtered(lambda line: not line.skipped)
            action.amount_total = sum(lines.mapped("amount_residual"))
            action.date_maturity = min(lines.mapped("date_maturity"), default=False)

    def _get_plain_body_override(self):
        self.ensure_one()
        return html2plaintext(self.body_override or "")

    # ------------------------------------------------------------------
    # Actions (buttons, server actions)
    # ------------------------------------------------------------------

    def action_invoice_late_fees(self):
        """Invoice the late-payment interest and fixed indemnity of this action's invoices.

        Creates a draft customer invoice (one interest line per late invoice, one indemnity line)
        for the collector to check and post; an action invoices its late fees once.
        """
        self.ensure_one()
        if self.late_fee_move_id:
            raise UserError(self.env._("The late fees of this action are already invoiced (%(move)s).",
                                       move=self.late_fee_move_id.display_name))
        today = fields.Date.context_today(self)
        fees = self.env["credit.relance.engine"]._compute_late_fees(self.move_ids, today)
        if fees["currency"].is_zero(fees["total"]):
            raise UserError(self.env._("The invoices of this action owe no late-payment interest or indemnity today."))
        lines = [
            fields.Command.create({
                "name": self.env._("Late-payment interest on %(invoice)s (%(days)s days late)",
                                   invoice=line["move"].name, days=line["days_late"]),
                "quantity": 1, "price_unit": line["interest"], "tax_ids": [fields.Command.clear()],
            })
            for line in fees["lines"] if line["interest"]
        ]
        indemnities = [line for line in fees["lines"] if line["indemnity"]]
        if indemnities:
            lines.append(fields.Command.create({
                "name": self.env._("Fixed recovery indemnity (French Commercial Code, art. L441-10): %(invoices)s",
                                   invoices=", ".join(line["move"].name for line in indemnities)),
                "quantity": len(indemnities), "price_unit": indemnities[0]["indemnity"],
                "tax_ids": [fields.Command.clear()],
            }))
        move = self.env["account.move"].with_company(self.company_id).create({
            "move_type": "out_invoice", "partner_id": self.partner_id.id, "company_id": self.company_id.id,
            "invoice_date": today, "ref": self.env._("Late fees: %(action)s", action=self.name),
            "invoice_line_ids": lines,
        })
        self.late_fee_move_id = move
        self.message_post(body=self.env._("Late fees invoiced in %(move)s.", move=move.display_name))
        return {
            "type": "ir.actions.act_window", "res_model": "account.move", "res_id": move.id,
            "view_mode": "form", "views": [(False, "form")],
        }

    def action_validate(self):
        """Validate actions of the queue: they are executed now."""
        to_run = self.filtered(lambda a: a.state == "to_validate")
        if len(to_run) != len(self):
            raise UserError(self.env._("Only actions waiting for validation can be validated."))
        to_run.write({"state": "planned", "wait_reason": False})
        # sudo: like the daily run, executing reads the invoices and writes messages and attachments,
        # which a collector without accounting rights may not do; the write above checked the
        # user's right on these actions
        engine = self.env["credit.relance.engine"].sudo()
        for company in to_run.company_id:
            batch = to_run.filtered(lambda a, c=company: a.company_id == c).sudo()
            engine.with_company(company)._execute_actions(batch)
            engine._create_activities(batch.filtered(lambda a: a.state == "to_do" and not a.activity_ids))
        return True

    def action_reject(self):
        """Reject actions of the queue; they are kept, cancelled, with the reason."""
        if any(a.state not in ("to_validate", "planned", "to_do") for a in self):
            raise UserError(self.env._("Only actions not yet done can be rejected."))
        for action in self:
            action.write({
                "state": "cancelled",
                "reject_reason": action.reject_reason or self.env._("Rejected by %(user)s", user=self.env.user.name),
            })
        self.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_call"])
        return True

    def action_cancel(self):
        if any(a.state == "done" for a in self):
            raise UserError(self.env._("A done action cannot be cancelled."))
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_call"])
        return True

    def action_retry(self):
        """Put actions in error back in the queue of actions to execute."""
        errors = self.filtered(lambda a: a.state == "error")
        errors.write({"state": "planned", "error_message": False, "error_alerted": False, "next_attempt": False,
                      "next_retry": False})
        # sudo: as in action_validate, the write above checked the user's right on these actions
        engine = self.env["credit.relance.engine"].sudo()
        for company in errors.company_id:
            engine.with_company(company)._execute_actions(
                errors.filtered(lambda a, c=company: a.company_id == c).sudo())
        return True

    def action_done(self):
        """Mark manual actions (calls, to-dos, letters) as done."""
        self.filtered(lambda a: a.state in ("to_do", "planned")).write(
            {"state": "done", "done_date": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo", "mail.mail_activity_data_call"])
        return True

    def action_mark_letter_sent(self):
        """Letters posted: done, with the tracking number of a registered letter when given."""
        for action in self:
            if action.channel not in ("letter", "formal_notice"):
                raise UserError(self.env._("%(action)s is not a letter.", action=action.display_name))
            action.write({"letter_sent": True, "state": "done", "done_date": fields.Datetime.now()})
            if action.registered_letter:
                action._message_log(body=Markup("%s") % self.env._(
                    "Sent by registered letter, tracking number %(number)s", number=action.tracking_number or "-"))
        return True

    def action_postpone(self, days=7):
        """Postpone open actions by ``days`` days."""
        for action in self.filtered(lambda a: a.state in ("planned", "to_validate", "to_do")):
            action.planned_date = fields.Date.add(action.planned_date, days=days)
        return True

    def action_open_call_result(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call result"),
            "res_model": "credit.relance.call.result",
            "view_mode": "form",
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    @api.model
    def _set_error_from_messages(self, messages, reason, transient=False, text=None):
        """Put the actions that sent ``messages`` in error (mail server failure, bounce, SMS refused).

        :param transient: the cause may pass (server down, no credit): the action is tried again
            automatically with a new message; the failed one is never resent, so nothing goes twice
        :param text: the error shown on the action (default: an e-mail delivery failure)
        """
        if not messages:
            return
        # sudo: called by the mail queue and the mail gateway, whoever runs them
        actions = self.sudo().search([("mail_message_ids", "in", messages.ids), ("state", "!=", "error")])
        for action in actions:
            message = text or self.env._("The message could not be delivered: %(reason)s", reason=reason)
            action.write({"state": "error", "error_message": message})
            action._schedule_retry(message, transient)

    def _schedule_retry(self, message, transient):
        """After a failure: plan the next automatic try (limited, with backoff) or leave it to a person."""
        now = fields.Datetime.now()
        cron = self.env.ref("credit_relance.ir_cron_daily_run", raise_if_not_found=False)
        for action in self:
            when = retry.next_retry(max(action.attempt_count, 1), now, transient, retry.MAX_ATTEMPTS)
            action.next_retry = when
            if when:
                note = self.env._("It will be tried again automatically at %(when)s (attempt %(attempt)s of "
                                  "%(max)s).", when=fields.Datetime.to_string(when),
                                  attempt=action.attempt_count + 1, max=retry.MAX_ATTEMPTS)
                if cron:
                    cron._trigger(at=when)
            elif transient:
                note = self.env._("Given up after %(attempts)s attempts: click Retry once the cause is fixed.",
                                  attempts=action.attempt_count)
            else:
                note = self.env._("Not retried automatically: fix the cause, then click Retry.")
            action._message_log(body=Markup("%s<br/>%s") % (
                self.env._("Dunning action failed: %(error)s", error=message), note))

    def _get_letter_late_fees(self):
        """Late fees shown in the letter, when the step asks for them."""
        self.ensure_one()
        if not self.step_id.apply_late_fees:
            return {}
        lines = self.line_ids.filtered(lambda line: not line.skipped)
        return self.env["credit.relance.engine"]._compute_late_fees(lines.move_id, self.planned_date)
