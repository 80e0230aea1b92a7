from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools.dispute import age_days, default_deadline

RESOLUTIONS = [
    ("credit_note", "Credit note"),
    ("rebilling", "Corrected invoice"),
    ("payment", "Payment expected"),
    ("write_off", "Write-off"),
    ("rejected", "Rejected"),
]
SOURCES = [
    ("collector", "Collector"),
    ("salesrep", "Sales rep"),
    ("portal", "Customer portal"),
    ("call", "Phone call outcome"),
]
PRIORITIES = [("0", "Normal"), ("1", "Important"), ("2", "Urgent"), ("3", "Critical")]


class CreditLitige(models.Model):
    """A customer's dispute on all or part of one or more invoices.

    While a dispute is open its invoices carry the dispute status (a ``credit.relance.status``
    of category ``dispute`` that pauses dunning), unless the company dunning the undisputed
    part of partly disputed invoices; closing it puts the previous status back (dunning
    resumes) or, for a write-off, excludes the invoice from dunning (dunning ends).
    """

    _name = "credit.litige"
    _description = "Dispute"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_deadline, id desc"
    _check_company_auto = True
    # customers (portal) and sales reps comment the disputes they can read
    _mail_post_access = "read"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("credit.litige.line", "litige_id", string="Disputed invoices", copy=False)
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids", store=True,
        relation="credit_litige_account_move_rel",
    )
    amount_disputed = fields.Monetary(
        string="Disputed amount", compute="_compute_amount_disputed", store=True, tracking=True
    )
    reason_id = fields.Many2one(
        "credit.litige.reason", required=True, tracking=True, check_company=True,
    )
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Assigned to", index=True, tracking=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one("credit.litige.team", tracking=True, check_company=True)
    date_open = fields.Date(string="Opened on", required=True, default=fields.Date.context_today, copy=False)
    date_deadline = fields.Date(
        string="Deadline", compute="_compute_date_deadline", store=True, readonly=False, tracking=True,
        index=True,
    )
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    priority = fields.Selection(PRIORITIES, default="0", index=True)
    stage_id = fields.Many2one(
        "credit.litige.stage", index=True, tracking=True, copy=False, ondelete="restrict",
        default=lambda self: self._default_stage_id(), group_expand="_read_group_stage_ids",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    color = fields.Integer()
    resolution = fields.Selection(RESOLUTIONS, tracking=True, copy=False)
    resolution_amount = fields.Monetary(tracking=True, copy=False)
    resolution_date = fields.Date(copy=False)
    resolution_note = fields.Text(copy=False)
    source = fields.Selection(SOURCES, required=True, default=lambda self: self._default_source())
    credit_note_ids = fields.Many2many("account.move", string="Credit notes", compute="_compute_credit_note_ids")
    credit_note_count = fields.Integer(compute="_compute_credit_note_ids")
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue",
        help="Past its deadline and still open.",
    )
    age_days = fields.Integer(string="Age (days)", compute="_compute_age_days")

    def _default_stage_id(self):
        return self.env["credit.litige.stage"].search([("is_closed", "=", False)], limit=1)

    def _default_source(self):
        if self.env.user.has_group("credit_relance.credit_relance_group_collector"):
            return "collector"
        return "salesrep"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for litige in self:
            litige.move_ids = litige.line_ids.move_id

    @api.depends("line_ids.amount")
    def _compute_amount_disputed(self):
        for litige in self:
            litige.amount_disputed = sum(litige.line_ids.mapped("amount"))

    @api.depends("reason_id", "date_open")
    def _compute_date_deadline(self):
        for litige in self:
            if litige.reason_id and litige.date_open:
                litige.date_deadline = default_deadline(litige.date_open, litige.reason_id.sla_days)

    @api.depends("line_ids.credit_note_id")
    def _compute_credit_note_ids(self):
        for litige in self:
            litige.credit_note_ids = litige.line_ids.credit_note_id
            litige.credit_note_count = len(litige.credit_note_ids)

    @api.depends("date_deadline", "is_closed")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for litige in self:
            litige.is_overdue = bool(litige.date_deadline and litige.date_deadline < today and not litige.is_closed)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue disputes."))
        today = fields.Date.context_today(self)
        domain = [("date_deadline", "<", today), ("is_closed", "=", False)]
        if (operator == "=") != value:
            return ["!", "&", *domain]
        return domain

    @api.depends("date_open", "date_closed")
    def _compute_age_days(self):
        today = fields.Date.context_today(self)
        for litige in self:
            litige.age_days = age_days(litige.date_open, today, litige.date_closed) if litige.date_open else 0

    def _compute_access_url(self):
        for litige in self:
            litige.access_url = f"/my/disputes/{litige.id}"

    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        for litige in self:
            if litige.stage_id.is_closed and not litige.resolution:
                raise ValidationError(self.env._(
                    "Set the resolution of dispute %(name)s before closing it.", name=litige.name,
                ))

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for litige in self:
            if litige.partner_id != litige.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "A dispute is opened on the customer's company (%(partner)s), not on a contact.",
                    partner=litige.partner_id.commercial_partner_id.display_name,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list if vals.get("partner_id")])
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.litige") or "/"
        litiges = super().create(vals_list)
        litiges.filtered(lambda rec: rec.stage_id.is_closed).date_closed = fields.Date.context_today(self)
        litiges._schedule_assignee_activity()
        return litiges

    def write(self, vals):
        was_closed = {litige.id: litige.is_closed for litige in self} if "stage_id" in vals else {}
        old_users = {litige.id: litige.user_id for litige in self} if "user_id" in vals else {}
        res = super().write(vals)
        if "stage_id" in vals:
            closing = self.filtered(lambda rec: rec.is_closed and not was_closed[rec.id])
            reopening = self.filtered(lambda rec: not rec.is_closed and was_closed[rec.id])
            if closing:
                closing._on_close()
            if reopening:
                reopening._on_reopen()
        if "user_id" in vals:
            for litige in self.filtered(lambda rec: not rec.is_closed and rec.user_id != old_users[rec.id]):
                if old_users[litige.id]:
                    litige.activity_reschedule(
                        ["mail.mail_activity_data_todo"], user_id=old_users[litige.id].id,
                        new_user_id=litige.user_id.id,
                    )
                if litige.user_id and litige.user_id not in litige.activity_ids.user_id:
                    litige._schedule_assignee_activity()
        if "date_deadline" in vals:
            for litige in self.filtered(lambda rec: not rec.is_closed and rec.date_deadline):
                litige.activity_reschedule(["mail.mail_activity_data_todo"], date_deadline=litige.date_deadline)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_release_invoices(self):
        # the lines go with a SQL cascade: give the invoices their status back first
        self.line_ids.filtered(lambda line: not line.is_closed)._release_dispute_status()

    # ------------------------------------------------------------
    # Status of the invoices
    # ------------------------------------------------------------

    @api.model
    def _get_credit_status(self, category, company):
        """The follow-up status of ``category`` ('dispute', 'litigation') for ``company``.

        Statuses are looked up by category, the company's own first, then shared ones.

        :raises UserError: when no status of that category exists
        """
        statuses = self.env["credit.relance.status"].sudo().search([
            ("category", "=", category), ("parent_id", "=", False), ("company_id", "in", [company.id, False]),
        ])
        status = statuses.sorted(lambda rec: (not rec.company_id, rec.sequence, rec.id))[:1]
        if not status:
            categories = dict(self.env["credit.relance.status"]._fields["category"]._description_selection(self.env))
            raise UserError(self.env._(
                "Create a follow-up status of category %(category)s first (Credit > Configuration > Statuses).",
                category=categories.get(category, category),
            ))
        return status.sudo(False)

    @api.model
    def _ensure_credit_statuses(self):
        """Create the dispute and litigation statuses when no status of their category exists.

        Called at install: ``credit_relance`` may already ship such statuses, then nothing is
        created. Both statuses pause dunning.
        """
        Status = self.env["credit.relance.status"].with_context(active_test=False)
        defaults = [
            ("dispute", "DISPUTE", self.env._("Dispute")),
            ("litigation", "LITIGATION", self.env._("Litigation")),
        ]
        for category, code, name in defaults:
            if Status.search_count([("category", "=", category)], limit=1):
                continue
            if Status.search_count([("code", "=", code), ("company_id", "=", False)], limit=1):
                code = f"CL_{code}"
            Status.create({
                "code": code, "name": name, "category": category, "pause_dunning": True, "sequence": 50,
            })

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def _get_stage(self, key):
        """The stage shipped as ``credit_litige_stage_<key>``, or the first stage open or closed."""
        stage = self.env.ref(f"credit_litige.credit_litige_stage_{key}", raise_if_not_found=False)
        if stage and stage.active:
            return stage
        closed = key in ("resolved", "rejected", "closed")
        return self.env["credit.litige.stage"].search([("is_closed", "=", closed)], limit=1)

    def _move_to_stage(self, key):
        stage = self._get_stage(key)
        if not stage:
            raise UserError(self.env._("No dispute stage is configured for this step."))
        self.stage_id = stage

    def action_start(self):
        self._move_to_stage("in_progress")

    def action_wait_customer(self):
        self._move_to_stage("waiting")

    def action_resolve(self):
        missing = self.filtered(lambda rec: not rec.resolution)
        if missing:
            raise UserError(self.env._(
                "Choose a resolution for %(names)s before resolving.", names=", ".join(missing.mapped("name")),
            ))
        for litige in self:
            if not litige.resolution_date:
                litige.resolution_date = fields.Date.context_today(self)
        self.filtered(lambda rec: rec.resolution == "rejected")._move_to_stage("rejected")
        self.filtered(lambda rec: rec.resolution != "rejected")._move_to_stage("resolved")

    def action_reject(self):
        self.write({"resolution": "rejected", "resolution_date": fields.Date.context_today(self)})
        self._move_to_stage("rejected")

    def action_close(self):
        for litige in self.filtered(lambda rec: rec.resolution and not rec.resolution_date):
            litige.resolution_date = fields.Date.context_today(self)
        self._move_to_stage("closed")

    def action_reopen(self):
        self._move_to_stage("in_progress")

    def action_create_credit_note(self):
        """Issue a credit note for the disputed amount of each invoice and reconcile it.

        A reversal (``_reverse_moves``) of each disputed invoice is scaled down to the disputed
        amount, posted and reconciled with the invoice; the dispute is then resolved with the
        ``credit_note`` resolution for the total credited.
        """
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: not line.credit_note_id and line.move_id.state == "posted"
            and line.move_id.move_type == "out_invoice" and not line.move_id.currency_id.is_zero(line.amount)
        )
        if not lines:
            raise UserError(self.env._("There is no posted invoice left to credit in dispute %(name)s.",
                                       name=self.name))
        today = fields.Date.context_today(self)
        defaults = [{
            "ref": self.env._("Dispute %(dispute)s on %(invoice)s", dispute=self.name, invoice=line.move_id.name),
            "date": today,
            "invoice_date": today,
        } for line in lines]
        refunds = lines.move_id._reverse_moves(default_values_list=defaults, cancel=False)
        refund_by_invoice = {refund.reversed_entry_id.id: refund for refund in refunds}
        for line in lines:
            refund = refund_by_invoice[line.move_id.id]
            ratio = line.amount / line.move_id.amount_total
            if float_compare(ratio, 1.0, precision_digits=6) < 0:
                refund.write({"invoice_line_ids": [
                    fields.Command.update(inv_line.id, {"price_unit": inv_line.price_unit * ratio})
                    for inv_line in refund.invoice_line_ids.filtered(lambda il: il.display_type == "product")
                ]})
            line.credit_note_id = refund
        refunds.action_post()
        for line in lines:
            (line.move_id.line_ids + line.credit_note_id.line_ids).filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
            ).reconcile()
        self.write({
            "resolution": "credit_note",
            "resolution_amount": sum(refunds.mapped("amount_total_signed")) * -1,
            "resolution_date": today,
        })
        self.message_post(body=self.env._(
            "Credit notes %(refunds)s issued and reconciled with the invoices.",
            refunds=", ".join(refunds.mapped("name")),
        ))
        self.action_resolve()
        return True

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------
    # Business
    # ------------------------------------------------------------

    def _on_close(self):
        self.date_closed = fields.Date.context_today(self)
        self.line_ids._release_dispute_status()
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _on_reopen(self):
        self.write({"date_closed": False, "resolution_date": False})
        self.line_ids._apply_dispute_status()
        self._schedule_assignee_activity()

    def _schedule_assignee_activity(self):
        """Give the assignee a to-do until the deadline.

        The native auto-subscription of ``user_id`` (tracked) already notifies the assignee,
        so the activity is created quietly.
        """
        for litige in self.filtered(lambda rec: rec.user_id and not rec.is_closed):
            litige.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=litige.date_deadline or fields.Date.context_today(self),
                summary=self.env._("Resolve dispute %(name)s", name=litige.name),
                user_id=litige.user_id.id,
            )

    @api.model
    def _prepare_litige_vals(self, partner, moves, reason, source, description=None, amounts=None):
        """Values of a dispute on ``moves`` of ``partner``.

        :param amounts: ``{move_id: disputed amount}``; the full residual when missing
        """
        amounts = amounts or {}
        partner = partner.commercial_partner_id
        company = moves[:1].company_id or self.env.company
        team = self.env["credit.litige.team"].search(
            [("company_id", "in", [company.id, False])], limit=1,
        )
        user = partner.credit_collector_id or team.leader_id or partner.user_id
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "reason_id": reason.id,
            "source": source,
            "description": description or False,
            "user_id": user.id,
            "team_id": team.id,
            "line_ids": [
                fields.Command.create({"move_id": move.id, "amount": amounts.get(move.id, move.amount_residual)})
                for move in moves
            ],
        }

    @api.model
    def _create_from_call(self, partner, moves, reason, note):
        """Open a dispute from a phone call outcome (called by the dunning call wizard).

        :param partner: the customer called
        :param moves: the invoices the customer contests (the full residual of each)
        :param reason: a ``credit.litige.reason``
        :param note: what the customer said
        :returns: the new ``credit.litige``
        """
        moves = moves.filtered(
            lambda move: move.state == "posted" and not move.currency_id.is_zero(move.amount_residual)
        )
        if not moves:
            raise UserError(self.env._("The customer contests no open invoice: no dispute opened."))
        vals = self._prepare_litige_vals(partner, moves, reason, "call", description=note)
        vals["user_id"] = self.env.user.id
        return self.create(vals)

    @api.model
    def _create_from_portal(self, invoice, reason, amount, message, author, attachments=None):
        """Open a dispute raised by the customer on the portal invoice page.

        Called in sudo by the portal controller, only after it checked the access to
        ``invoice``; posts the customer's message (and files) in the dispute's thread, which
        notifies the assignee, and subscribes the customer so that they get the replies.

        :param attachments: list of ``(filename, content bytes)``
        :returns: the new ``credit.litige``
        """
        vals = self._prepare_litige_vals(
            invoice.partner_id, invoice, reason, "portal", description=message, amounts={invoice.id: amount},
        )
        litige = self.create(vals)
        litige.message_subscribe(partner_ids=author.ids)
        litige.message_post(
            body=message or self.env._("Invoice %(invoice)s contested from the portal.", invoice=invoice.name),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=list(attachments or []),
            partner_ids=litige.user_id.partner_id.ids,
        )
        return litige
