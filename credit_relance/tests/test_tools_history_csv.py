import datetime
import doctest

from odoo.tests import BaseCase

from ..tools import history_csv

HEADER = b"customerID,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate\n"


class TestToolsHistoryCsv(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(history_csv)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_row_checks(self):
        rows, errors = history_csv.parse_history_csv(
            HEADER
            + b"C1,F1,2026-01-05,2026-02-04,10,yes,2026-02-10\n"  # ISO dates, lower-case yes
            + b"\n"  # blank lines are skipped
            + b"C1,F2,2/5/2026,1/5/2026,10,No,2/10/2026\n"  # due before invoice
            + b"C1,F3,1/5/2026,2/4/2026,-3,No,2/10/2026\n"  # negative amount
            + b"C1,F4,1/5/2026,2/4/2026,10,No,2/10/2026,extra\n"  # one value too many
            + b",,1/5/2026,2/4/2026,10,No,2/10/2026\n"  # no customer, no number
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].invoice_date, datetime.date(2026, 1, 5))
        self.assertTrue(rows[0].disputed)
        self.assertEqual(
            [(error.row, error.code) for error in errors],
            [(4, "due_before_invoice"), (5, "amount_not_positive"), (6, "extra_values"),
             (7, "empty_value"), (7, "empty_value")],
        )
        self.assertEqual(str(errors[-1]), "invoiceNumber is empty")

    def test_file_errors(self):
        for content, code in ((b"", "empty_file"), (b"customerID\nC1\n", "missing_columns"),
                              (b"\xff\xfe", "bad_encoding")):
            with self.assertRaises(history_csv.HistoryFileError) as caught:
                history_csv.parse_history_csv(content)
            self.assertEqual(caught.exception.code, code)
        with self.assertRaises(history_csv.HistoryFileError) as caught:
            history_csv.parse_history_csv(HEADER, encoding="klingon")
        self.assertEqual(caught.exception.code, "unknown_encoding")

    def test_semicolon_files_with_bom(self):
        content = "\ufeff" + HEADER.decode().replace(",", ";") + "C1;F1;1/5/2026;2/4/2026;10.5;No;2/4/2026\n"
        rows, errors = history_csv.parse_history_csv(content.encode(), delimiter=";")
        self.assertEqual((len(rows), errors, rows[0].amount), (1, [], 10.5))
