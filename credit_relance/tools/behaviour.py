"""Payment behaviour of one customer, from its history of paid invoices (no ORM).

Each paid invoice is a :class:`PaidInvoice`; every figure below is a plain function of a list
of them. "Late" always means paid strictly after the due date; days late are
``max(0, paid date - due date)``.

>>> from datetime import date
>>> history = [
...     PaidInvoice(date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 31), 100.0),
...     PaidInvoice(date(2026, 2, 1), date(2026, 3, 3), date(2026, 3, 13), 300.0, disputed=True),
... ]
>>> avg_days_late(history)  # (100 x 0 + 300 x 10) / 400
7.5
>>> late_share(history), late_amount_share(history), dispute_rate(history)
(0.5, 0.75, 0.5)
>>> avg_days_to_pay(history)  # (30 + 40) / 2
35.0
"""

import calendar
import datetime
import math
from dataclasses import dataclass

RISK_LEVELS = ("low", "moderate", "high")


@dataclass(frozen=True)
class PaidInvoice:
    """One settled invoice: dates, amount (company currency) and whether it was disputed."""

    invoice_date: datetime.date
    due_date: datetime.date
    paid_date: datetime.date
    amount: float
    disputed: bool = False

    @property
    def days_late(self):
        """Days between due date and payment, 0 when paid on time.

        >>> PaidInvoice(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 5), 1).days_late
        5
        """
        return max(0, (self.paid_date - self.due_date).days)

    @property
    def days_to_pay(self):
        """Days between invoice date and payment (never negative)."""
        return max(0, (self.paid_date - self.invoice_date).days)

    @property
    def is_late(self):
        return self.paid_date > self.due_date


@dataclass(frozen=True)
class RiskThresholds:
    """Average days late and share of invoices paid late from which a customer is at risk."""

    moderate_days: float = 10.0
    high_days: float = 30.0
    moderate_share: float = 0.25
    high_share: float = 0.5


def add_months(day, months):
    """Same day ``months`` later (or earlier when negative), clamped to the month's end.

    >>> add_months(datetime.date(2026, 3, 31), -1)
    datetime.date(2026, 2, 28)
    >>> add_months(datetime.date(2026, 1, 15), -12)
    datetime.date(2025, 1, 15)
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(invoices, on_date, months=12):
    """Invoices paid in the ``months`` months up to ``on_date`` included.

    >>> inv = PaidInvoice(datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1), 1)
    >>> len(window([inv], datetime.date(2026, 3, 1))), len(window([inv], datetime.date(2026, 2, 28)))
    (0, 1)
    """
    start = add_months(on_date, -months)
    return [inv for inv in invoices if start < inv.paid_date <= on_date]


def _weighted(invoices, value):
    total = sum(inv.amount for inv in invoices)
    if not invoices or total <= 0:
        return None
    return sum(inv.amount * value(inv) for inv in invoices) / total


def avg_days_late(invoices):
    """Amount-weighted average days late: sum(amount x days late) / sum(amount); None if empty.

    >>> avg_days_late([]) is None
    True
    """
    return _weighted(invoices, lambda inv: inv.days_late)


def late_share(invoices):
    """Share (0-1) of invoices, by count, paid after their due date; None if empty."""
    if not invoices:
        return None
    return sum(1 for inv in invoices if inv.is_late) / len(invoices)


def late_amount_share(invoices):
    """Share (0-1) of the invoiced amount paid after the due date; None if empty or zero."""
    return _weighted(invoices, lambda inv: 1.0 if inv.is_late else 0.0)


def avg_days_to_pay(invoices):
    """Average number of days from invoice date to payment (per invoice, not weighted)."""
    if not invoices:
        return None
    return sum(inv.days_to_pay for inv in invoices) / len(invoices)


def dispute_rate(invoices):
    """Share (0-1) of invoices, by count, that were disputed; None if empty."""
    if not invoices:
        return None
    return sum(1 for inv in invoices if inv.disputed) / len(invoices)


def trend(invoices, on_date, recent_months=3, months=12):
    """Average days late of the last ``recent_months`` minus that of the months before.

    Positive: the customer pays later than it used to (worsening). None when either period
    has no paid invoice.

    >>> d = datetime.date
    >>> old = PaidInvoice(d(2025, 5, 1), d(2025, 6, 1), d(2025, 6, 5), 100)    # 4 days late
    >>> new = PaidInvoice(d(2026, 3, 1), d(2026, 4, 1), d(2026, 4, 15), 100)   # 14 days late
    >>> trend([old, new], d(2026, 5, 31))
    10.0
    >>> trend([new], d(2026, 5, 31)) is None
    True
    """
    split = add_months(on_date, -recent_months)
    recent = [inv for inv in window(invoices, on_date, months) if inv.paid_date > split]
    before = [inv for inv in window(invoices, on_date, months) if inv.paid_date <= split]
    recent_avg, before_avg = avg_days_late(recent), avg_days_late(before)
    if recent_avg is None or before_avg is None:
        return None
    return recent_avg - before_avg


def risk_level(average_days_late, share_late, thresholds=None):
    """``'high'``, ``'moderate'`` or ``'low'``: the worst level either figure reaches.

    ``share_late`` is a 0-1 share. Returns None when there is no history (both None).

    >>> risk_level(12, 0.1), risk_level(3, 0.6), risk_level(2, 0.1), risk_level(None, None)
    ('moderate', 'high', 'low', None)
    """
    if average_days_late is None and share_late is None:
        return None
    thresholds = thresholds or RiskThresholds()
    days = average_days_late or 0.0
    share = share_late or 0.0
    if days >= thresholds.high_days or share >= thresholds.high_share:
        return "high"
    if days >= thresholds.moderate_days or share >= thresholds.moderate_share:
        return "moderate"
    return "low"


def expected_payment_date(due_date, average_days_late, today):
    """When an open invoice should be paid, judging by the customer's history.

    Due date plus the customer's amount-weighted average days late (rounded half up to whole days);
    a customer without history is expected to pay on the due date. A date already past is
    replaced by ``today``: the invoice is still open, so it is expected from now on.

    >>> d = datetime.date
    >>> expected_payment_date(d(2026, 6, 30), 7.6, d(2026, 6, 1))
    datetime.date(2026, 7, 8)
    >>> expected_payment_date(d(2026, 5, 1), 7.6, d(2026, 6, 1))
    datetime.date(2026, 6, 1)
    >>> expected_payment_date(d(2026, 6, 30), None, d(2026, 6, 1))
    datetime.date(2026, 6, 30)
    """
    if not due_date:
        return None
    expected = due_date + datetime.timedelta(days=math.floor((average_days_late or 0) + 0.5))
    return max(expected, today)


def behaviour(invoices, on_date, months=12, recent_months=3, thresholds=None):
    """All figures of one customer over the window of ``months`` ending on ``on_date``.

    Returns a dict: ``avg_days_late``, ``late_share``, ``late_amount_share``,
    ``avg_days_to_pay``, ``trend``, ``dispute_rate`` (shares as 0-1, None if no invoice),
    ``risk_level`` and ``count``.
    """
    paid = window(invoices, on_date, months)
    result = {
        "count": len(paid),
        "avg_days_late": avg_days_late(paid),
        "late_share": late_share(paid),
        "late_amount_share": late_amount_share(paid),
        "avg_days_to_pay": avg_days_to_pay(paid),
        "trend": trend(paid, on_date, recent_months, months),
        "dispute_rate": dispute_rate(paid),
    }
    result["risk_level"] = risk_level(result["avg_days_late"], result["late_share"], thresholds)
    return result
