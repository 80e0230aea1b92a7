from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_community_role = fields.Selection(
        [("none", "Off"), ("member", "Member"), ("hub", "Hub"), ("both", "Hub and member")],
        string="Community role", default="none", required=True,
        help="Member: contributes its customers' payment behaviour to a hub and reads community scores. "
        "Hub: receives contributions and publishes scores (database-wide).",
    )
    credit_community_optin = fields.Boolean(
        string="Share payment behaviour",
        help="Opt-in: send the anonymised payment behaviour of this company's business customers to the hub.",
    )
    credit_community_hub_url = fields.Char(string="Hub URL", help="e.g. https://hub.example.com")
    credit_community_api_key = fields.Char(string="Hub API key", groups="base.group_system", copy=False)
    credit_community_score_drop = fields.Integer(
        string="Score drop alert", default=15,
        help="Alert the collector when a customer's community score drops by at least this many points.",
    )
