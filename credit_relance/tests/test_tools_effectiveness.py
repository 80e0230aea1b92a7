import datetime

from odoo.tests import BaseCase

from ..tools.ab_testing import ab_bucket, ab_variant, split_variants
from ..tools.effectiveness import compare_variants, effectiveness_figures, paid_within, share

D = datetime.date


class TestToolsEffectiveness(BaseCase):
    def test_paid_within_counts_the_last_day_and_not_the_next(self):
        action = D(2025, 1, 10)
        self.assertTrue(paid_within(D(2025, 1, 15), action, 7))  # 5 days after
        self.assertTrue(paid_within(D(2025, 1, 17), action, 7))  # day 7 included
        self.assertFalse(paid_within(D(2025, 1, 18), action, 7))
        self.assertFalse(paid_within(D(2025, 2, 19), action, 30))  # 40 days after
        self.assertTrue(paid_within(D(2025, 2, 9), action, 30))
        self.assertTrue(paid_within(D(2025, 1, 9), action, 7))  # dated before the action: paid in time
        self.assertFalse(paid_within(None, action, 30))

    def test_share_rounds_and_has_no_value_without_data(self):
        self.assertEqual(share(1, 3), 33.3)
        self.assertEqual(share(1800, 2800), 64.3)
        self.assertEqual(share(2, 2), 100.0)
        self.assertIsNone(share(0, 0))

    def test_effectiveness_figures_hand_computed(self):
        # 2 actions, 4 invoices: one paid 5 days after, one 40 days after, one partially (300 of 800)
        figures = effectiveness_figures(2, 4, 1, 2, 2800.0, 1800.0)
        self.assertEqual(figures["paid_7_rate"], 25.0)
        self.assertEqual(figures["paid_30_rate"], 50.0)
        self.assertEqual(figures["collected_rate"], 64.3)
        self.assertEqual(figures["invoices_per_action"], 2.0)
        empty = effectiveness_figures(0, 0, 0, 0, 0.0, 0.0)
        self.assertIsNone(empty["paid_7_rate"])
        self.assertIsNone(empty["invoices_per_action"])
        with self.assertRaises(ValueError):
            effectiveness_figures(1, 1, 2, 1, 10.0, 0.0)

    def test_compare_variants_in_points(self):
        self.assertEqual(compare_variants({"paid_30_rate": 50.0}, {"paid_30_rate": 100.0}), 50.0)
        self.assertEqual(compare_variants({"paid_7_rate": 40.0}, {"paid_7_rate": 30.0}, key="paid_7_rate"), -10.0)
        self.assertIsNone(compare_variants({}, {"paid_30_rate": 10.0}))

    def test_ab_bucket_is_stable_and_spread(self):
        # fixed values: the split must not change between processes, machines or versions
        self.assertEqual([ab_bucket(partner_id, 7) for partner_id in range(1, 6)], [60, 32, 66, 46, 4])
        self.assertNotEqual(
            [ab_bucket(partner_id, 7) for partner_id in range(1, 50)],
            [ab_bucket(partner_id, 8) for partner_id in range(1, 50)],
        )

    def test_ab_split_is_deterministic_and_proportional(self):
        variant_a, variant_b = split_variants(range(1, 1001), 7, 30)
        self.assertEqual(len(variant_b), 289)
        self.assertEqual(len(variant_a), 711)
        self.assertTrue(250 <= len(variant_b) <= 350)
        self.assertEqual(split_variants(range(1, 1001), 7, 30), (variant_a, variant_b))
        self.assertEqual(len(split_variants(range(1, 1001), 7, 50)[1]), 505)

    def test_raising_the_share_only_moves_customers_to_b(self):
        _a30, b30 = split_variants(range(1, 501), 3, 30)
        _a60, b60 = split_variants(range(1, 501), 3, 60)
        self.assertLess(set(b30), set(b60))
        self.assertEqual(split_variants(range(1, 101), 3, 0)[1], [])
        self.assertEqual(split_variants(range(1, 101), 3, 100)[0], [])

    def test_ab_variant_rejects_a_share_out_of_range(self):
        self.assertEqual(ab_variant(5, 3, 0), "a")
        with self.assertRaises(ValueError):
            ab_variant(5, 3, 101)
        with self.assertRaises(ValueError):
            ab_variant(5, 3, -1)
