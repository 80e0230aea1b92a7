from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

# how far ahead a customer may promise to pay from the portal
PORTAL_MAX_DAYS = 90


class CreditRelancePromise(models.Model):
    """A customer's promise to pay some invoices by a date: dunning pauses on them until then."""

    _name = "credit.relance.promise"
    _description = "Promise to pay"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many("account.move", string="Invoices", check_company=True,
                                domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
                                       " ('commercial_partner_id', '=', partner_id)]")
    date = fields.Date(string="Promised date", required=True, tracking=True)
    amount = fields.Monetary(string="Promised amount", currency_field="currency_id", tracking=True)
    residual_at_promise = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        default="open", required=True, tracking=True, index=True,
    )
    source = fields.Selection(
        [("call", "Phone call"), ("action", "Dunning action"), ("portal", "Portal"), ("manual", "By hand")],
        default="manual", required=True,
    )
    action_id = fields.Many2one("credit.relance.action", string="Dunning action", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Collector", default=lambda self: self.env.user)
    note = fields.Text()

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for promise in self:
            promise.name = f"{promise.partner_id.display_name or ''} - {promise.date or ''}"

    @api.constrains("amount")
    def _check_amount(self):
        if any(promise.amount < 0 for promise in self):
            raise ValidationError(self.env._("A promised amount cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            promise.residual_at_promise = sum(promise.move_ids.mapped("amount_residual_signed"))
        promises._pause_invoices()
        return promises

    def _get_promise_status(self):
        return self.env["credit.relance.status"].search(
            [("category", "=", "promise"), ("parent_id", "=", False),
             ("company_id", "in", [self.company_id.id, False])], limit=1)

    def _pause_invoices(self):
        for promise in self:
            vals = {"credit_pause_until": promise.date}
            status = promise._get_promise_status()
            if status:
                vals.update(credit_status_id=status.id, credit_substatus_id=False)
            promise.move_ids.write(vals)

    def _resume_invoices(self):
        for promise in self:
            moves = promise.move_ids.filtered(lambda m, p=promise: m.credit_pause_until == p.date)
            moves.write({"credit_pause_until": False})
            moves.filtered(lambda m: m.credit_status_id.category == "promise").write(
                {"credit_status_id": False, "credit_substatus_id": False})

    def action_cancel(self):
        self.filtered(lambda p: p.state == "open").write({"state": "cancelled"})
        self._resume_invoices()
        return True

    @api.model
    def _check_due_promises(self, company, today):
        """Close the open promises whose date has passed: kept when paid, else broken (alert and
        the scenario resumes)."""
        promises = self.search([("company_id", "=", company.id), ("state", "=", "open"), ("date", "<", today)])
        if not promises:
            return
        kept = promises.filtered(lambda p: p._is_kept())
        kept.write({"state": "kept"})
        broken = promises - kept
        broken.write({"state": "broken"})
        broken._resume_invoices()
        for promise in broken:
            promise.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=self.env._("Broken promise to pay"),
                note=self.env._("%(customer)s promised %(amount)s by %(date)s and did not pay.",
                                customer=promise.partner_id.display_name, amount=promise.amount, date=promise.date),
                user_id=(promise.partner_id.credit_collector_id or promise.user_id or self.env.user).id,
            )

    def _is_kept(self):
        self.ensure_one()
        residual = sum(self.move_ids.mapped("amount_residual_signed"))
        paid = self.residual_at_promise - residual
        return residual <= 0 or paid >= self.amount - self.currency_id.rounding

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _get_portal_promise_error(self, invoice, date, amount):
        """Check the portal promise form of ``invoice``.

        :param date: the promised date as typed (``YYYY-MM-DD``)
        :param amount: the promised amount as typed, empty for the whole residual
        :returns: an error code (``invoice``, ``open``, ``date``, ``amount``) or ``None``
        """
        if (invoice.move_type != "out_invoice" or invoice.state != "posted"
                or invoice.payment_state in ("in_payment", "paid", "reversed")
                or invoice.currency_id.is_zero(invoice.amount_residual)):
            return "invoice"
        if self.search_count([("move_ids", "in", invoice.ids), ("state", "=", "open")], limit=1):
            return "open"
        try:
            promised = fields.Date.to_date(date) if date else None
        except ValueError:
            promised = None
        today = fields.Date.context_today(self)
        if not promised or promised < today or promised > today + relativedelta(days=PORTAL_MAX_DAYS):
            return "date"
        if amount and not invoice._credit_is_valid_portal_amount(amount):
            return "amount"
        return None

    @api.model
    def _create_from_portal(self, invoice, date, amount, message, author):
        """Record the promise a customer made on the portal for ``invoice``; dunning pauses until ``date``.

        :param author: the partner who wrote the promise (the portal user, or the invoice's customer
            when the link was opened with the invoice's token)
        :returns: the new promise
        :raises ValidationError: on input :meth:`_get_portal_promise_error` rejects
        """
        error = self._get_portal_promise_error(invoice, date, amount)
        if error:
            raise ValidationError(self.env._("This promise to pay cannot be recorded (%(error)s).", error=error))
        customer = invoice.commercial_partner_id
        promise = self.create({
            "partner_id": customer.id,
            "company_id": invoice.company_id.id,
            "move_ids": [Command.set(invoice.ids)],
            "date": fields.Date.to_date(date),
            "amount": float(amount) if amount else invoice.amount_residual,
            "source": "portal",
            "note": message or False,
            "user_id": (customer.credit_collector_id or invoice.invoice_user_id).id,
        })
        promise.message_post(
            body=self.env._("Promise made on the portal by %(author)s: %(message)s",
                            author=author.display_name, message=message or "-"),
            author_id=author.id, subtype_xmlid="mail.mt_note",
        )
        return promise
