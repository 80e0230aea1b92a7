from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare
from odoo.tools.sql import create_index

from ..tools.behaviour import expected_payment_date

# fields whose change moves the next dunning step of an invoice
PROJECTION_FIELDS = {"state", "credit_scenario_id", "credit_pause_until", "invoice_date_due"}


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_status_id = fields.Many2one(
        "credit.relance.status", string="Follow-up status", tracking=True, copy=False, index="btree_not_null",
        domain="[('parent_id', '=', False)]",
    )
    credit_substatus_id = fields.Many2one(
        "credit.relance.status", string="Follow-up sub-status", tracking=True, copy=False,
        domain="[('parent_id', '=', credit_status_id)]",
    )
    credit_pause_until = fields.Date(
        string="Dunning paused until", tracking=True, copy=False,
        help="No reminder for this invoice before this date (promise to pay, pause by hand).",
    )
    credit_dunning_blocked = fields.Boolean(
        string="Excluded from dunning", tracking=True, copy=False, help="Never dun this invoice."
    )
    credit_scenario_id = fields.Many2one(
        "credit.relance.scenario", string="Dunning scenario", copy=False, readonly=True, index="btree_not_null",
        help="Set by the daily recomputation: the scenario of the first matching invoice routing rule, "
        "else the customer's scenario.",
    )

    credit_next_step_id = fields.Many2one(
        "credit.relance.step", string="Next dunning step", readonly=True, copy=False, index="btree_not_null",
        help="The scenario step the daily run takes next for this invoice: the first step not run yet, or the "
        "most advanced of those already due. Refreshed by the daily run and when the invoice's scenario, pause "
        "or dunning history changes.",
    )
    credit_next_step_date = fields.Date(
        string="Next dunning date", readonly=True, copy=False, index="btree_not_null",
        help="The day the next step falls due: due date plus the step's offset, or the end of the invoice's "
        "pause when steps fell due during it. Whether the invoice may be dunned that day (status, exclusion, "
        "dispute) is checked by the run.",
    )
    credit_next_user_id = fields.Many2one(
        "res.users", string="Next step responsible", readonly=True, copy=False,
        help="Who will be in charge of the next step's action, as the run assigns it.",
    )
    credit_action_line_ids = fields.One2many(
        "credit.relance.action.line", "move_id", string="Dunning steps", readonly=True, copy=False,
    )

    def init(self):
        res = super().init()
        # the daily run selects the invoices of a batch of customers: without an index on the
        # customer every batch reads the whole table (named as the ORM names the index of a field)
        create_index(self.env.cr, "account_move__commercial_partner_id_index", self._table, ["commercial_partner_id"])
        return res

    @api.onchange("credit_status_id")
    def _onchange_credit_status_id(self):
        if self.credit_substatus_id.parent_id != self.credit_status_id:
            self.credit_substatus_id = False

    @api.constrains("credit_status_id", "credit_substatus_id")
    def _check_credit_substatus(self):
        for move in self:
            if move.credit_substatus_id and move.credit_substatus_id.parent_id != move.credit_status_id:
                raise ValidationError(self.env._(
                    'Invoice %(invoice)s: the sub-status "%(sub)s" does not belong to the status "%(status)s".',
                    invoice=move.display_name, sub=move.credit_substatus_id.name,
                    status=move.credit_status_id.name or "",
                ))

    def write(self, vals):
        result = super().write(vals)
        if PROJECTION_FIELDS.intersection(vals):
            self._credit_refresh_next_step()
        return result

    def _credit_refresh_next_step(self):
        """Project the next dunning step of these invoices again (see the engine's ``_project_next_steps``)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if invoices:
            # sudo: the projection is derived data of the invoice; whoever changes the invoice may not read
            # the scenarios and the dunning history it is computed from
            self.env["credit.relance.engine"].sudo()._project_next_steps([("id", "in", invoices.ids)])

    # ------------------------------------------------------------------
    # Portal and payment
    # ------------------------------------------------------------------

    def _credit_get_days_late(self, today=None):
        """Days the invoice is past due on ``today`` (0 when not due or nothing left to pay).

        :param today: the reference date, today's date by default
        :returns: a non-negative integer
        """
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        if (self.move_type != "out_invoice" or self.state != "posted" or not self.invoice_date_due
                or self.payment_state in ("in_payment", "paid", "reversed")
                or self.currency_id.is_zero(self.amount_residual)):
            return 0
        return max((today - self.invoice_date_due).days, 0)

    def _credit_get_reminder_lines(self):
        """The reminders the customer received about these invoices: done actions' lines, newest first."""
        return self.env["credit.relance.action.line"].search(
            [("move_id", "in", self.ids), ("skipped", "=", False), ("action_id.state", "=", "done")],
            order="id desc",
        )

    def _credit_get_portal_values(self):
        """What the customer's invoice page shows of its dunning (read with the rights of the caller).

        :returns: dict with ``credit_days_late``, ``credit_late_fees`` (the engine's late fees when a
            reminder claimed them, else an empty dict), ``credit_reminder_lines``,
            ``credit_open_promise``, ``credit_can_promise``, ``credit_channel_labels``
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        days_late = self._credit_get_days_late(today)
        reminder_lines = self._credit_get_reminder_lines()
        claims_fees = days_late and any(reminder_lines.action_id.step_id.mapped("apply_late_fees"))
        promise = self.env["credit.relance.promise"].search(
            [("move_ids", "in", self.ids), ("state", "=", "open")], limit=1)
        Action = self.env["credit.relance.action"]
        return {
            "credit_days_late": days_late,
            "credit_late_fees": self.env["credit.relance.engine"]._compute_late_fees(self, today)
            if claims_fees else {},
            "credit_reminder_lines": reminder_lines,
            "credit_open_promise": promise,
            "credit_can_promise": not promise and self.move_type == "out_invoice" and self.state == "posted"
            and self.payment_state in ("not_paid", "partial"),
            "credit_channel_labels": dict(Action._fields["channel"]._description_selection(self.env)),
        }

    def _credit_get_open_action_lines(self):
        """Lines of actions still to run (or in error) on these invoices."""
        return self.env["credit.relance.action.line"].search(
            [("move_id", "in", self.ids), ("skipped", "=", False),
             ("action_id.state", "in", ("planned", "to_validate", "to_do", "error"))],
        )

    def _credit_after_payment(self):
        """Stop dunning the invoices of ``self`` that are now paid, in batch.

        Their lines in pending actions are set aside (``skipped``); an action left without any
        invoice to dun is cancelled; open promises whose invoices are all paid are kept.
        """
        paid = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted"
                             and m.payment_state in ("in_payment", "paid"))
        if not paid:
            return
        lines = paid._credit_get_open_action_lines()
        if lines:
            lines.write({"skipped": True})
            actions = lines.action_id
            emptied = actions.filtered(lambda a: not a.line_ids.filtered(lambda line: not line.skipped))
            if emptied:
                emptied.write({"reject_reason": self.env._("The invoices were paid.")})
                emptied.action_cancel()
        paid._credit_refresh_next_step()
        promises = self.env["credit.relance.promise"].search(
            [("move_ids", "in", paid.ids), ("state", "=", "open")])
        promises.filtered(lambda p: all(
            m.payment_state in ("in_payment", "paid", "reversed") for m in p.move_ids)).write({"state": "kept"})
    # Payment behaviour
    credit_expected_payment_date = fields.Date(
        string="Expected payment date", compute="_compute_credit_expected_payment_date",
        help="Due date plus the customer's average days late (amount-weighted, over its history of paid "
        "invoices), rounded to whole days. Without history the due date. When that date is already past "
        "and the invoice is still open, today.",
    )

    @api.depends("invoice_date_due", "payment_state", "state", "commercial_partner_id.credit_avg_days_late")
    def _compute_credit_expected_payment_date(self):
        today = fields.Date.context_today(self)
        for move in self:
            partner = move.commercial_partner_id
            if (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
            ):
                average = partner.credit_avg_days_late if partner.credit_paid_invoice_count else None
                move.credit_expected_payment_date = expected_payment_date(move.invoice_date_due, average, today)
            else:
                move.credit_expected_payment_date = False

    def _credit_is_valid_portal_amount(self, amount):
        """Whether ``amount`` (text from a portal form) is a positive amount within the residual."""
        self.ensure_one()
        try:
            value = float(amount)
        except (TypeError, ValueError):
            return False
        rounding = self.currency_id.rounding
        return value > 0 and float_compare(value, self.amount_residual, precision_rounding=rounding) <= 0
