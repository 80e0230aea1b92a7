"""Receivable KPIs as plain functions (no ORM).

All amounts are in one currency (the company's). A ratio whose denominator is zero or
negative is undefined and returned as None: callers show an empty cell, never a fake 0.

>>> dso_standard(receivables=60000, sales=90000, days=90)
60.0
>>> best_possible_dso(current_receivables=30000, sales=90000, days=90)
30.0
>>> average_days_delinquent(60.0, 30.0)
30.0
>>> round(cei(opening=50000, sales=90000, closing_total=60000, closing_current=30000), 2)
72.73
"""

import datetime

AGING_BUCKETS = (
    ("not_due", "Not due"),
    ("1_30", "1-30"),
    ("31_60", "31-60"),
    ("61_90", "61-90"),
    ("91_180", "91-180"),
    ("181_plus", "> 180"),
)


def _ratio(numerator, denominator):
    if denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def dso_standard(receivables, sales, days):
    """DSO = receivables at the end of the period / sales of the period x days of the period.

    >>> dso_standard(1000, 0, 30) is None
    True
    """
    ratio = _ratio(receivables, sales)
    return None if ratio is None else ratio * days


def dso_countback(receivables, monthly_sales):
    """Countback DSO: days of the latest months whose sales exhaust the receivables.

    ``monthly_sales`` lists ``(sales, days)`` from the most recent month backwards. The
    receivables are matched against each month's sales in turn; the month that exhausts them
    counts pro rata. If all the months listed do not exhaust them, the result is the total of
    their days (a lower bound). None when there is no positive sale at all.

    >>> dso_countback(150, [(100, 31), (100, 30)])  # 31 + 50 / 100 x 30
    46.0
    >>> dso_countback(50, [(100, 30)])
    15.0
    >>> dso_countback(500, [(100, 31), (100, 30)])
    61.0
    >>> dso_countback(0, [(100, 30)])
    0.0
    """
    if not any(sales > 0 for sales, _days in monthly_sales):
        return None
    remaining = receivables
    total = 0
    for sales, days in monthly_sales:
        if remaining <= 0:
            break
        if sales <= 0:
            total += days
            continue
        if remaining <= sales:
            return total + remaining / sales * days
        remaining -= sales
        total += days
    return float(total)


def best_possible_dso(current_receivables, sales, days):
    """Best possible DSO = receivables not yet due / sales of the period x days."""
    return dso_standard(current_receivables, sales, days)


def average_days_delinquent(dso, best_dso):
    """ADD = DSO - best possible DSO: the days lost to late payment.

    >>> average_days_delinquent(None, 10) is None
    True
    """
    if dso is None or best_dso is None:
        return None
    return dso - best_dso


def cei(opening, sales, closing_total, closing_current):
    """Collection effectiveness index, in percent.

    CEI = (opening receivables + sales - closing total receivables)
        / (opening receivables + sales - closing current receivables) x 100.
    100 means everything collectable was collected.

    >>> cei(0, 0, 0, 0) is None
    True
    """
    collected = opening + sales - closing_total
    collectable = opening + sales - closing_current
    ratio = _ratio(collected, collectable)
    return None if ratio is None else ratio * 100


def late_payment_rates(invoices):
    """Share (percent) of paid invoices paid late, by count and by amount.

    ``invoices`` are ``(amount, days_late)`` pairs; returns ``(by_count, by_amount)``.

    >>> late_payment_rates([(100, 0), (300, 5)])
    (50.0, 75.0)
    >>> late_payment_rates([])
    (None, None)
    """
    invoices = list(invoices)
    if not invoices:
        return None, None
    late = [(amount, days) for amount, days in invoices if days > 0]
    by_count = len(late) / len(invoices) * 100
    by_amount = _ratio(sum(amount for amount, _d in late), sum(amount for amount, _d in invoices))
    return by_count, None if by_amount is None else by_amount * 100


def aging_bucket(days_overdue):
    """Key of the aging bucket for a number of days past the due date.

    >>> [aging_bucket(d) for d in (-3, 0, 1, 30, 31, 90, 91, 180, 181)]
    ['not_due', 'not_due', '1_30', '1_30', '31_60', '61_90', '91_180', '91_180', '181_plus']
    """
    if days_overdue <= 0:
        return "not_due"
    for limit, key in ((30, "1_30"), (60, "31_60"), (90, "61_90"), (180, "91_180")):
        if days_overdue <= limit:
            return key
    return "181_plus"


def aging(items, on_date):
    """Sum of residual amounts per aging bucket on ``on_date``.

    ``items`` are ``(due_date, residual)`` pairs; every bucket is present in the result.

    >>> d = datetime.date
    >>> aging([(d(2026, 1, 31), 100), (d(2025, 12, 15), 50), (d(2025, 1, 1), 10)], d(2026, 1, 31))
    {'not_due': 100, '1_30': 0, '31_60': 50, '61_90': 0, '91_180': 0, '181_plus': 10}
    """
    result = {key: 0 for key, _label in AGING_BUCKETS}
    for due_date, residual in items:
        result[aging_bucket((on_date - due_date).days)] += residual
    return result


def quarter_months(year, quarter):
    """First day of each month of a quarter (1-4).

    >>> quarter_months(2026, 2)
    [datetime.date(2026, 4, 1), datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)]
    """
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    return [datetime.date(year, 3 * (quarter - 1) + offset, 1) for offset in (1, 2, 3)]


def late_payment_rates_from_totals(paid_count, late_count, paid_amount, late_amount):
    """Same as :func:`late_payment_rates` from already summed counts and amounts.

    >>> late_payment_rates_from_totals(4, 2, 1000, 700)
    (50.0, 70.0)
    >>> late_payment_rates_from_totals(0, 0, 0, 0)
    (None, None)
    """
    by_count = _ratio(late_count, paid_count)
    by_amount = _ratio(late_amount, paid_amount)
    return (
        None if by_count is None else by_count * 100,
        None if by_amount is None else by_amount * 100,
    )
