from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_dun_undisputed_part = fields.Boolean(related="company_id.credit_dun_undisputed_part", readonly=False)
