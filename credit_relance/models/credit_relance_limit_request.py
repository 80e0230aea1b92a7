from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CreditRelanceLimitRequest(models.Model):
    """A sales rep asks for a new credit limit or payment terms for a customer; a supervisor decides.

    Approval writes the new limit / terms on the customer in the request's company; the
    requests stay on the customer as its credit-limit history.
    """

    _name = "credit.relance.limit.request"
    _description = "Credit limit request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    _DECISION_FIELDS = frozenset({"state", "decided_by_id", "decision_date"})

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    current_limit = fields.Float(string="Current limit", compute="_compute_current", compute_sudo=True)
    current_payment_term_id = fields.Many2one(
        "account.payment.term", string="Current payment terms", compute="_compute_current", compute_sudo=True
    )
    requested_limit = fields.Float(tracking=True)
    requested_payment_term_id = fields.Many2one(
        "account.payment.term", string="Requested payment terms", tracking=True, check_company=True
    )
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("refused", "Refused")],
        default="draft", required=True, tracking=True, index=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested by", default=lambda self: self.env.user, readonly=True, tracking=True
    )
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True, tracking=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(help="Why the request was approved or refused.")

    @api.depends("partner_id", "create_date")
    def _compute_name(self):
        for request in self:
            request.name = self.env._("Credit request: %(customer)s", customer=request.partner_id.display_name or "")

    @api.depends("partner_id", "company_id")
    def _compute_current(self):
        for request in self:
            partner = request.partner_id.with_company(request.company_id)
            request.current_limit = partner.credit_limit
            request.current_payment_term_id = partner.property_payment_term_id

    @api.constrains("requested_limit", "requested_payment_term_id")
    def _check_something_requested(self):
        for request in self:
            if request.requested_limit < 0:
                raise ValidationError(self.env._("A credit limit cannot be negative."))
            if not request.requested_limit and not request.requested_payment_term_id:
                raise ValidationError(self.env._("Request a credit limit, payment terms, or both."))

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" or {"decided_by_id", "decision_date"} & set(vals)
               for vals in vals_list):
            self._check_supervisor()
        return super().create(vals_list)

    def write(self, vals):
        # only the decision methods (supervisors) set a decision: a sales rep may edit and
        # submit a request, never approve it by writing the state or the decider directly
        if self._DECISION_FIELDS & set(vals) and (
            vals.get("state") not in ("draft", "submitted") or set(vals) - {"state"}
        ):
            self._check_supervisor()
        elif any(request.state == "approved" for request in self):
            self._check_supervisor()  # an approved request is the customer's credit history
        return super().write(vals)

    def _check_supervisor(self):
        if not self.env.user.has_group("credit_relance.credit_relance_group_supervisor"):
            raise AccessError(self.env._("Only credit supervisors can approve or refuse credit limit requests."))

    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only draft requests can be submitted."))
        self.state = "submitted"
        supervisors = self.env.ref("credit_relance.credit_relance_group_supervisor").users.filtered(
            lambda u: not u.share
        )
        for request in self:
            supervisor = request.partner_id.credit_collector_id or supervisors[:1]
            if supervisor:
                request.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=supervisor.id,
                    summary=self.env._("Decide on a credit limit request"),
                )

    def action_approve(self):
        self._check_supervisor()
        for request in self:
            if request.state != "submitted":
                raise UserError(self.env._("Only submitted requests can be approved."))
            vals = {}
            if request.requested_limit:
                vals["credit_limit"] = request.requested_limit
            if request.requested_payment_term_id:
                vals["property_payment_term_id"] = request.requested_payment_term_id.id
            # The supervisor decides on credit, not on contacts: they may lack the accounting /
            # contact rights that writing these company-dependent partner fields requires.
            request.partner_id.sudo().with_company(request.company_id).write(vals)
        self._set_decision("approved")

    def action_refuse(self):
        self._check_supervisor()
        for request in self:
            if request.state != "submitted":
                raise UserError(self.env._("Only submitted requests can be refused."))
        self._set_decision("refused")

    def action_reset_draft(self):
        for request in self:
            if request.state != "refused":
                raise UserError(self.env._("Only refused requests can be reset to draft."))
        self.state = "draft"

    def _set_decision(self, state):
        self.write({"state": state, "decided_by_id": self.env.user.id, "decision_date": fields.Datetime.now()})
        self.activity_unlink(["mail.mail_activity_data_todo"])
