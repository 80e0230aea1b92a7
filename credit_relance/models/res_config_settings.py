from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_behaviour_months = fields.Integer(related="company_id.credit_behaviour_months", readonly=False)
    credit_risk_moderate_days = fields.Float(related="company_id.credit_risk_moderate_days", readonly=False)
    credit_risk_high_days = fields.Float(related="company_id.credit_risk_high_days", readonly=False)
    credit_risk_moderate_share = fields.Float(related="company_id.credit_risk_moderate_share", readonly=False)
    credit_risk_high_share = fields.Float(related="company_id.credit_risk_high_share", readonly=False)
