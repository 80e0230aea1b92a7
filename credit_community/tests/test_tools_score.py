import doctest

from odoo.tests import BaseCase

from ..tools import bands, behaviour, score


class TestScore(BaseCase):
    def test_doctests(self):
        for module in (score, bands, behaviour):
            result = doctest.testmod(module)
            self.assertGreater(result.attempted, 0, module.__name__)
            self.assertEqual(result.failed, 0, module.__name__)

    def test_score_table(self):
        """Hand-computed: between anchors (d0, s0) and (d1, s1), s0 + (s1 - s0) * (d - d0) / (d1 - d0)."""
        cases = [
            (-90, 100),  # far earlier than the first anchor
            (-30, 100),
            (-25, 95),  # 100 + (90 - 100) * 5 / 10
            (-20, 90),
            (-10, 85),  # 90 + (80 - 90) * 10 / 20
            (-1, 81),  # 90 - 10 * 19 / 20 = 80.5 -> 81 (half up)
            (0, 80),
            (3, 78),  # 80 - 10 * 3 / 15 = 78
            (7.5, 75),
            (15, 70),
            (20, 63),  # 70 - 20 * 5 / 15 = 63.33
            (22.5, 60),
            (30, 50),
            (45, 45),  # 50 - 10 * 15 / 30
            (60, 40),
            (75, 35),
            (90, 30),
            (100, 27),  # 30 - 10 * 10 / 30 = 26.67
            (120, 20),
            (365, 20),
        ]
        for days, expected in cases:
            with self.subTest(days=days):
                self.assertEqual(score.score_from_days(days), expected)

    def test_score_is_monotonic(self):
        values = [score.score_from_days(d / 2) for d in range(-100, 300)]
        self.assertEqual(values, sorted(values, reverse=True))
        self.assertTrue(all(20 <= v <= 100 for v in values))

    def test_weighted_average_days(self):
        # (1000 * 10 + 3000 * 30) / 4000 = 25; zero amounts carry no weight
        self.assertEqual(score.weighted_average_days([(1000, 10), (3000, 30), (0, 500)]), 25.0)
        self.assertIsNone(score.weighted_average_days([(0, 3)]))


class TestBands(BaseCase):
    def test_amount_bands_edges(self):
        self.assertEqual([bands.amount_band(a) for a in (None, -5, 999, 1000, 9999.99, 10000, 99999, 100000, 10**6)],
                         ["A", "A", "A", "B", "B", "C", "C", "D", "E"])
        weights = [bands.amount_band_weight(code) for code in bands.AMOUNT_BAND_CODES]
        self.assertEqual(weights, sorted(weights))
        with self.assertRaises(ValueError):
            bands.amount_band_weight("Z")

    def test_contributor_bands(self):
        self.assertEqual([bands.contributors_band(n) for n in (0, 2, 3, 5, 6, 10, 11)],
                         [None, None, "3-5", "3-5", "6-10", "6-10", ">10"])


class TestBehaviour(BaseCase):
    def test_window_and_trend(self):
        import datetime

        D = datetime.date
        on = D(2026, 6, 30)
        invoices = [
            # older half: paid 40 days late
            {"amount": 2000, "due_date": D(2025, 9, 1), "paid_date": D(2025, 10, 11), "disputed": False},
            # recent half: paid 5 days early
            {"amount": 2000, "due_date": D(2026, 5, 15), "paid_date": D(2026, 5, 10), "disputed": False},
            # outside the 12 months: ignored
            {"amount": 90000, "due_date": D(2025, 1, 1), "paid_date": D(2025, 3, 1), "disputed": True},
            # not paid: ignored
            {"amount": 500, "due_date": D(2026, 6, 1), "paid_date": None, "disputed": False},
        ]
        figures = behaviour.summarise(invoices, on)
        self.assertEqual(figures, {
            "paid_count": 2, "amount_band": "B", "avg_days_late": 17.5, "share_late": 0.5,
            "share_disputed": 0.0, "trend": "improving",
        })
        invoices[0]["paid_date"], invoices[1]["paid_date"] = D(2025, 9, 1), D(2026, 6, 14)
        self.assertEqual(behaviour.summarise(invoices, on)["trend"], "worsening")
        self.assertIsNone(behaviour.summarise(invoices[2:], on))
