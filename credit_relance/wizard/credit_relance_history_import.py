import base64

from odoo import fields, models
from odoo.exceptions import UserError

PREVIEW_ROWS = 20


class CreditRelanceHistoryImport(models.TransientModel):
    """Upload a CSV of settled invoices, preview it, then import it as payment history."""

    _name = "credit.relance.history.import"
    _description = "Import payment history"

    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"), ("done", "Done")], default="upload")
    file = fields.Binary(string="CSV file", required=True)
    filename = fields.Char()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    encoding = fields.Selection(
        [("utf-8", "UTF-8"), ("windows-1252", "Windows (1252)"), ("latin-1", "Latin-1 (ISO 8859-1)")],
        required=True, default="utf-8",
    )
    delimiter = fields.Selection([(",", "Comma"), (";", "Semicolon"), ("\t", "Tab")], required=True, default=",")
    create_partners = fields.Boolean(
        string="Create missing customers",
        help="Customers are matched on their reference (customerID). Unknown ones are created as companies.",
    )
    skip_errors = fields.Boolean(
        string="Skip the rows with errors",
        help="Import the valid rows and leave out the wrong ones. Otherwise a single wrong row imports nothing.",
    )
    total_count = fields.Integer(string="Rows read", readonly=True)
    valid_count = fields.Integer(string="Valid rows", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    new_partner_count = fields.Integer(string="Customers to create", readonly=True)
    imported_count = fields.Integer(string="Imported invoices", readonly=True)
    error_report = fields.Text(readonly=True)
    line_ids = fields.One2many("credit.relance.history.import.line", "wizard_id", string="First rows", readonly=True)

    def _content(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV file first."))
        return base64.b64decode(self.file)

    def action_preview(self):
        """Check the file and show counts, the first valid rows and the errors, writing nothing."""
        self.ensure_one()
        History = self.env["credit.relance.history"]
        check = History._import_check(
            self._content(), self.company_id, encoding=self.encoding, create_partners=self.create_partners,
            delimiter=self.delimiter,
        )
        new_refs = set(check["new_refs"])
        self.write({
            "state": "preview",
            "total_count": check["total"],
            "valid_count": len(check["rows"]),
            "error_count": len(check["errors"]),
            "new_partner_count": len(new_refs),
            "error_report": History._import_error_report(check["errors"]),
            "line_ids": [fields.Command.clear()] + [
                fields.Command.create({
                    "row": row.row,
                    "customer_ref": row.customer_ref,
                    "new_customer": row.customer_ref in new_refs,
                    "invoice_number": row.invoice_number,
                    "invoice_date": row.invoice_date,
                    "due_date": row.due_date,
                    "settled_date": row.settled_date,
                    "amount": row.amount,
                    "disputed": row.disputed,
                    "days_late": max(0, (row.settled_date - row.due_date).days),
                })
                for row in check["rows"][:PREVIEW_ROWS]
            ],
        })
        return self._reopen()

    def action_import(self):
        """Import the file: all valid rows, or nothing if a row is wrong and errors are not skipped."""
        self.ensure_one()
        result = self.env["credit.relance.history"]._import_file(
            self._content(), self.company_id, encoding=self.encoding, create_partners=self.create_partners,
            skip_errors=self.skip_errors, delimiter=self.delimiter,
            import_ref=f"{self.filename or 'csv'} {fields.Datetime.to_string(fields.Datetime.now())}",
        )
        self.write({
            "state": "done",
            "imported_count": len(result["records"]),
            "error_count": len(result["errors"]),
            "error_report": self.env["credit.relance.history"]._import_error_report(result["errors"]),
        })
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.state = "upload"
        return self._reopen()

    def action_open_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_relance.credit_relance_history_action")
        action["domain"] = [("import_ref", "!=", False), ("company_id", "=", self.company_id.id)]
        return action

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import payment history"),
        }


class CreditRelanceHistoryImportLine(models.TransientModel):
    """A row of the file shown in the preview."""

    _name = "credit.relance.history.import.line"
    _description = "Import payment history: preview row"
    _order = "row"

    wizard_id = fields.Many2one("credit.relance.history.import", required=True, ondelete="cascade")
    row = fields.Integer()
    customer_ref = fields.Char(string="Customer reference")
    new_customer = fields.Boolean(string="New customer")
    invoice_number = fields.Char()
    invoice_date = fields.Date()
    due_date = fields.Date()
    settled_date = fields.Date()
    amount = fields.Float()
    disputed = fields.Boolean()
    days_late = fields.Integer()
