from odoo import fields, models


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
