from odoo import fields, models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    is_credit_template = fields.Boolean(
        string="Dunning template", help="Listed in Credit > Dunning > Templates and offered on scenario steps."
    )
