from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.behaviour import expected_payment_date


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
