import datetime
import doctest

from odoo.tests import BaseCase

from ..tools import behaviour as bh

D = datetime.date


def paid(invoice_date, due_date, paid_date, amount, disputed=False):
    return bh.PaidInvoice(invoice_date, due_date, paid_date, amount, disputed)


class TestToolsBehaviour(BaseCase):
    def setUp(self):
        super().setUp()
        # Hand-computed history, figures as of 2026-06-30 (12-month window from 2025-06-30 excluded)
        self.history = [
            # paid on time, 30 days to pay
            paid(D(2025, 9, 1), D(2025, 10, 1), D(2025, 10, 1), 1000.0),
            # 20 days late, 50 days to pay, disputed
            paid(D(2025, 11, 1), D(2025, 12, 1), D(2025, 12, 21), 500.0, disputed=True),
            # 10 days late (recent), 40 days to pay
            paid(D(2026, 4, 1), D(2026, 5, 1), D(2026, 5, 11), 500.0),
            # outside the window: paid 2025-06-30
            paid(D(2025, 5, 1), D(2025, 6, 1), D(2025, 6, 30), 9999.0, disputed=True),
        ]

    def test_doctests(self):
        result = doctest.testmod(bh)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_behaviour_on_hand_computed_history(self):
        figures = bh.behaviour(self.history, D(2026, 6, 30))
        self.assertEqual(figures["count"], 3)
        # (1000 x 0 + 500 x 20 + 500 x 10) / 2000 = 7.5
        self.assertAlmostEqual(figures["avg_days_late"], 7.5)
        self.assertAlmostEqual(figures["late_share"], 2 / 3)
        self.assertAlmostEqual(figures["late_amount_share"], 0.5)
        self.assertAlmostEqual(figures["avg_days_to_pay"], 40.0)
        self.assertAlmostEqual(figures["dispute_rate"], 1 / 3)
        # last 3 months (after 2026-03-30): 10 days; 9 months before: (0 x 1000 + 20 x 500) / 1500
        self.assertAlmostEqual(figures["trend"], 10 - 20 / 3)
        # share late 2/3 >= 50 %: high
        self.assertEqual(figures["risk_level"], "high")

    def test_risk_thresholds_are_configurable(self):
        thresholds = bh.RiskThresholds(moderate_days=5, high_days=8, moderate_share=0.9, high_share=1.0)
        self.assertEqual(bh.risk_level(7.5, 2 / 3, thresholds), "moderate")
        self.assertEqual(bh.risk_level(8, 0, thresholds), "high")
        self.assertEqual(bh.risk_level(0, 0, thresholds), "low")

    def test_empty_history(self):
        figures = bh.behaviour([], D(2026, 6, 30))
        self.assertEqual(figures["count"], 0)
        self.assertIsNone(figures["avg_days_late"])
        self.assertIsNone(figures["risk_level"])
        self.assertIsNone(figures["trend"])

    def test_zero_amounts_do_not_divide_by_zero(self):
        history = [paid(D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 10), 0.0)]
        self.assertIsNone(bh.avg_days_late(history))
        self.assertEqual(bh.late_share(history), 1.0)

    def test_payment_before_invoice_date_counts_zero_days(self):
        prepaid = paid(D(2026, 1, 10), D(2026, 2, 10), D(2026, 1, 5), 100.0)
        self.assertEqual(prepaid.days_to_pay, 0)
        self.assertEqual(prepaid.days_late, 0)
        self.assertFalse(prepaid.is_late)

    def test_expected_payment_date(self):
        self.assertEqual(bh.expected_payment_date(D(2026, 7, 31), 7.5, D(2026, 7, 1)), D(2026, 8, 8))
        self.assertEqual(bh.expected_payment_date(False, 7.5, D(2026, 7, 1)), None)
