"""Pure helpers of the collection-agency hand-over file: CSV rows and amounts, no ORM.

The CSV has one row per item, the first column telling what the row is:

* ``invoice``: an open invoice handed over (reference, dates, amounts, days late);
* ``letter``: a dunning act sent to the customer (date, channel, step, invoices);
* ``dispute``: a dispute of the customer (reference, opening date, reason, stage, amount).
"""

import csv
import datetime
import io

#: Fixed recovery indemnity per invoice paid late (France, Code de commerce L441-10 and D441-5).
RECOVERY_INDEMNITY = 40.0

CSV_HEADER = ["record", "reference", "date", "due_date", "label", "amount", "residual", "days_late", "state"]


def days_late(due_date, on_date):
    """Days between the due date and ``on_date``, 0 when not late.

    >>> days_late(datetime.date(2026, 1, 31), datetime.date(2026, 3, 2))
    30
    >>> days_late(datetime.date(2026, 3, 31), datetime.date(2026, 3, 2))
    0
    >>> days_late(None, datetime.date(2026, 3, 2))
    0
    """
    if not due_date or on_date <= due_date:
        return 0
    return (on_date - due_date).days


def recovery_indemnity(late_invoice_count, per_invoice=RECOVERY_INDEMNITY):
    """Fixed recovery indemnity owed for ``late_invoice_count`` invoices paid late.

    >>> recovery_indemnity(3)
    120.0
    >>> recovery_indemnity(0)
    0.0
    """
    return float(max(late_invoice_count, 0)) * per_invoice


def _fmt_date(value):
    return value.isoformat() if isinstance(value, datetime.date) else (value or "")


def _fmt_amount(value):
    return "" if value is None else f"{value:.2f}"


def build_csv(invoices, letters, disputes):
    """Return the hand-over CSV text.

    :param invoices: iterable of dicts with ``reference, date, due_date, amount, residual,
        days_late``
    :param letters: iterable of dicts with ``date, channel, label, references, amount, state``
    :param disputes: iterable of dicts with ``reference, date, reason, stage, amount, resolution``
    :returns: ``str`` with a header line, comma-separated, RFC 4180 quoting

    >>> text = build_csv(
    ...     [{"reference": "INV/1", "date": datetime.date(2026, 1, 1),
    ...       "due_date": datetime.date(2026, 1, 31), "amount": 120.0, "residual": 100.0,
    ...       "days_late": 30}],
    ...     [{"date": datetime.date(2026, 2, 15), "channel": "E-mail", "label": "Reminder 1",
    ...       "references": "INV/1", "amount": 100.0, "state": "Done"}],
    ...     [])
    >>> text.splitlines()[1]
    'invoice,INV/1,2026-01-01,2026-01-31,,120.00,100.00,30,'
    >>> text.splitlines()[2]
    'letter,INV/1,2026-02-15,,E-mail: Reminder 1,100.00,,,Done'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for inv in invoices:
        writer.writerow([
            "invoice", inv["reference"], _fmt_date(inv.get("date")), _fmt_date(inv.get("due_date")), "",
            _fmt_amount(inv.get("amount")), _fmt_amount(inv.get("residual")), inv.get("days_late", 0), "",
        ])
    for letter in letters:
        label = ": ".join(part for part in (letter.get("channel"), letter.get("label")) if part)
        writer.writerow([
            "letter", letter.get("references", ""), _fmt_date(letter.get("date")), "", label,
            _fmt_amount(letter.get("amount")), "", "", letter.get("state", ""),
        ])
    for dispute in disputes:
        label = " / ".join(part for part in (dispute.get("reason"), dispute.get("resolution")) if part)
        writer.writerow([
            "dispute", dispute["reference"], _fmt_date(dispute.get("date")), "", label,
            _fmt_amount(dispute.get("amount")), "", "", dispute.get("stage", ""),
        ])
    return buffer.getvalue()
