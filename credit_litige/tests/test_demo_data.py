from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoDispute(TransactionCase):
    @freeze_time("2026-03-15")
    def test_demo_dispute_pauses_its_invoice(self):
        Demo = self.env["credit.relance.demo"]
        company = Demo._generate(customers=4, history_per_customer=1, open_invoices=20)
        Demo._generate_dispute()
        dispute = self.env["credit.litige"].search([("company_id", "=", company.id)])
        self.assertEqual(len(dispute), 1)
        invoice = dispute.line_ids.move_id
        self.assertAlmostEqual(dispute.amount_disputed, round(invoice.amount_residual / 2, 2))
        self.assertEqual(invoice.credit_status_id.category, "dispute")
        self.assertTrue(invoice.credit_status_id.pause_dunning)
        Demo._generate_dispute()
        self.assertEqual(self.env["credit.litige"].search_count([("company_id", "=", company.id)]), 1)
