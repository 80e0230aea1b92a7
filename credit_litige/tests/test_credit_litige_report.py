from freezegun import freeze_time

from odoo.tests import tagged

from .common import CreditLitigeCommon


@tagged("post_install", "-at_install")
class TestCreditLitigeReport(CreditLitigeCommon):
    def test_dispute_analysis(self):
        with freeze_time("2026-03-02"):
            open_dispute = self._open_dispute(self.invoice_a1, reason=self.reason_quality)
            closed = self._open_dispute(self.invoice_b1, resolution="payment")
        with freeze_time("2026-03-12"):
            closed.action_resolve()
        self.env.flush_all()
        Report = self.env["credit.litige.report"]
        # the SQL view ages disputes with the database's date: compare with it
        self.env.cr.execute("SELECT CURRENT_DATE - DATE '2026-03-02'")
        db_age = self.env.cr.fetchone()[0]
        row = Report.search([("litige_id", "=", open_dispute.id)])
        self.assertEqual(row.age_days, db_age)
        self.assertEqual(row.reason_id, self.reason_quality)
        self.assertEqual(row.salesperson_id, self.salesrep)
        self.assertFalse(row.resolution_days)
        closed_row = Report.search([("litige_id", "=", closed.id)])
        self.assertEqual(closed_row.resolution_days, 10)
        self.assertEqual(closed_row.age_days, 10)
        self.assertEqual(closed_row.age_bucket, "0_15")
        groups = Report._read_group(
            [("litige_id", "in", (open_dispute | closed).ids), ("is_closed", "=", True)],
            ["reason_id"], ["resolution_days:avg", "amount_disputed:sum"],
        )
        self.assertEqual(groups, [(self.reason_price, 10.0, 920.0)])
        self.assertEqual(Report.with_user(self.salesrep).search([("litige_id", "in", (open_dispute | closed).ids)]),
                         row, "sales reps analyse their own customers")

    def test_share_of_receivables_in_dispute(self):
        with freeze_time("2026-03-02"):
            self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 150.0})
        self.env.flush_all()
        moves = self.invoice_a1 | self.invoice_a2 | self.invoice_b1
        Report = self.env["credit.litige.receivable.report"]
        groups = {
            in_dispute: (residual, disputed) for in_dispute, residual, disputed in Report._read_group(
                [("move_id", "in", moves.ids)], ["in_dispute"], ["amount_residual:sum", "amount_disputed:sum"],
            )
        }
        self.assertEqual(groups[True], (1150.0, 150.0))
        self.assertEqual(groups[False], (575.0 + 920.0, 0.0))
