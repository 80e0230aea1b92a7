import datetime
import doctest
from decimal import Decimal

from odoo.tests import BaseCase

from ..tools import late_interest as li

D = datetime.date
# ECB main refinancing rates on 1 January / 1 July (the defaults the addon ships)
ECB = {(2024, 1): 4.50, (2024, 2): 4.25, (2025, 1): 3.15, (2025, 2): 2.15, (2026, 1): 2.15}


class TestLateInterest(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(li)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_french_rate_30_days_in_one_half_year(self):
        amount, details = li.late_interest(10000, D(2026, 1, 31), D(2026, 3, 2), ECB, margin=10)
        self.assertEqual(amount, Decimal("99.86"))
        self.assertEqual(details[0]["days"], 30)
        self.assertEqual(details[0]["rate"], 12.15)

    def test_delay_spanning_two_half_years_uses_both_rates(self):
        # 10 days in 2025-H1 at 13.15 %, 20 days in 2025-H2 at 12.15 %
        amount, details = li.late_interest(10000, D(2025, 6, 20), D(2025, 7, 20), ECB, margin=10)
        expected = Decimal(10000) * (Decimal("13.15") * 10 + Decimal("12.15") * 20) / 100 / 365
        self.assertEqual(amount, expected.quantize(Decimal("0.01")))
        self.assertEqual([(d["half_year"], d["days"]) for d in details], [("2025-H1", 10), ("2025-H2", 20)])

    def test_not_late_gives_nothing(self):
        self.assertEqual(li.late_interest(500, D(2026, 3, 1), D(2026, 3, 1), ECB, margin=10)[0], Decimal("0.00"))
        self.assertEqual(li.days_late_per_half_year(D(2026, 3, 1), D(2026, 2, 1)), [])

    def test_missing_rate_is_reported_with_its_half_year(self):
        with self.assertRaises(li.MissingRateError) as caught:
            li.late_interest(1000, D(2026, 6, 1), D(2026, 8, 1), ECB, margin=10)
        self.assertEqual(str(caught.exception), "2026-H2")

    def test_contractual_rate_replaces_reference(self):
        amount, _ = li.late_interest(3650, D(2026, 1, 1), D(2026, 1, 11), {}, contractual_rate=10)
        self.assertEqual(amount, Decimal("10.00"))

    def test_long_delay_crosses_years(self):
        split = li.days_late_per_half_year(D(2024, 12, 31), D(2026, 1, 5))
        self.assertEqual([k for k, _ in split], [(2025, 1), (2025, 2), (2026, 1)])
        self.assertEqual(sum(days for _, days in split), (D(2026, 1, 5) - D(2024, 12, 31)).days)
