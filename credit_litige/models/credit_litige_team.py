from odoo import fields, models


class CreditLitigeTeam(models.Model):
    """A group of users who work disputes together (credit desk, sales administration...)."""

    _name = "credit.litige.team"
    _description = "Dispute team"
    _order = "sequence, name"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    leader_id = fields.Many2one("res.users", string="Team leader", help="Assigned new disputes of the team by default.")
    member_ids = fields.Many2many("res.users", string="Members")
