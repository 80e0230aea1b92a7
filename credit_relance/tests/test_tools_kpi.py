import datetime
import doctest

from odoo.tests import BaseCase

from ..tools import kpi

D = datetime.date


class TestToolsKpi(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(kpi)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_quarter_example(self):
        # Quarter of 90 days: sales 90,000, opening 50,000, closing 60,000 of which 30,000 not due
        dso = kpi.dso_standard(60000, 90000, 90)
        best = kpi.best_possible_dso(30000, 90000, 90)
        self.assertEqual((dso, best, kpi.average_days_delinquent(dso, best)), (60.0, 30.0, 30.0))
        # collected 80,000 of 110,000 collectable
        self.assertAlmostEqual(kpi.cei(50000, 90000, 60000, 30000), 80000 / 110000 * 100)

    def test_no_sales(self):
        self.assertIsNone(kpi.dso_standard(1000, 0, 30))
        self.assertIsNone(kpi.best_possible_dso(1000, 0, 30))
        self.assertIsNone(kpi.average_days_delinquent(None, None))
        self.assertIsNone(kpi.dso_countback(1000, [(0, 31), (0, 30)]))
        # without sales, the CEI still measures collection of the opening receivables
        self.assertAlmostEqual(kpi.cei(1000, 0, 400, 0), 60.0)

    def test_credit_notes_make_sales_negative(self):
        self.assertIsNone(kpi.dso_standard(1000, -200, 30))
        # a month with net credit notes counts whole in the countback
        self.assertAlmostEqual(kpi.dso_countback(150, [(-50, 31), (300, 30)]), 31 + 15)

    def test_countback_lower_bound(self):
        self.assertEqual(kpi.dso_countback(1000, [(100, 31), (100, 28)]), 59)

    def test_late_payment_rates(self):
        self.assertEqual(kpi.late_payment_rates([(100, 0), (100, 1), (200, 0), (600, 3)]), (50.0, 70.0))
        self.assertEqual(kpi.late_payment_rates([(0, 3)]), (100.0, None))

    def test_aging_bucket_limits(self):
        cases = {0: "not_due", 1: "1_30", 30: "1_30", 31: "31_60", 60: "31_60", 61: "61_90",
                 90: "61_90", 91: "91_180", 180: "91_180", 181: "181_plus", 2000: "181_plus"}
        for days, bucket in cases.items():
            self.assertEqual(kpi.aging_bucket(days), bucket, days)

    def test_quarter_months_rejects_bad_quarter(self):
        with self.assertRaises(ValueError):
            kpi.quarter_months(2026, 5)
