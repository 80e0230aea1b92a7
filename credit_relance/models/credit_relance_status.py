from odoo import api, fields, models


class CreditRelanceStatus(models.Model):
    """Status and sub-status codes that qualify an invoice in follow-up.

    A status without parent is a status; one with a parent is a sub-status of it.
    Statuses can pause dunning (always, or until a date set on the invoice) and fall in a
    follow-up category used by the agenda.
    """

    _name = "credit.relance.status"
    _description = "Dunning status code"
    _order = "sequence, id"
    _parent_store = True

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A status code must be unique per company."),
    ]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the status between companies.")
    parent_id = fields.Many2one(
        "credit.relance.status", string="Status", index=True, ondelete="cascade",
        help="Set to make this a sub-status of another status.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("credit.relance.status", "parent_id", string="Sub-statuses")
    pause_dunning = fields.Boolean(help="Invoices with this status are not dunned.")
    pause_until_date = fields.Boolean(
        help="Dunning pauses only until the date set on the invoice (e.g. a promise to pay)."
    )
    category = fields.Selection(
        [
            ("in_progress", "In progress"),
            ("promise", "Promise to pay"),
            ("dispute", "Dispute"),
            ("litigation", "Litigation"),
            ("other", "Other"),
        ],
        string="Follow-up category",
        required=True,
        default="in_progress",
    )

    @api.depends("code", "name", "parent_id")
    def _compute_display_name(self):
        for status in self:
            if status.parent_id:
                status.display_name = f"{status.parent_id.name} / {status.name}"
            else:
                status.display_name = status.name
