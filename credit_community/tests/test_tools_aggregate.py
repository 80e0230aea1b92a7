import doctest

from odoo.tests import BaseCase

from ..tools import aggregate


def contribution(member, band="B", days=0.0, paid=2, late=0.0, disputed=0.0, trend="stable"):
    return {"member": member, "paid_count": paid, "amount_band": band, "avg_days_late": days,
            "share_late": late, "share_disputed": disputed, "trend": trend}


class TestAggregate(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(aggregate)
        self.assertEqual(result.failed, 0)

    def test_three_equal_members_published(self):
        figures, reason = aggregate.aggregate([
            contribution(1, days=0, late=0.0),
            contribution(2, days=30, late=1.0, disputed=0.5),
            contribution(3, days=60, late=0.5, trend="worsening"),
        ])
        self.assertIsNone(reason)
        # equal weights: (0 + 30 + 60) / 3 = 30 days -> 50; shares by invoices: (0 + 2 + 1) / 6
        self.assertEqual(figures, {
            "score": 50, "avg_days_late": 30, "share_late": 0.5, "share_disputed": 0.15,
            "trend": "stable", "paid_invoices_band": "5-19", "contributors_band": "3-5",
        })

    def test_amount_weighting(self):
        # weights A=316.2, B=3162.3, B: (316.2 * 90 + 3162.3 * 0 * 2) / 6640.8 = 4.29 days -> 77
        figures, _reason = aggregate.aggregate([
            contribution(1, band="A", days=90), contribution(2, band="B", days=0), contribution(3, band="B", days=0),
        ])
        self.assertEqual(figures["avg_days_late"], 4)
        self.assertEqual(figures["score"], 77)

    def test_below_k_not_published(self):
        self.assertEqual(aggregate.aggregate([contribution(1, paid=10), contribution(2, paid=10)]), (None, "members"))
        # K configured at 2 is raised to 3
        self.assertEqual(aggregate.aggregate([contribution(1, paid=10), contribution(2, paid=10)], min_members=2),
                         (None, "members"))
        # K = 4 with three members
        rows = [contribution(m) for m in (1, 2, 3)]
        self.assertEqual(aggregate.aggregate(rows, min_members=4), (None, "members"))
        self.assertIsNone(aggregate.aggregate(rows, min_members=3)[1])

    def test_latest_contribution_per_member_counts_once(self):
        rows = [contribution(1, days=100), contribution(2), contribution(1, days=0)]
        self.assertEqual(aggregate.aggregate(rows), (None, "members"))
        rows.append(contribution(3))
        self.assertEqual(aggregate.aggregate(rows)[0]["score"], 80)

    def test_too_few_invoices(self):
        rows = [contribution(1, paid=1), contribution(2, paid=1), contribution(3, paid=2)]
        self.assertEqual(aggregate.aggregate(rows), (None, "invoices"))
        rows[2]["paid_count"] = 3
        self.assertIsNone(aggregate.aggregate(rows)[1])

    def test_dominant_member_suppressed(self):
        # C weighs 31623 against 2 x 3162: 83 % of the weight
        rows = [contribution(1, band="B"), contribution(2, band="B"), contribution(3, band="C")]
        self.assertEqual(aggregate.aggregate(rows), (None, "dominance"))
        # with a fourth C member no one weighs more than 60 %
        rows.append(contribution(4, band="C"))
        self.assertIsNone(aggregate.aggregate(rows)[1])
        # a stricter threshold suppresses it again (31623 / 69570 = 45 %)
        self.assertEqual(aggregate.aggregate(rows, max_member_share=0.4), (None, "dominance"))

    def test_contributor_band_and_trend(self):
        rows = [contribution(m, trend="improving") for m in range(1, 12)]
        figures, _reason = aggregate.aggregate(rows)
        self.assertEqual((figures["contributors_band"], figures["trend"], figures["paid_invoices_band"]),
                         (">10", "improving", "20-49"))
