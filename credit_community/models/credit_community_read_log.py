from odoo import fields, models


class CreditCommunityReadLog(models.Model):
    """Audit of every score read made by a member on the hub."""

    _name = "credit.community.read.log"
    _description = "Community read audit"
    _order = "id desc"
    _rec_name = "member_id"

    member_id = fields.Many2one("credit.community.member", required=True, ondelete="cascade", index=True,
                                context={"active_test": False})
    key_count = fields.Integer(string="Identifiers asked")
    published_count = fields.Integer(string="Scores returned")
    keys = fields.Text(string="Identifiers")
    create_date = fields.Datetime(string="Read at", readonly=True)
