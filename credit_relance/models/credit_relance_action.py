from odoo import api, fields, models

from .credit_relance_step import CHANNELS, TRIGGER_MODES

ACTION_STATES = [
    ("planned", "Planned"),
    ("to_validate", "To validate"),
    ("to_do", "To do"),
    ("done", "Done"),
    ("error", "Error"),
    ("cancelled", "Cancelled"),
    ("skipped", "Skipped"),
]
FOLLOWUP_CATEGORIES = [
    ("in_progress", "In progress"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
    ("other", "Other"),
]
# the category that describes an action whose invoices are in several: the most serious
FOLLOWUP_PRIORITY = ["litigation", "dispute", "promise", "other", "in_progress"]


class CreditRelanceAction(models.Model):
    """One dunning act on one customer, for all its invoices at one scenario step on one date.

    The action lines (``credit.relance.action.line``) snapshot each invoice at that step; the
    unique key (invoice, step) on them is what guarantees a step is never run twice for an
    invoice, whatever crashes or concurrent runs happen.
    """

    _name = "credit.relance.action"
    _description = "Dunning action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    scenario_id = fields.Many2one("credit.relance.scenario", index=True, check_company=True)
    step_id = fields.Many2one("credit.relance.step", string="Scenario step", index=True, check_company=True)
    step_label = fields.Char(string="Step", related="step_id.position_label")
    planned_date = fields.Date(required=True, index=True, tracking=True)
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    trigger_mode = fields.Selection(TRIGGER_MODES, required=True, default="manual")
    state = fields.Selection(ACTION_STATES, required=True, default="planned", index=True, tracking=True)
    user_id = fields.Many2one("res.users", string="Responsible", index=True, tracking=True)
    line_ids = fields.One2many("credit.relance.action.line", "action_id", string="Invoices at this step")
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids", store=True,
        relation="credit_relance_action_account_move_rel",
    )
    amount_total = fields.Monetary(string="Amount due", currency_field="currency_id",
                                   compute="_compute_move_ids", store=True)
    followup_category = fields.Selection(
        FOLLOWUP_CATEGORIES, compute="_compute_followup_category", store=True, index=True,
        help="Follow-up category of the invoices' statuses; the most serious one when they differ.",
    )
    outcome = fields.Text()
    error_message = fields.Text(readonly=True)
    attempt_count = fields.Integer(readonly=True)
    done_date = fields.Datetime(readonly=True)
    mail_message_ids = fields.Many2many("mail.message", string="Messages sent", readonly=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Documents", readonly=True)

    @api.depends("partner_id", "step_id", "channel")
    def _compute_name(self):
        channels = dict(CHANNELS)
        for action in self:
            label = action.step_id.name or channels.get(action.channel, "")
            action.name = f"{action.partner_id.display_name or ''} - {label}"

    @api.depends("line_ids.move_id.credit_status_id.category")
    def _compute_followup_category(self):
        for action in self:
            categories = set(action.line_ids.move_id.credit_status_id.mapped("category"))
            action.followup_category = next((c for c in FOLLOWUP_PRIORITY if c in categories), "in_progress")

    @api.depends("line_ids.move_id", "line_ids.amount_residual")
    def _compute_move_ids(self):
        for action in self:
            action.move_ids = action.line_ids.move_id
            action.amount_total = sum(action.line_ids.mapped("amount_residual"))
