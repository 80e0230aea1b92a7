"""A member's own payment behaviour of one customer, as sent to the hub.

Input: the customer's paid invoices (amount in company currency, due date, date of the last
payment reconciled with it, whether it is in dispute). Output: anonymised figures over the
12 months before ``on_date`` (by payment date): number of paid invoices, amount band (never the
amount), amount-weighted average days beyond terms, share paid late, share disputed and trend.
No date, number or amount of any invoice is in the output.

Trend: the amount-weighted average days beyond terms of the invoices paid in the last 6 months
against the 6 months before; 5 days better or more is ``improving``, 5 days worse or more is
``worsening``, anything else (or one half without invoice) ``stable``.
"""

import datetime

from . import bands, score

WINDOW_DAYS = 365
HALF_DAYS = 182
TREND_THRESHOLD = 5


def summarise(invoices, on_date):
    """Figures of one customer, or ``None`` when no invoice was paid in the window.

    >>> import pprint
    >>> D = datetime.date
    >>> pprint.pprint(summarise([
    ...     {"amount": 1000, "due_date": D(2026, 1, 31), "paid_date": D(2026, 2, 10), "disputed": False},
    ...     {"amount": 3000, "due_date": D(2026, 2, 28), "paid_date": D(2026, 2, 28), "disputed": True},
    ... ], D(2026, 6, 30)))
    {'amount_band': 'B',
     'avg_days_late': 2.5,
     'paid_count': 2,
     'share_disputed': 0.5,
     'share_late': 0.5,
     'trend': 'stable'}
    """
    start = on_date - datetime.timedelta(days=WINDOW_DAYS)
    half = on_date - datetime.timedelta(days=HALF_DAYS)
    rows = [inv for inv in invoices if inv["paid_date"] and start < inv["paid_date"] <= on_date]
    if not rows:
        return None

    def days(inv):
        return (inv["paid_date"] - inv["due_date"]).days

    avg = score.weighted_average_days([(float(inv["amount"]), days(inv)) for inv in rows])
    recent = score.weighted_average_days(
        [(float(inv["amount"]), days(inv)) for inv in rows if inv["paid_date"] > half])
    older = score.weighted_average_days(
        [(float(inv["amount"]), days(inv)) for inv in rows if inv["paid_date"] <= half])
    trend = "stable"
    if recent is not None and older is not None:
        if recent - older <= -TREND_THRESHOLD:
            trend = "improving"
        elif recent - older >= TREND_THRESHOLD:
            trend = "worsening"
    count = len(rows)
    return {
        "paid_count": count,
        "amount_band": bands.amount_band(sum(float(inv["amount"]) for inv in rows)),
        "avg_days_late": round(avg if avg is not None else 0.0, 1),
        "share_late": round(sum(1 for inv in rows if days(inv) > 0) / count, 2),
        "share_disputed": round(sum(1 for inv in rows if inv["disputed"]) / count, 2),
        "trend": trend,
    }
