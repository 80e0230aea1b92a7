"""Scenario effectiveness ratios (no ORM).

Definitions (the effectiveness report computes the per-invoice flags in SQL, these functions
turn counts and sums into the figures a supervisor compares):

- an *action* is a done dunning action; the *invoices dunned* are its invoice lines not skipped;
- an invoice is *paid within N days* of an action when it is fully paid and its paid date (the
  latest reconciliation date of its receivable lines) is at most N days after the action's date;
- the *amount collected within 30 days* is the sum of the reconciliations (payments, credit
  notes) of the dunned invoices dated from the action's date to 30 days after it, in company
  currency; partial payments count for their amount.
"""

import datetime


def paid_within(paid_date, action_date, days):
    """Whether an invoice paid on ``paid_date`` was paid at most ``days`` days after ``action_date``.

    An unpaid invoice (``paid_date`` None) is not paid within any delay. A paid date before the
    action (payment recorded late, with an earlier date) counts as paid in time.

    >>> paid_within(datetime.date(2025, 1, 8), datetime.date(2025, 1, 1), 7)
    True
    >>> paid_within(datetime.date(2025, 1, 9), datetime.date(2025, 1, 1), 7)
    False
    >>> paid_within(None, datetime.date(2025, 1, 1), 30)
    False
    """
    if paid_date is None or action_date is None:
        return False
    return paid_date <= action_date + datetime.timedelta(days=days)


def share(part, whole, digits=1):
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero (nothing to compare).

    >>> share(1, 3)
    33.3
    >>> share(0, 0) is None
    True
    """
    if not whole:
        return None
    return round(100.0 * part / whole, digits)


def effectiveness_figures(actions, invoices, paid_7, paid_30, amount_dunned, amount_collected_30):
    """Figures of one scenario / step / channel / variant from its counts and sums.

    :param actions: number of done actions
    :param invoices: number of invoices dunned (an invoice dunned twice counts twice)
    :param paid_7: invoices paid within 7 days of their action
    :param paid_30: invoices paid within 30 days of their action
    :param amount_dunned: residual of the dunned invoices at the action, company currency
    :param amount_collected_30: amount reconciled within 30 days of the action
    :return: dict with the inputs and ``paid_7_rate``, ``paid_30_rate`` (% of invoices),
        ``collected_rate`` (% of the amount dunned), ``invoices_per_action``

    >>> figures = effectiveness_figures(2, 4, 1, 3, 1000.0, 600.0)
    >>> figures["paid_7_rate"], figures["paid_30_rate"], figures["collected_rate"]
    (25.0, 75.0, 60.0)
    """
    if paid_7 > paid_30 or paid_30 > invoices:
        raise ValueError("paid within 7 days <= paid within 30 days <= invoices dunned")
    return {
        "actions": actions,
        "invoices": invoices,
        "paid_7": paid_7,
        "paid_30": paid_30,
        "amount_dunned": amount_dunned,
        "amount_collected_30": amount_collected_30,
        "paid_7_rate": share(paid_7, invoices),
        "paid_30_rate": share(paid_30, invoices),
        "collected_rate": share(amount_collected_30, amount_dunned),
        "invoices_per_action": round(invoices / actions, 2) if actions else None,
    }


def compare_variants(figures_a, figures_b, key="paid_30_rate"):
    """Difference B - A of one rate, in percentage points; None when one side has no data.

    >>> compare_variants({"paid_30_rate": 40.0}, {"paid_30_rate": 55.5})
    15.5
    >>> compare_variants({"paid_30_rate": None}, {"paid_30_rate": 55.5}) is None
    True
    """
    rate_a, rate_b = figures_a.get(key), figures_b.get(key)
    if rate_a is None or rate_b is None:
        return None
    return round(rate_b - rate_a, 1)
