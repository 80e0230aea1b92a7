"""Late-payment interest, accrued per half-year at that half-year's rate.

French law (Code de commerce L441-10) and the EU directive 2011/7 set the rate of late-payment
interest per half-year: the ECB main refinancing rate in force on 1 January (for January-June)
or 1 July (for July-December) plus a margin (10 points in France, 8 in the directive). A delay
that spans several half-years accrues at each half-year's rate for the days that fall in it::

    interest = sum over half-years H of residual * rate(H) * days_late_in(H) / 365

Days late run from the day after the due date up to and including the computation date.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal


def half_year(day):
    """Return ``(year, 1)`` for January-June and ``(year, 2)`` for July-December.

    >>> half_year(datetime.date(2026, 6, 30)), half_year(datetime.date(2026, 7, 1))
    ((2026, 1), (2026, 2))
    """
    return (day.year, 1 if day.month <= 6 else 2)


def half_year_bounds(key):
    """First and last day of the half-year ``(year, half)``.

    >>> half_year_bounds((2025, 2))
    (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    """
    year, half = key
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def half_year_code(key):
    """``(2026, 1)`` -> ``"2026-H1"``."""
    return f"{key[0]}-H{key[1]}"


def days_late_per_half_year(due_date, on_date):
    """Split the days late of an invoice into the half-years they fall in.

    Returns a list of ``((year, half), days)``, oldest first; empty when not late.

    >>> days_late_per_half_year(datetime.date(2026, 6, 20), datetime.date(2026, 7, 10))
    [((2026, 1), 10), ((2026, 2), 10)]
    """
    if on_date <= due_date:
        return []
    first_day = due_date + datetime.timedelta(days=1)
    result = []
    key = half_year(first_day)
    while True:
        start, end = half_year_bounds(key)
        seg_start, seg_end = max(start, first_day), min(end, on_date)
        if seg_start > on_date:
            break
        result.append((key, (seg_end - seg_start).days + 1))
        key = (key[0], 2) if key[1] == 1 else (key[0] + 1, 1)
    return result


class MissingRateError(LookupError):
    """No rate is known for a half-year the delay runs through."""

    def __init__(self, key):
        super().__init__(half_year_code(key))
        self.key = key


def late_interest(residual, due_date, on_date, rate_for, margin=0.0, contractual_rate=None):
    """Late-payment interest on ``residual`` from ``due_date`` to ``on_date``.

    :param residual: amount still due (company or invoice currency, unrounded result)
    :param rate_for: callable ``(year, half) -> reference rate in percent`` or ``None``
        when unknown; a ``dict`` keyed by ``(year, half)`` works too
    :param margin: points added to the reference rate (10 in France, 8 in the EU directive)
    :param contractual_rate: percent per year that replaces reference + margin when set
    :returns: ``(interest, details)`` where ``details`` lists
        ``{"half_year": "2026-H1", "days": 30, "rate": 12.15, "amount": Decimal}``
    :raises MissingRateError: when a half-year has no rate and no contractual rate is given

    >>> rates = {(2026, 1): 2.15}
    >>> amount, _ = late_interest(10000, datetime.date(2026, 1, 31), datetime.date(2026, 3, 2),
    ...                           rates, margin=10)
    >>> amount
    Decimal('99.86')
    """
    lookup = rate_for.get if isinstance(rate_for, dict) else rate_for
    residual = Decimal(str(residual))
    total = Decimal(0)
    details = []
    for key, days in days_late_per_half_year(due_date, on_date):
        if contractual_rate is not None:
            rate = Decimal(str(contractual_rate))
        else:
            reference = lookup(key)
            if reference is None:
                raise MissingRateError(key)
            rate = Decimal(str(reference)) + Decimal(str(margin))
        amount = residual * rate / Decimal(100) * Decimal(days) / Decimal(365)
        total += amount
        details.append({"half_year": half_year_code(key), "days": days, "rate": float(rate), "amount": amount})
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), details
