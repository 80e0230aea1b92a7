from odoo import fields, models


class CreditLitigeReason(models.Model):
    """Why a customer contests an invoice; gives the dispute's default deadline."""

    _name = "credit.litige.reason"
    _description = "Dispute reason"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A reason code must be unique per company."),
        ("sla_days_positive", "CHECK(sla_days >= 0)", "The resolution delay cannot be negative."),
    ]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sla_days = fields.Integer(
        string="Resolution delay (days)", default=15,
        help="Default deadline of a dispute with this reason, counted from its opening.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the reason between companies.")
    credit_substatus_id = fields.Many2one(
        "credit.relance.status", string="Invoice sub-status",
        domain="[('parent_id.category', '=', 'dispute')]",
        help="Sub-status given to the invoices of disputes with this reason (a sub-status of the dispute status).",
    )
