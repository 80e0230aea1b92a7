from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_group_id = fields.Many2one(
        "credit.relance.group", string="Dunning group", copy=False, index="btree_not_null", readonly=True,
        help="Set by the daily group recomputation: the first group, by priority, whose criteria match.",
    )
    credit_scenario_pinned_id = fields.Many2one(
        "credit.relance.scenario", string="Pinned scenario", copy=False,
        help="Set by hand, this scenario wins over the group's.",
    )
    credit_scenario_id = fields.Many2one(
        "credit.relance.scenario", string="Dunning scenario", compute="_compute_credit_scenario_id", store=True,
    )
    credit_collector_id = fields.Many2one(
        "res.users", string="Collector", compute="_compute_credit_scenario_id", store=True,
    )
    credit_do_not_dun = fields.Boolean(string="Do not dun", copy=False)
    credit_do_not_dun_reason = fields.Char(string="Reason not to dun", copy=False)
    credit_do_not_dun_until = fields.Date(string="Do not dun until", copy=False)

    @api.depends("credit_group_id.scenario_id", "credit_group_id.collector_id", "credit_scenario_pinned_id")
    def _compute_credit_scenario_id(self):
        for partner in self:
            partner.credit_scenario_id = partner.credit_scenario_pinned_id or partner.credit_group_id.scenario_id
            partner.credit_collector_id = partner.credit_group_id.collector_id
