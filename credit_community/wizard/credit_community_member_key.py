from odoo import fields, models


class CreditCommunityMemberKey(models.TransientModel):
    """Shows a member's new API key once; only its hash stays on the hub."""

    _name = "credit.community.member.key"
    _description = "Community member API key (shown once)"

    member_id = fields.Many2one("credit.community.member", required=True, readonly=True, ondelete="cascade")
    api_key = fields.Char(string="API key", readonly=True)

    def action_done(self):
        # forget the clear key as soon as it has been copied
        self.write({"api_key": False})
        return {"type": "ir.actions.act_window_close"}
