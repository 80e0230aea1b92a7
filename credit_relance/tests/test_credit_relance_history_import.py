import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_kpi import CreditKpiCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCreditRelanceHistoryImport(CreditKpiCommon):
    def test_preview_then_import_sample(self):
        known = self._customer("Customer One", ref="C-ONE")
        wizard = self._import_wizard(self._csv("history_sample.csv"), create_partners=True)
        wizard.action_preview()
        self.assertEqual(
            (wizard.state, wizard.total_count, wizard.valid_count, wizard.error_count, wizard.new_partner_count),
            ("preview", 5, 5, 0, 1),
        )
        self.assertEqual(wizard.line_ids.mapped("invoice_number"), ["F1001", "F1002", "F1003", "F2001", "F2002"])
        self.assertEqual(wizard.line_ids.filtered("new_customer").mapped("customer_ref"), ["C-TWO", "C-TWO"])
        self.assertFalse(self.env["credit.relance.history"].search([("company_id", "=", self.company.id)]))

        wizard.action_import()
        self.assertEqual((wizard.state, wizard.imported_count), ("done", 5))
        history = self.env["credit.relance.history"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(history), 5)
        self.assertEqual(history.filtered(lambda h: h.invoice_number == "F1002").days_late, 10)
        other = self.env["res.partner"].search([("ref", "=", "C-TWO")])
        self.assertTrue(other.is_company)

        # C-ONE, window ending on its last payment (2026-04-20): hand-computed figures
        self.assertAlmostEqual(known.credit_avg_days_late, 15.0)  # (0 x 100 + 10 x 300 + 20 x 600) / 1000
        self.assertAlmostEqual(known.credit_late_share, 2 / 3, places=4)
        self.assertAlmostEqual(known.credit_late_amount_share, 0.9, places=4)
        self.assertAlmostEqual(known.credit_avg_days_to_pay, 40.0)
        self.assertAlmostEqual(known.credit_dispute_rate, 1 / 3, places=4)
        self.assertEqual(known.credit_trend, 0.0)  # all three paid in the last 3 months: no earlier period
        self.assertEqual(known.credit_risk_level, "high")
        self.assertEqual(known.credit_paid_invoice_count, 3)
        self.assertEqual((other.credit_avg_days_late, other.credit_avg_days_to_pay), (0.0, 26.0))
        self.assertEqual(other.credit_risk_level, "low")

        # whole file: 5.0 days late (amount-weighted), 40 % paid late, 20 % disputed
        late = history.filtered("paid_late")
        self.assertEqual(len(late) / len(history), 0.4)
        self.assertEqual(len(history.filtered("disputed")) / len(history), 0.2)
        weighted = sum(h.amount_company * h.days_late for h in history) / sum(history.mapped("amount_company"))
        self.assertAlmostEqual(weighted, 5.0)

    def test_errors_import_nothing_by_default(self):
        self._customer("Customer One", ref="C-ONE")
        wizard = self._import_wizard(self._csv("history_errors.csv"))
        wizard.action_preview()
        self.assertEqual((wizard.total_count, wizard.valid_count, wizard.error_count), (6, 1, 5))
        report = wizard.error_report.splitlines()
        self.assertEqual([line.split(":")[0] for line in report], ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"])
        self.assertIn("InvoiceDate '13/45/2026' is not a date", report[0])
        self.assertIn("InvoiceAmount '12x5' is not a number", report[1])
        self.assertIn("Invoice F3001 already appears on row 2", report[2])
        self.assertIn("Disputed 'Maybe' is neither Yes nor No", report[3])
        self.assertIn("SettledDate is empty", report[4])
        with self.assertRaisesRegex(UserError, "Nothing was imported: 5 error"):
            wizard.action_import()
        self.assertFalse(self.env["credit.relance.history"].search([("invoice_number", "like", "F300")]))

    def test_skip_errors_imports_valid_rows(self):
        partner = self._customer("Customer One", ref="C-ONE")
        wizard = self._import_wizard(self._csv("history_errors.csv"), skip_errors=True)
        wizard.action_preview()
        wizard.action_import()
        self.assertEqual((wizard.imported_count, wizard.error_count), (1, 5))
        self.assertEqual(partner.credit_history_ids.mapped("invoice_number"), ["F3001"])
        self.assertEqual(partner.credit_avg_days_late, 10.0)

    def test_already_imported_and_unknown_customers(self):
        self._customer("Customer One", ref="C-ONE")
        self._import_wizard(self._csv("history_sample.csv"), create_partners=True).action_import()
        check = self.env["credit.relance.history"]._import_check(self._csv("history_sample.csv"), self.company)
        self.assertEqual(len(check["errors"]), 5)
        self.assertIn("Invoice F1001 was already imported for", check["errors"][0][1])
        fresh = self.env["res.company"].create({"name": "Other company"})
        check = self.env["credit.relance.history"]._import_check(self._csv("history_sample.csv"), fresh)
        # C-ONE exists but belongs to no company (shared), C-TWO was created shared: both found
        self.assertFalse(check["errors"])
        check = self.env["credit.relance.history"]._import_check(
            self._csv("history_sample.csv").replace(b"C-TWO", b"C-THREE"), fresh
        )
        self.assertEqual([row for row, _msg in check["errors"]], [5, 6])
        self.assertIn("No customer has the reference C-THREE", check["errors"][0][1])

    def test_bad_encoding_and_missing_columns(self):
        content = self._csv("history_sample.csv").replace(b"C-TWO", "C-DEUX-\u00e9".encode("latin-1"))
        wizard = self._import_wizard(content, create_partners=True)
        with self.assertRaisesRegex(UserError, "not utf-8 text .byte 0xe9 at position"):
            wizard.action_preview()
        wizard.encoding = "latin-1"
        wizard.action_preview()
        self.assertEqual(wizard.valid_count, 5)
        self.assertIn("C-DEUX-\u00e9", wizard.line_ids.mapped("customer_ref"))
        wizard = self._import_wizard(b"customerID,invoiceNumber\nC1,F1\n")
        with self.assertRaisesRegex(UserError, "Missing columns: InvoiceDate, DueDate, InvoiceAmount"):
            wizard.action_preview()
        with self.assertRaisesRegex(UserError, "The file is empty"):
            self._import_wizard(b"\n").action_preview()

    def test_wizard_form_and_back(self):
        with Form(self.env["credit.relance.history.import"]) as form:
            form.file = base64.b64encode(self._csv("history_sample.csv"))
            form.create_partners = True
        wizard = form.record
        self.assertEqual((wizard.company_id, wizard.encoding, wizard.state), (self.env.company, "utf-8", "upload"))
        wizard = self._import_wizard(self._csv("history_sample.csv"), create_partners=True)
        wizard.action_preview()
        action = wizard.action_back()
        self.assertEqual((wizard.state, action["res_id"]), ("upload", wizard.id))
        wizard.action_import()
        action = wizard.action_open_history()
        self.assertEqual(action["res_model"], "credit.relance.history")
        self.assertEqual(self.env["credit.relance.history"].search_count(action["domain"]), 5)

    def test_semicolon_separated_file(self):
        content = self._csv("history_sample.csv").replace(b",", b";")
        wizard = self._import_wizard(content, create_partners=True)
        with self.assertRaisesRegex(UserError, "Missing columns"):
            wizard.action_preview()
        wizard.delimiter = ";"
        wizard.action_preview()
        self.assertEqual((wizard.valid_count, wizard.error_count), (5, 0))
