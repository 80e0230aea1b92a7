from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import aggregate


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_community_role = fields.Selection(related="company_id.credit_community_role", readonly=False)
    credit_community_optin = fields.Boolean(related="company_id.credit_community_optin", readonly=False)
    credit_community_hub_url = fields.Char(related="company_id.credit_community_hub_url", readonly=False)
    credit_community_score_drop = fields.Integer(related="company_id.credit_community_score_drop", readonly=False)
    credit_community_enrolled = fields.Boolean(compute="_compute_credit_community_enrolled")
    credit_community_enrolment_code = fields.Char(string="Enrolment code")
    credit_community_min_members = fields.Integer(
        string="Minimum contributors (K)", config_parameter="credit_community.min_members",
        default=aggregate.MIN_MEMBERS,
    )
    credit_community_max_member_share = fields.Float(
        string="Maximum weight of one member", config_parameter="credit_community.max_member_share",
        default=aggregate.MAX_MEMBER_SHARE,
    )
    credit_community_retention_months = fields.Integer(
        string="Keep contributions (months)", config_parameter="credit_community.retention_months", default=24,
    )
    credit_community_rate_limit = fields.Integer(
        string="Requests per minute and key", config_parameter="credit_community.rate_limit", default=60,
    )

    @api.depends("company_id")
    def _compute_credit_community_enrolled(self):
        for settings in self:
            # sudo: the key itself is restricted to administrators; only its presence is shown
            settings.credit_community_enrolled = bool(settings.company_id.sudo().credit_community_api_key)

    @api.constrains("credit_community_min_members", "credit_community_max_member_share")
    def _check_credit_community_thresholds(self):
        for settings in self:
            if settings.credit_community_min_members < aggregate.MIN_MEMBERS:
                raise ValidationError(self.env._(
                    "The minimum number of contributors can never be below %(k)s.", k=aggregate.MIN_MEMBERS))
            if not 0.34 <= settings.credit_community_max_member_share <= 1:
                raise ValidationError(self.env._(
                    "The maximum weight of one member must be between 0.34 and 1."))

    def action_credit_community_enrol(self):
        """Exchange the enrolment code for an API key at the hub."""
        self.ensure_one()
        self.env["credit.community.service"]._member_enrol(
            self.company_id, self.credit_community_hub_url, self.credit_community_enrolment_code)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Enrolled at the hub."),
                "next": {"type": "ir.actions.client", "tag": "reload"},
            },
        }
