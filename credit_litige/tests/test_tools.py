import csv
import datetime
import io

from odoo.tests import BaseCase

from ..tools.dispute import age_days, default_deadline, share, split_disputed
from ..tools.handover_file import CSV_HEADER, build_csv, days_late, recovery_indemnity


class TestDisputeTools(BaseCase):
    def test_default_deadline(self):
        self.assertEqual(default_deadline(datetime.date(2026, 12, 25), 10), datetime.date(2027, 1, 4))
        self.assertEqual(default_deadline(datetime.date(2026, 1, 1), 0), datetime.date(2026, 1, 1))
        self.assertEqual(default_deadline(datetime.date(2026, 1, 1), -5), datetime.date(2026, 1, 1))
        self.assertIsNone(default_deadline(None, 3))

    def test_age(self):
        self.assertEqual(age_days(datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)), 28)
        self.assertEqual(age_days(datetime.date(2026, 2, 1), datetime.date(2026, 3, 1), datetime.date(2026, 2, 3)), 2)
        self.assertEqual(age_days(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)), 0)

    def test_share_and_split(self):
        self.assertEqual(share(1, 3), 33.33)
        self.assertEqual(share(0, 0), 0.0)
        self.assertEqual(split_disputed(100.0, -5.0), (0.0, 100.0))
        self.assertEqual(split_disputed(100.0, 40.0), (40.0, 60.0))


class TestHandoverFileTools(BaseCase):
    def test_days_late_and_indemnity(self):
        self.assertEqual(days_late(datetime.date(2026, 2, 28), datetime.date(2026, 3, 1)), 1)
        self.assertEqual(days_late(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)), 0)
        self.assertEqual(recovery_indemnity(2), 80.0)
        self.assertEqual(recovery_indemnity(-1), 0.0)

    def test_build_csv_quotes_and_orders(self):
        text = build_csv(
            [{"reference": 'INV/"1", a', "date": datetime.date(2026, 1, 1), "due_date": None, "amount": 1.5,
              "residual": 1.5, "days_late": 0}],
            [{"date": datetime.date(2026, 1, 2), "channel": "SMS", "label": "", "references": "INV/1",
              "amount": 1.5, "state": "Done"}],
            [{"reference": "DSP/1", "date": datetime.date(2026, 1, 3), "reason": "Price", "stage": "New",
              "amount": 1.0, "resolution": ""}],
        )
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], CSV_HEADER)
        self.assertEqual([row[0] for row in rows[1:]], ["invoice", "letter", "dispute"])
        self.assertEqual(rows[1][1], 'INV/"1", a', "commas and quotes survive")
        self.assertEqual(rows[2][4], "SMS")
        self.assertEqual(rows[3][4], "Price")
        self.assertEqual(build_csv([], [], []).strip(), ",".join(CSV_HEADER))
