from odoo import api, fields, models


class CreditRelanceScenario(models.Model):
    """An ordered list of dunning steps, each placed in days from an invoice's due date."""

    _name = "credit.relance.scenario"
    _description = "Dunning scenario"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the scenario between companies.")
    step_ids = fields.One2many("credit.relance.step", "scenario_id", string="Steps", copy=True)
    step_count = fields.Integer(compute="_compute_step_count")
    min_interval_days = fields.Integer(
        string="Minimum interval (days)",
        default=3,
        help="Minimum number of days between two reminders sent to the same customer by this scenario.",
    )

    @api.depends("step_ids")
    def _compute_step_count(self):
        for scenario in self:
            scenario.step_count = len(scenario.step_ids)
