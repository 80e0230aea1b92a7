"""Pure dispute arithmetic: deadlines, ages, shares. No ORM."""

import datetime


def default_deadline(open_date, sla_days):
    """Deadline of a dispute opened on ``open_date`` for a reason resolved in ``sla_days``.

    >>> default_deadline(datetime.date(2026, 3, 25), 10)
    datetime.date(2026, 4, 4)
    >>> default_deadline(None, 10) is None
    True
    """
    if not open_date:
        return None
    return open_date + datetime.timedelta(days=max(sla_days or 0, 0))


def age_days(open_date, on_date, close_date=None):
    """Days a dispute has been (or was) open: up to ``close_date`` when closed, else ``on_date``.

    >>> age_days(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    30
    >>> age_days(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2026, 3, 5))
    4
    """
    end = close_date or on_date
    return max((end - open_date).days, 0)


def share(part, total):
    """``part`` as a percentage of ``total``, 0 when the total is nil.

    >>> share(250, 1000)
    25.0
    >>> share(5, 0)
    0.0
    """
    if not total:
        return 0.0
    return round(100.0 * part / total, 2)


def split_disputed(residual, disputed):
    """Split an invoice's ``residual`` into its (disputed, undisputed) parts.

    The disputed part never exceeds the residual, the undisputed part is never negative.

    >>> split_disputed(1000.0, 300.0)
    (300.0, 700.0)
    >>> split_disputed(200.0, 300.0)
    (200.0, 0.0)
    """
    disputed = min(max(disputed, 0.0), max(residual, 0.0))
    return disputed, max(residual - disputed, 0.0)
