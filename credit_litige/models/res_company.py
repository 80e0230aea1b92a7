from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_dun_undisputed_part = fields.Boolean(
        string="Dun the undisputed part",
        help="When a dispute covers only part of an invoice, keep dunning the rest of it: the "
        "invoice keeps its status and the dunning engine deducts the disputed amount.",
    )
