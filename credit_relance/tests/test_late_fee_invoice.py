from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestLateFeeInvoice(CreditRelanceEngineCommon):
    def test_late_fees_invoiced_once_as_a_draft_invoice(self):
        late = self._create_invoice(self.customer, 10000, D(2026, 1, 31))
        self._create_invoice(self.customer, 500, D(2026, 1, 31))
        self._run(D(2026, 2, 5))
        action = self._actions(self.customer).filtered(lambda a: a.step_id == self.step_first)
        self.assertEqual(len(action.move_ids), 2)
        with freeze_time("2026-03-02"):
            result = action.action_invoice_late_fees()
        fee_invoice = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(action.late_fee_move_id, fee_invoice)
        self.assertEqual((fee_invoice.state, fee_invoice.move_type), ("draft", "out_invoice"))
        self.assertEqual(fee_invoice.partner_id, self.customer)
        lines = fee_invoice.invoice_line_ids
        interest = lines.filtered(lambda line: late.name in line.name and "interest" in line.name)
        self.assertAlmostEqual(interest.price_subtotal, 99.86)
        indemnity = fee_invoice.invoice_line_ids.filtered(lambda line: line.quantity == 2)
        self.assertAlmostEqual(indemnity.price_subtotal, 80.0)
        self.assertFalse(fee_invoice.invoice_line_ids.tax_ids, "late fees bear no VAT")
        with self.assertRaises(UserError):
            action.action_invoice_late_fees()

    def test_nothing_to_invoice_before_the_due_date(self):
        self._create_invoice(self.customer, 1000, D(2026, 3, 10))
        self._run(D(2026, 3, 7))  # preventive reminder, J-3
        action = self._actions(self.customer)
        with freeze_time("2026-03-07"), self.assertRaises(UserError):
            action.action_invoice_late_fees()
        self.assertFalse(action.late_fee_move_id)
