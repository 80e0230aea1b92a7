from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import history_csv


class CreditRelanceHistory(models.Model):
    """A settled invoice from before the customer was invoiced in Odoo (imported history).

    Together with the paid customer invoices posted in Odoo, these rows make the payment
    history from which the payment behaviour of each customer is computed.
    """

    _name = "credit.relance.history"
    _description = "Imported payment history"
    _order = "settled_date desc, id desc"
    _check_company_auto = True
    _rec_name = "invoice_number"

    _sql_constraints = [
        (
            "invoice_company_uniq",
            "unique(company_id, invoice_number)",
            "This invoice number was already imported for this company.",
        ),
        ("dates_check", "check(due_date >= invoice_date)", "The due date cannot be before the invoice date."),
    ]

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    invoice_number = fields.Char(required=True)
    invoice_date = fields.Date(required=True)
    due_date = fields.Date(required=True)
    settled_date = fields.Date(required=True, index=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    amount_company = fields.Monetary(
        string="Amount in company currency", currency_field="company_currency_id",
        compute="_compute_amount_company", store=True,
        help="The amount converted at the rate of the invoice date.",
    )
    disputed = fields.Boolean(help="The customer disputed this invoice.")
    days_late = fields.Integer(
        compute="_compute_days", store=True, aggregator="avg",
        help="Settled date - due date, 0 when paid on time.",
    )
    days_to_settle = fields.Integer(
        compute="_compute_days", store=True, aggregator="avg", help="Settled date - invoice date."
    )
    paid_late = fields.Boolean(compute="_compute_days", store=True, help="Settled after the due date.")
    source = fields.Selection([("import", "Import")], required=True, default="import")
    import_ref = fields.Char(string="Import batch", readonly=True, help="File name and date of the import.")

    @api.depends("amount", "currency_id", "company_id", "invoice_date")
    def _compute_amount_company(self):
        for line in self:
            company = line.company_id or self.env.company
            if not line.currency_id or line.currency_id == company.currency_id:
                line.amount_company = line.amount
            else:
                line.amount_company = line.currency_id._convert(
                    line.amount, company.currency_id, company, line.invoice_date or fields.Date.today()
                )

    @api.depends("invoice_date", "due_date", "settled_date")
    def _compute_days(self):
        for line in self:
            if line.settled_date and line.due_date and line.invoice_date:
                line.days_late = max(0, (line.settled_date - line.due_date).days)
                line.days_to_settle = max(0, (line.settled_date - line.invoice_date).days)
                line.paid_late = line.settled_date > line.due_date
            else:
                line.days_late = line.days_to_settle = 0
                line.paid_late = False

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.partner_id.commercial_partner_id._credit_mark_behaviour_dirty()
        return records

    # ------------------------------------------------------------------
    # Import service (the wizard collects the file and options and calls these)
    # ------------------------------------------------------------------

    @api.model
    def _import_message(self, code, params):
        """Translated text of a problem code of ``tools.history_csv`` or of the checks below."""
        texts = {
            "bad_encoding": lambda p: self.env._(
                "The file is not %(encoding)s text (byte %(byte)s at position %(position)s): choose the right "
                "encoding.", **p),
            "unknown_encoding": lambda p: self.env._("Unknown encoding %(encoding)s.", **p),
            "empty_file": lambda p: self.env._("The file is empty."),
            "missing_columns": lambda p: self.env._("Missing columns: %(columns)s.", **p),
            "empty_value": lambda p: self.env._("%(column)s is empty.", **p),
            "duplicate_in_file": lambda p: self.env._("Invoice %(number)s already appears on row %(first_row)s.", **p),
            "bad_date": lambda p: self.env._("%(column)s '%(value)s' is not a date (M/D/YYYY).", **p),
            "due_before_invoice": lambda p: self.env._("DueDate is before InvoiceDate."),
            "bad_amount": lambda p: self.env._("InvoiceAmount '%(value)s' is not a number.", **p),
            "amount_not_positive": lambda p: self.env._("InvoiceAmount %(value)s is not positive.", **p),
            "bad_disputed": lambda p: self.env._("Disputed '%(value)s' is neither Yes nor No.", **p),
            "extra_values": lambda p: self.env._("The row has more values than the header has columns."),
            "already_imported": lambda p: self.env._("Invoice %(number)s was already imported for %(company)s.", **p),
            "unknown_customer": lambda p: self.env._("No customer has the reference %(ref)s.", **p),
            "ambiguous_customer": lambda p: self.env._("Several customers have the reference %(ref)s.", **p),
        }
        return texts[code](params)

    @api.model
    def _import_check(self, content, company, encoding="utf-8", create_partners=False, delimiter=","):
        """Read and check a history file without writing anything.

        :return: dict with ``rows`` (valid :class:`HistoryRow`), ``errors`` (list of
            ``(row, message)``, translated), ``partners`` (``{ref: partner}`` found),
            ``new_refs`` (references of customers to create) and ``total`` (rows read)
        :raise UserError: when the file cannot be read at all
        """
        message = self._import_message
        try:
            rows, row_errors = history_csv.parse_history_csv(content, encoding=encoding, delimiter=delimiter)
        except history_csv.HistoryFileError as exc:
            raise UserError(message(exc.code, exc.params)) from None
        errors = [(error.row, message(error.code, error.params)) for error in row_errors]
        total = len(rows) + len({error.row for error in row_errors})

        numbers = [row.invoice_number for row in rows]
        existing = set(self.with_context(active_test=False).search_fetch(
            [("company_id", "=", company.id), ("invoice_number", "in", numbers)], ["invoice_number"]
        ).mapped("invoice_number"))
        refs = {row.customer_ref for row in rows}
        by_ref = {}
        for partner in self.env["res.partner"].with_context(active_test=False).search_fetch(
            [("ref", "in", list(refs)), ("company_id", "in", [company.id, False])], ["ref", "commercial_partner_id"]
        ):
            by_ref.setdefault(partner.ref, self.env["res.partner"])
            by_ref[partner.ref] |= partner.commercial_partner_id
        valid, new_refs = [], set()
        for row in rows:
            if row.invoice_number in existing:
                errors.append((row.row, message(
                    "already_imported", {"number": row.invoice_number, "company": company.name})))
            elif len(by_ref.get(row.customer_ref, [])) > 1:
                errors.append((row.row, message("ambiguous_customer", {"ref": row.customer_ref})))
            elif row.customer_ref not in by_ref and not create_partners:
                errors.append((row.row, message("unknown_customer", {"ref": row.customer_ref})))
            else:
                if row.customer_ref not in by_ref:
                    new_refs.add(row.customer_ref)
                valid.append(row)
        errors.sort(key=lambda error: error[0])
        return {"rows": valid, "errors": errors, "partners": by_ref, "new_refs": sorted(new_refs), "total": total}

    @api.model
    def _import_file(self, content, company, encoding="utf-8", create_partners=False, skip_errors=False,
                     import_ref=False, delimiter=","):
        """Import a history file: every valid row, or nothing when a row is wrong.

        :param skip_errors: import the valid rows even when other rows have errors; by default
            a single error imports nothing
        :return: the check result (see :meth:`_import_check`) plus ``records`` created
        :raise UserError: listing the errors when nothing can be imported
        """
        check = self._import_check(
            content, company, encoding=encoding, create_partners=create_partners, delimiter=delimiter
        )
        if check["errors"] and not skip_errors:
            raise UserError(self.env._(
                "Nothing was imported: %(count)s error(s).\n%(report)s",
                count=len(check["errors"]), report=self._import_error_report(check["errors"]),
            ))
        if not check["rows"]:
            raise UserError(self.env._("The file has no valid row to import."))
        partners = {ref: partner[:1] for ref, partner in check["partners"].items()}
        if check["new_refs"]:
            created = self.env["res.partner"].create([
                {"name": ref, "ref": ref, "is_company": True, "customer_rank": 1} for ref in check["new_refs"]
            ])
            partners.update(zip(check["new_refs"], created, strict=True))
        records = self.create([{
            "partner_id": partners[row.customer_ref].id,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "invoice_number": row.invoice_number,
            "invoice_date": row.invoice_date,
            "due_date": row.due_date,
            "settled_date": row.settled_date,
            "amount": row.amount,
            "disputed": row.disputed,
            "import_ref": import_ref,
        } for row in check["rows"]])
        records.partner_id.commercial_partner_id._credit_recompute_behaviour()
        return dict(check, records=records)

    @api.model
    def _import_error_report(self, errors, limit=200):
        """One line per error, ``Row N: message``, at most ``limit`` lines."""
        lines = [self.env._("Row %(row)s: %(message)s", row=row, message=message) for row, message in errors[:limit]]
        if len(errors) > limit:
            lines.append(self.env._("... and %(count)s more.", count=len(errors) - limit))
        return "\n".join(lines)
