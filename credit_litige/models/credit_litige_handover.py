import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.credit_relance.tools.late_interest import late_interest

from ..tools.handover_file import build_csv, days_late, recovery_indemnity

HANDOVER_STATES = [
    ("draft", "To hand over"),
    ("sent", "Handed over"),
    ("received", "Received by the agency"),
    ("in_progress", "In progress"),
    ("recovered_partial", "Partially recovered"),
    ("recovered_full", "Fully recovered"),
    ("closed", "Closed"),
]


class CreditLitigeHandover(models.Model):
    """A customer's debts handed over to a collection agency or a lawyer (contentieux).

    Handing over puts the invoices in the litigation status (which pauses dunning) and
    produces the file sent to the agency: a PDF summary and a CSV of the invoices, of the
    dunning acts sent and of the customer's disputes. The agency's status updates and
    recovered amounts are then recorded on the hand-over.
    """

    _name = "credit.litige.handover"
    _description = "Hand-over to a collection agency"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    agency_id = fields.Many2one(
        "res.partner", string="Agency or lawyer", required=True, tracking=True, check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    date = fields.Date(string="Hand-over date", required=True, default=fields.Date.context_today, tracking=True)
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    move_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_move_ids", store=True, readonly=False,
        check_company=True, relation="credit_litige_handover_account_move_rel",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('amount_residual', '>', 0)]",
    )
    amount_principal = fields.Monetary(
        string="Principal", compute="_compute_amounts", store=True, readonly=False, tracking=True,
        help="Amount due on the invoices when handed over.",
    )
    interest_rate = fields.Float(
        string="Interest rate (%/year)",
        help="Late-payment interest rate applied from each due date to the hand-over date.",
    )
    amount_interest = fields.Monetary(
        string="Late interest", compute="_compute_amounts", store=True, readonly=False,
    )
    amount_indemnity = fields.Monetary(
        string="Recovery indemnity", compute="_compute_amounts", store=True, readonly=False,
        help="Fixed recovery indemnity per invoice paid late (40 EUR in France).",
    )
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amount_total", store=True)
    amount_recovered = fields.Monetary(string="Recovered", tracking=True)
    recovery_rate = fields.Float(string="Recovered (%)", compute="_compute_amount_total", store=True, aggregator="avg")
    state = fields.Selection(HANDOVER_STATES, required=True, default="draft", tracking=True, index=True)
    note = fields.Html()
    pdf_attachment_id = fields.Many2one("ir.attachment", string="PDF summary", readonly=True, copy=False)
    csv_attachment_id = fields.Many2one("ir.attachment", string="CSV file", readonly=True, copy=False)

    @api.depends("partner_id", "company_id")
    def _compute_move_ids(self):
        for handover in self:
            handover.move_ids = handover._get_open_invoices() if handover.partner_id else False

    @api.depends("move_ids", "interest_rate", "date")
    def _compute_amounts(self):
        for handover in self:
            moves = handover.move_ids._origin
            handover.amount_principal = sum(moves.mapped("amount_residual_signed"))
            on_date = handover.date
            late = moves.filtered(lambda move, on_date=on_date: days_late(move.invoice_date_due, on_date) > 0)
            interest = 0.0
            if handover.interest_rate:
                interest = sum(
                    float(late_interest(move.amount_residual_signed, move.invoice_date_due, handover.date, {},
                                        contractual_rate=handover.interest_rate)[0])
                    for move in late
                )
            handover.amount_interest = interest
            handover.amount_indemnity = recovery_indemnity(len(late))

    @api.depends("amount_principal", "amount_interest", "amount_indemnity", "amount_recovered")
    def _compute_amount_total(self):
        for handover in self:
            handover.amount_total = handover.amount_principal + handover.amount_interest + handover.amount_indemnity
            handover.recovery_rate = (
                100.0 * handover.amount_recovered / handover.amount_total if handover.amount_total else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("credit.litige.handover") or "/"
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if "amount_recovered" in vals and "state" not in vals:
            self._update_recovery_state()
        return res

    def _get_open_invoices(self):
        """The customer's posted invoices with an amount due, in the hand-over's company."""
        self.ensure_one()
        return self.env["account.move"].search([
            ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id), ("amount_residual", ">", 0),
        ], order="invoice_date_due, id")

    def _get_letters(self):
        """The dunning acts done for the customer, oldest first (``credit.relance.action``)."""
        self.ensure_one()
        return self.env["credit.relance.action"].search([
            ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id), ("state", "=", "done"),
        ], order="done_date, planned_date, id")

    def _get_disputes(self):
        """The customer's disputes, oldest first."""
        self.ensure_one()
        return self.env["credit.litige"].search([
            ("partner_id", "=", self.partner_id.commercial_partner_id.id), ("company_id", "=", self.company_id.id),
        ], order="date_open, id")

    def _update_recovery_state(self):
        for handover in self.filtered(lambda rec: rec.state in ("sent", "received", "in_progress",
                                                                "recovered_partial", "recovered_full")):
            if float_compare(handover.amount_recovered, handover.amount_principal,
                             precision_rounding=handover.currency_id.rounding) >= 0:
                handover.state = "recovered_full"
            elif handover.amount_recovered > 0:
                handover.state = "recovered_partial"

    def _prepare_csv_rows(self):
        """Rows of the CSV file, as ``build_csv`` wants them: (invoices, letters, disputes)."""
        self.ensure_one()
        channels = dict(self.env["credit.relance.action"]._fields["channel"]._description_selection(self.env))
        states = dict(self.env["credit.relance.action"]._fields["state"]._description_selection(self.env))
        resolutions = dict(self.env["credit.litige"]._fields["resolution"]._description_selection(self.env))
        invoices = [{
            "reference": move.name,
            "date": move.invoice_date,
            "due_date": move.invoice_date_due,
            "amount": move.amount_total_signed,
            "residual": move.amount_residual_signed,
            "days_late": days_late(move.invoice_date_due, self.date),
        } for move in self.move_ids]
        letters = [{
            "date": fields.Datetime.context_timestamp(self, action.done_date).date() if action.done_date
            else action.planned_date,
            "channel": channels.get(action.channel, action.channel),
            "label": action.step_id.name or "",
            "references": " ".join(action.move_ids.mapped("name")),
            "amount": action.amount_total,
            "state": states.get(action.state, action.state),
        } for action in self._get_letters()]
        disputes = [{
            "reference": litige.name,
            "date": litige.date_open,
            "reason": litige.reason_id.name,
            "stage": litige.stage_id.name,
            "amount": litige.amount_disputed,
            "resolution": resolutions.get(litige.resolution, ""),
        } for litige in self._get_disputes()]
        return invoices, letters, disputes

    def _generate_file(self):
        """(Re)build the PDF summary and the CSV file and attach them to the hand-over."""
        for handover in self:
            csv_text = build_csv(*handover._prepare_csv_rows())
            pdf_content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                "credit_litige.action_report_credit_litige_handover", handover.ids,
            )
            (handover.pdf_attachment_id | handover.csv_attachment_id).unlink()
            base_name = handover.name.replace("/", "_")
            attachments = self.env["ir.attachment"].create([
                {
                    "name": f"{base_name}.pdf", "raw": pdf_content, "mimetype": "application/pdf",
                    "res_model": handover._name, "res_id": handover.id,
                },
                {
                    "name": f"{base_name}.csv", "raw": csv_text.encode("utf-8"), "mimetype": "text/csv",
                    "res_model": handover._name, "res_id": handover.id,
                },
            ])
            handover.write({"pdf_attachment_id": attachments[0].id, "csv_attachment_id": attachments[1].id})

    def action_hand_over(self):
        """Hand the invoices over: litigation status on the invoices, file generated."""
        for handover in self:
            if handover.state != "draft":
                raise UserError(self.env._("%(name)s was already handed over.", name=handover.name))
            if not handover.move_ids:
                raise UserError(self.env._("Add the invoices to hand over in %(name)s.", name=handover.name))
            status = self.env["credit.litige"]._get_credit_status("litigation", handover.company_id)
            # sudo: collectors hand debts over without being allowed to edit invoices
            handover.move_ids.sudo().write({"credit_status_id": status.id, "credit_substatus_id": False})
        self.write({"state": "sent"})
        self._generate_file()

    def action_generate_file(self):
        self._generate_file()

    def action_send_email(self):
        """E-mail the generated file to the agency with the hand-over template."""
        self.ensure_one()
        if not self.agency_id.email:
            raise UserError(self.env._(
                "Set an e-mail address on %(agency)s first.", agency=self.agency_id.display_name,
            ))
        if not self.pdf_attachment_id or not self.csv_attachment_id:
            self._generate_file()
        template = self.env.ref("credit_litige.mail_template_credit_litige_handover")
        self.message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=[Command.set(self.agency_id.ids)],
            attachment_ids=[Command.set((self.pdf_attachment_id | self.csv_attachment_id).ids)],
        )
        return True

    def action_download_pdf(self):
        self.ensure_one()
        if not self.pdf_attachment_id:
            self._generate_file()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{self.pdf_attachment_id.id}?download=true"}

    def action_download_csv(self):
        self.ensure_one()
        if not self.csv_attachment_id:
            self._generate_file()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{self.csv_attachment_id.id}?download=true"}

    def action_mark_received(self):
        self.write({"state": "received"})

    def action_mark_in_progress(self):
        self.write({"state": "in_progress"})

    def action_close(self):
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})

    def action_reset_draft(self):
        self.write({"state": "draft"})

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Hand-over %(name)s", name=self.name)

    def _csv_content(self):
        """The CSV file's text (for the tests and the download)."""
        self.ensure_one()
        return base64.b64decode(self.csv_attachment_id.datas).decode("utf-8") if self.csv_attachment_id else ""
