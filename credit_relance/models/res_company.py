from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_min_interval_days = fields.Integer(
        string="Minimum days between reminders",
        default=3,
        help="Default minimum number of days between two reminders to the same customer, for new scenarios.",
    )
