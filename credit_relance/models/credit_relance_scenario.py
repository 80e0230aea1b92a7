from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditRelanceScenario(models.Model):
    """An ordered list of dunning steps, each placed in days from an invoice's due date.

    Steps are ordered by offset; when the supervisor also orders them by hand (sequence), the
    offsets must never decrease along that order. A scenario used by a customer group must keep
    at least one step: a group would otherwise silently stop dunning its customers.
    """

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
    group_ids = fields.One2many("credit.relance.group", "scenario_id", string="Customer groups")
    min_interval_days = fields.Integer(
        string="Minimum interval (days)",
        default=lambda self: self._default_min_interval_days(),
        help="Minimum number of days between two reminders sent to the same customer by this scenario.",
    )

    def _default_min_interval_days(self):
        return self.env.company.credit_min_interval_days

    @api.depends("step_ids")
    def _compute_step_count(self):
        for scenario in self:
            scenario.step_count = len(scenario.step_ids)

    @api.constrains("step_ids")
    def _check_step_offsets(self):
        for scenario in self:
            steps = scenario.step_ids.sorted(lambda s: (s.sequence, s.offset_days, s.id))
            for previous, step in pairwise(steps):
                if step.offset_days < previous.offset_days:
                    raise ValidationError(self.env._(
                        'Scenario "%(scenario)s": step "%(step)s" (%(offset)s days) comes after step '
                        '"%(previous)s" (%(previous_offset)s days); offsets must never decrease.',
                        scenario=scenario.name, step=step.name, offset=step.offset_days,
                        previous=previous.name, previous_offset=previous.offset_days,
                    ))

    @api.constrains("step_ids")
    def _check_steps_when_used(self):
        for group in self.env["credit.relance.group"].search([("scenario_id", "in", self.ids)]):
            if not group.scenario_id.step_ids:
                raise ValidationError(self.env._(
                    'The scenario "%(scenario)s" has no step but is used by the customer group "%(group)s": '
                    "add at least one step.",
                    scenario=group.scenario_id.name, group=group.name,
                ))

    @api.constrains("min_interval_days")
    def _check_min_interval_days(self):
        for scenario in self:
            if scenario.min_interval_days < 0:
                raise ValidationError(self.env._(
                    'Scenario "%(scenario)s": the minimum interval between reminders cannot be negative.',
                    scenario=scenario.name,
                ))

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals:
            self._credit_refresh_invoice_projection()
        return result

    def _credit_refresh_invoice_projection(self):
        """Project again the next step of the open invoices dunned by these scenarios (their own
        scenario, or their customer's when they have none)."""
        if not self:
            return
        domain = ["|", ("credit_scenario_id", "in", self.ids),
                  "&", ("credit_scenario_id", "=", False), ("commercial_partner_id.credit_scenario_id", "in", self.ids)]
        # sudo: the projection is derived data of the invoices, refreshed whoever edits the scenario
        self.env["credit.relance.engine"].sudo()._project_next_steps(domain)
