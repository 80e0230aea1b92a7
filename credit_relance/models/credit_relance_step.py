from odoo import api, fields, models

CHANNELS = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("letter", "Letter"),
    ("formal_notice", "Formal notice letter"),
]
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
        "mail.template", string="E-mail / letter template", domain="[('model', '=', 'res.partner')]"
    )
    sms_template_id = fields.Many2one("sms.template", string="SMS template", domain="[('model', '=', 'res.partner')]")
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
