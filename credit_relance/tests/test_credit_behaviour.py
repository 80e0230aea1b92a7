from freezegun import freeze_time

from odoo.tests import tagged

from .common_kpi import CreditKpiCommon


@tagged("post_install", "-at_install")
class TestCreditBehaviour(CreditKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Behaviour customer", ref="BEH")
        with freeze_time("2025-12-31"):
            # on time, 30 days to pay
            cls.inv_on_time = cls._invoice(cls.customer, 1000, "2025-09-01", "2025-10-01")
            cls._pay(cls.inv_on_time, 1000, "2025-10-01")
            # 20 days late, 50 days to pay, disputed
            cls.inv_late = cls._invoice(cls.customer, 500, "2025-11-01", "2025-12-01")
            cls.inv_late.credit_status_id = cls.status_dispute
            cls._pay(cls.inv_late, 500, "2025-12-21")
            # paid before the window (more than 12 months before the last payment): ignored
            cls.inv_old = cls._invoice(cls.customer, 9999, "2025-03-01", "2025-04-01")
            cls._pay(cls.inv_old, 9999, "2025-04-30")
        # imported: 10 days late, 40 days to pay
        cls.env["credit.relance.history"].create({
            "partner_id": cls.customer.id,
            "invoice_number": "OLD-1",
            "invoice_date": "2026-04-01",
            "due_date": "2026-05-01",
            "settled_date": "2026-05-11",
            "amount": 500,
        })

    @freeze_time("2026-06-30")
    def test_behaviour_from_invoices_and_history(self):
        self.customer._credit_recompute_behaviour()
        self.assertAlmostEqual(self.customer.credit_avg_days_late, 7.5)  # (1000 x 0 + 500 x 20 + 500 x 10) / 2000
        self.assertAlmostEqual(self.customer.credit_late_share, 2 / 3, places=4)
        self.assertAlmostEqual(self.customer.credit_late_amount_share, 0.5, places=4)
        self.assertAlmostEqual(self.customer.credit_avg_days_to_pay, 40.0)
        self.assertAlmostEqual(self.customer.credit_dispute_rate, 1 / 3, places=4)
        # last 3 months before 2026-05-11: 10 days; 9 months before: 20 x 500 / 1500
        self.assertAlmostEqual(self.customer.credit_trend, 10 - 20 / 3, places=1)
        self.assertEqual(self.customer.credit_risk_level, "high")
        self.assertEqual(self.customer.credit_paid_invoice_count, 3)
        self.assertEqual(self.customer.credit_broken_promises, 0)
        self.assertEqual(str(self.customer.credit_behaviour_date), "2026-06-30")

    @freeze_time("2026-06-30")
    def test_thresholds_per_company(self):
        self.company.write({"credit_risk_high_share": 0.9, "credit_risk_moderate_share": 0.6,
                            "credit_risk_moderate_days": 7, "credit_risk_high_days": 8})
        self.customer._credit_recompute_behaviour()
        self.assertEqual(self.customer.credit_risk_level, "moderate")
        self.company.credit_risk_moderate_days = 20
        self.customer._credit_recompute_behaviour()
        self.assertEqual(self.customer.credit_risk_level, "moderate")  # still: share 2/3 >= 60 %
        self.company.credit_risk_moderate_share = 0.7
        self.customer._credit_recompute_behaviour()
        self.assertEqual(self.customer.credit_risk_level, "low")

    @freeze_time("2026-06-30")
    def test_reconciliation_marks_dirty_and_triggers_recompute(self):
        self.customer._credit_recompute_behaviour()
        invoice = self._invoice(self.customer, 1000, "2026-05-01", "2026-05-31")
        cron = self.env.ref("credit_relance.ir_cron_credit_behaviour_dirty")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertFalse(self.customer.credit_behaviour_dirty)
        self._pay(invoice, 1000, "2026-06-30")  # 30 days late
        self.assertTrue(self.customer.credit_behaviour_dirty)
        self.assertGreater(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), len(triggers))
        self.assertAlmostEqual(self.customer.credit_avg_days_late, 7.5)  # not yet recomputed
        self.env["res.partner"]._cron_credit_behaviour_dirty()
        self.assertFalse(self.customer.credit_behaviour_dirty)
        # (0 x 1000 + 20 x 500 + 10 x 500 + 30 x 1000) / 3000
        self.assertAlmostEqual(self.customer.credit_avg_days_late, 15.0)
        self.assertEqual(self.customer.credit_paid_invoice_count, 4)
        # unreconciling marks the customer again
        invoice.line_ids.remove_move_reconcile()
        self.assertTrue(self.customer.credit_behaviour_dirty)
        self.env["res.partner"]._cron_credit_behaviour_dirty()
        self.assertAlmostEqual(self.customer.credit_avg_days_late, 7.5)

    @freeze_time("2026-06-30")
    def test_partial_payment_is_not_paid_yet(self):
        invoice = self._invoice(self.customer, 1000, "2026-05-01", "2026-05-31")
        self._pay(invoice, 400, "2026-06-15")
        self.env["res.partner"]._cron_credit_behaviour_all()
        self.assertEqual(self.customer.credit_paid_invoice_count, 3)

    @freeze_time("2026-06-30")
    def test_daily_cron_batches_queries(self):
        others = self.env["res.partner"].create([{"name": f"Customer {i}", "is_company": True} for i in range(5)])
        for partner in others:
            self.env["credit.relance.history"].create({
                "partner_id": partner.id, "invoice_number": f"H-{partner.id}", "invoice_date": "2026-01-01",
                "due_date": "2026-01-31", "settled_date": "2026-02-10", "amount": 100,
            })
        self.env["res.partner"]._cron_credit_behaviour_all()
        self.assertEqual(set(others.mapped("credit_avg_days_late")), {10.0})

        # the number of queries does not grow with the number of customers
        def count_queries(partners):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            partners._credit_recompute_behaviour()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        self.assertEqual(count_queries(others | self.customer), count_queries(others[:1]))

    @freeze_time("2026-06-30")
    def test_expected_payment_date(self):
        self.customer._credit_recompute_behaviour()
        invoice = self._invoice(self.customer, 100, "2026-06-15", "2026-07-15")
        self.assertEqual(str(invoice.credit_expected_payment_date), "2026-07-23")  # + round(7.5) = 8 days
        overdue = self._invoice(self.customer, 100, "2026-05-01", "2026-06-01")
        self.assertEqual(str(overdue.credit_expected_payment_date), "2026-06-30")  # 2026-06-09 is past: today
        newcomer = self._customer("No history")
        fresh = self._invoice(newcomer, 100, "2026-06-15", "2026-07-15")
        self.assertEqual(str(fresh.credit_expected_payment_date), "2026-07-15")
        self.assertFalse(self.inv_on_time.credit_expected_payment_date)  # paid
