import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .bench_data import AGING_BUCKETS, BenchDataGenerator

TODAY = datetime.date(2026, 3, 31)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestBenchData(AccountTestInvoicingCommon):
    """The benchmark's SQL generator makes invoices that Odoo's accounting reads and recomputes alike."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.env["res.users"].create({"name": "Bench rep", "login": "bench_rep"})
        cls.figures = BenchDataGenerator(cls.env, today=TODAY, salesperson_ids=cls.salesperson.ids).generate(6, 20)
        cls.customers = cls.env["res.partner"].search([("ref", "=like", "C0000%"), ("name", "=like", "Customer %")])
        cls.invoices = cls.env["account.move"].search([("partner_id", "in", cls.customers.ids)])

    def test_counts_and_spread(self):
        self.assertEqual(len(self.customers), 6)
        self.assertEqual(len(self.invoices), 20)
        self.assertEqual(sum(self.figures["aging_buckets"].values()), 20)
        # Every customer has at least one invoice (the first N invoices go one to each).
        self.assertEqual(set(self.invoices.partner_id.ids), set(self.customers.ids))
        self.assertEqual(len(AGING_BUCKETS), 5)
        self.assertEqual(self.customers.user_id, self.salesperson)
        self.assertTrue(all(c.commercial_partner_id == c for c in self.customers))
        self.assertEqual(len(set(self.invoices.mapped("name"))), 20, "invoice names are unique")

    def test_invoices_are_open_posted_receivables(self):
        company = self.env.company
        for invoice in self.invoices:
            receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
            self.assertRecordValues(invoice, [{
                "state": "posted",
                "move_type": "out_invoice",
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "payment_state": "not_paid",
                "amount_residual": invoice.amount_total,
            }])
            self.assertGreater(invoice.amount_total, 0)
            self.assertLessEqual(invoice.invoice_date, TODAY)
            self.assertGreaterEqual(invoice.invoice_date_due, invoice.invoice_date)
            self.assertRecordValues(receivable, [{
                "partner_id": invoice.partner_id.id,
                "date_maturity": invoice.invoice_date_due,
                "balance": invoice.amount_total,
                "amount_residual": invoice.amount_total,
                "reconciled": False,
                "parent_state": "posted",
                "move_name": invoice.name,
            }])
            self.assertAlmostEqual(sum(invoice.line_ids.mapped("balance")), 0.0)
            term_days = invoice.invoice_payment_term_id.line_ids.nb_days
            self.assertEqual((invoice.invoice_date_due - invoice.invoice_date).days, term_days)

    def test_orm_recomputes_the_same_values(self):
        invoices = self.invoices
        stored = invoices.read(["amount_total", "amount_residual", "amount_residual_signed", "payment_state",
                                "invoice_date_due"])
        lines = invoices.line_ids
        stored_lines = lines.read(["amount_residual", "amount_residual_currency", "reconciled"])
        self.env.invalidate_all()
        invoices._compute_needed_terms()
        invoices._compute_invoice_date_due()
        invoices._compute_amount()
        invoices._compute_payment_state()
        lines._compute_amount_residual()
        recomputed = [{key: invoice[key] for key in record if key != "id"} | {"id": invoice.id}
                      for invoice, record in zip(invoices, stored, strict=True)]
        self.assertEqual(recomputed, stored)
        recomputed_lines = [{key: line[key] for key in record if key != "id"} | {"id": line.id}
                            for line, record in zip(lines, stored_lines, strict=True)]
        self.assertEqual(recomputed_lines, stored_lines)

    def test_payment_reconciles_a_generated_invoice(self):
        invoice = self.invoices.sorted("amount_total")[0]
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
