from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    is_credit_template = fields.Boolean(
        string="Dunning template", help="Listed in Credit > Dunning > Templates and offered on scenario steps."
    )

