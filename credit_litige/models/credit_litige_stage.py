from odoo import fields, models


class CreditLitigeStage(models.Model):
    """A step in the life of a dispute, as shown in the kanban's columns."""

    _name = "credit.litige.stage"
    _description = "Dispute stage"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in kanban")
    is_closed = fields.Boolean(
        string="Closing stage",
        help="Disputes in this stage are over: their invoices leave the dispute status and dunning "
        "resumes or ends according to the resolution.",
    )
    active = fields.Boolean(default=True)
