from odoo import api, fields, models
from odoo.exceptions import ValidationError

# step fields the projected next step of an invoice depends on
PROJECTION_STEP_FIELDS = {"scenario_id", "offset_days", "sequence", "responsible_type", "responsible_user_id"}

CHANNELS = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("letter", "Letter"),
    ("formal_notice", "Formal notice letter"),
]
# Channels whose message is a mail.template (e-mail body, or the body of a PDF letter).
MAIL_CHANNELS = ("email", "letter", "formal_notice")
# Offsets outside this range are typing mistakes, not dunning (two months before, two years after).
MIN_OFFSET_DAYS = -60
MAX_OFFSET_DAYS = 730
TRIGGER_MODES = [
    ("auto", "Automatic"),
    ("validate", "To validate"),
    ("manual", "Manual"),
]


class CreditRelanceStep(models.Model):
    """One step of a scenario: what to do, on which channel, how many days from the due date."""

    _name = "credit.relance.step"
    _description = "Dunning scenario step"
    _order = "scenario_id, offset_days, sequence, id"

    scenario_id = fields.Many2one("credit.relance.scenario", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="scenario_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Label", required=True, translate=True)
    offset_days = fields.Integer(
        string="Offset (days)",
        required=True,
        help="Days from the due date: negative for a preventive reminder before it, positive after it.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    trigger_mode = fields.Selection(TRIGGER_MODES, required=True, default="auto")
    mail_template_id = fields.Many2one(
        "mail.template", string="E-mail / letter template",
        domain="[('model', '=', 'res.partner'), ('is_credit_template', '=', True)]"
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS template",
        domain="[('model', '=', 'res.partner'), ('is_credit_template', '=', True)]",
    )
    min_residual = fields.Float(
        string="Minimum amount",
        help="The step acts only when the customer's residual at this step reaches this amount (company currency).",
    )
    attach_invoice_pdf = fields.Boolean(string="Attach invoice PDFs")
    include_payment_link = fields.Boolean(string="Include payment links", default=True)
    apply_late_fees = fields.Boolean(string="Show late-payment interest and indemnity")
    responsible_type = fields.Selection(
        [("collector", "Group's collector"), ("salesperson", "Salesperson"), ("user", "Fixed user")],
        default="collector",
        required=True,
    )
    responsible_user_id = fields.Many2one("res.users", string="Responsible user")
    position = fields.Integer(compute="_compute_position", help="Rank of the step in its scenario, from 1.")
    position_label = fields.Char(string="Step", compute="_compute_position", help='Shown as "3 / 5".')

    @api.depends("scenario_id.step_ids.offset_days", "scenario_id.step_ids.sequence")
    def _compute_position(self):
        for step in self:
            steps = step.scenario_id.step_ids.sorted(lambda s: (s.offset_days, s.sequence, s._origin.id or 0))
            ids = [s._origin.id or s.id for s in steps]
            own = step._origin.id or step.id
            step.position = ids.index(own) + 1 if own in ids else 0
            step.position_label = f"{step.position} / {len(steps)}" if step.position else ""

    @api.constrains("offset_days")
    def _check_offset_days(self):
        for step in self:
            if not MIN_OFFSET_DAYS <= step.offset_days <= MAX_OFFSET_DAYS:
                raise ValidationError(self.env._(
                    'Step "%(step)s": the offset must lie between %(min)s days before the due date and '
                    "%(max)s days after it (it is %(offset)s).",
                    step=step.name, min=-MIN_OFFSET_DAYS, max=MAX_OFFSET_DAYS, offset=step.offset_days,
                ))

    @api.constrains("channel", "mail_template_id", "sms_template_id")
    def _check_channel_template(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for step in self:
            if step.channel in MAIL_CHANNELS and not step.mail_template_id:
                raise ValidationError(self.env._(
                    'Step "%(step)s": the channel "%(channel)s" needs an e-mail / letter template.',
                    step=step.name, channel=channels[step.channel],
                ))
            if step.channel == "sms" and not step.sms_template_id:
                raise ValidationError(self.env._(
                    'Step "%(step)s": the channel "%(channel)s" needs an SMS template.',
                    step=step.name, channel=channels[step.channel],
                ))

    @api.constrains("responsible_type", "responsible_user_id")
    def _check_responsible_user(self):
        for step in self:
            if step.responsible_type == "user" and not step.responsible_user_id:
                raise ValidationError(self.env._(
                    'Step "%(step)s": choose the user responsible for it.', step=step.name
                ))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_step_of_used_scenario(self):
        scenarios = self.scenario_id
        used = self.env["credit.relance.group"].search([("scenario_id", "in", scenarios.ids)]).scenario_id
        for scenario in used:
            if not scenario.step_ids - self:
                raise ValidationError(self.env._(
                    'The scenario "%(scenario)s" is used by a customer group: it must keep at least one step.',
                    scenario=scenario.name,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps.scenario_id._credit_refresh_invoice_projection()
        return steps

    def write(self, vals):
        scenarios = self.scenario_id
        result = super().write(vals)
        if PROJECTION_STEP_FIELDS.intersection(vals):
            (scenarios | self.scenario_id)._credit_refresh_invoice_projection()
        return result

    def unlink(self):
        scenarios = self.scenario_id
        result = super().unlink()
        scenarios._credit_refresh_invoice_projection()
        return result
