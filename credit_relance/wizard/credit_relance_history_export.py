import base64
import csv
import datetime
import io

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext


def _sort_key(value):
    """Rows sorted by date; dates and datetimes mixed, empty ones first."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time.min)
    return datetime.datetime.min


class CreditRelanceHistoryExport(models.TransientModel):
    """The whole credit history of one customer in a CSV file, for a dispute or a court file.

    Actions, messages (on the customer, its invoices and its actions), promises, credit limit
    requests and disputes, oldest first; supervisors only. The export itself is logged on the
    customer.
    """

    _name = "credit.relance.history.export"
    _description = "Export of a customer's credit history"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, domain="[('parent_id', '=', False)]",
        default=lambda self: self._default_partner_id(),
    )
    export_file = fields.Binary(readonly=True, attachment=False)
    export_filename = fields.Char(readonly=True)

    def _default_partner_id(self):
        if self.env.context.get("active_model") == "res.partner":
            return self.env["res.partner"].browse(self.env.context.get("active_id")).commercial_partner_id.id
        return False

    def action_export(self):
        self.ensure_one()
        if not self.env.user.has_group("credit_relance.credit_relance_group_supervisor"):
            raise AccessError(self.env._("Only credit supervisors can export a customer's history."))
        partner = self.partner_id.commercial_partner_id
        content = self._build_csv(self._collect_rows(partner))
        self.write({
            "export_file": base64.b64encode(content),
            "export_filename": f"credit-history-{partner.id}-{fields.Date.context_today(self)}.csv",
        })
        partner._message_log(body=self.env._("Credit history exported by %(user)s.", user=self.env.user.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _build_csv(self, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([
            self.env._("Record"), self.env._("Reference"), self.env._("Date"), self.env._("Company"),
            self.env._("Customer"), self.env._("Invoices"), self.env._("Step or type"), self.env._("Channel"),
            self.env._("State"), self.env._("User"), self.env._("Template"), self.env._("Template version"),
            self.env._("Subject"), self.env._("Text"), self.env._("Amount"),
        ])
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")  # with a BOM: spreadsheets read the accents right

    def _collect_rows(self, partner):
        """Rows of the CSV, sorted by date; every source read with the supervisor's own rights."""
        rows = []
        contacts = self.env["res.partner"].with_context(active_test=False).search([("id", "child_of", partner.id)])
        actions = self.env["credit.relance.action"].search([("partner_id", "in", contacts.ids)])
        for action in actions:
            template = action.mail_template_id or action.sms_template_id
            rows.append([
                "action", action.name, action.done_date or action.planned_date, action.company_id.name,
                action.partner_id.display_name, " ".join(action.line_ids.move_id.mapped("name")),
                action.step_id.name or "", action.channel, action.state,
                (action.executed_by_id or action.user_id).name or "", template.display_name or "",
                action.template_version or "", action.subject_override or "",
                action.error_message or action.outcome or "", action.amount_total,
            ])
        moves = self.env["account.move"].search([
            ("commercial_partner_id", "=", partner.id), ("move_type", "in", ("out_invoice", "out_refund")),
        ])
        sources = [("res.partner", contacts.ids), ("account.move", moves.ids), ("credit.relance.action", actions.ids)]
        promises = self.env["credit.relance.promise"].search([("partner_id", "in", contacts.ids)])
        requests = self.env["credit.relance.limit.request"].search([("partner_id", "in", contacts.ids)])
        sources += [("credit.relance.promise", promises.ids), ("credit.relance.limit.request", requests.ids)]
        for promise in promises:
            rows.append([
                "promise", promise.name, promise.date, promise.company_id.name, promise.partner_id.display_name,
                " ".join(promise.move_ids.mapped("name")), promise.source or "", "", promise.state,
                promise.user_id.name or "", "", "", "", promise.note or "", promise.amount,
            ])
        for request in requests:
            rows.append([
                "limit request", request.name, request.create_date, request.company_id.name,
                request.partner_id.display_name, "", "", "", request.state,
                (request.decided_by_id or request.requested_by_id).name or "", "", "", "",
                request.reason or "", request.requested_limit,
            ])
        rows += self._collect_dispute_rows(contacts, sources)
        messages = self.env["mail.message"].search(self._messages_domain(sources), order="date, id")
        for message in messages:
            rows.append([
                "message", message.message_id or message.id, message.date, "",
                message.author_id.display_name or "", message.model == "account.move"
                and self.env["account.move"].browse(message.res_id).name or "",
                message.subtype_id.name or "", message.message_type, "",
                message.create_uid.name or "", "", "", message.subject or "",
                html2plaintext(message.body or "").strip(), "",
            ])
        return sorted(rows, key=lambda row: _sort_key(row[2]))

    @api.model
    def _messages_domain(self, sources):
        domains = [[("model", "=", model), ("res_id", "in", ids)] for model, ids in sources if ids]
        domain = []
        for index, part in enumerate(domains):
            if index:
                domain.insert(0, "|")
            domain += ["&", *part]
        return domain or [("id", "=", 0)]

    def _collect_dispute_rows(self, contacts, sources):
        """Disputes, when the disputes addon is installed (hook for it)."""
        if "credit.litige" not in self.env:
            return []
        disputes = self.env["credit.litige"].search([("partner_id", "in", contacts.ids)])
        sources.append(("credit.litige", disputes.ids))
        return [[
            "dispute", dispute.name, dispute.date_open, dispute.company_id.name, dispute.partner_id.display_name,
            " ".join(dispute.line_ids.move_id.mapped("name")), dispute.reason_id.name or "", "",
            dispute.stage_id.name or "", dispute.user_id.name or "", "", "", "", dispute.description or "",
            dispute.amount_disputed,
        ] for dispute in disputes]
