"""PAYDEX-like community score (0-100) from the days beyond terms.

The score reads an amount-weighted average of the days between the due date and the payment
date of paid invoices (negative when paid before the due date). It is a piecewise-linear
function through these anchors, constant outside them:

=================  =====
days beyond terms  score
=================  =====
-30 or earlier     100   (pays a month early)
-20                 90
0                   80   (pays on terms)
15                  70
30                  50
60                  40
90                  30
120 or later        20
=================  =====

Between two anchors the score is interpolated linearly and rounded half up to an integer,
e.g. 7.5 days late -> 75, 45 days -> 45, 10 days early -> 85.
"""

import itertools
import math

ANCHORS = (
    (-30.0, 100.0),
    (-20.0, 90.0),
    (0.0, 80.0),
    (15.0, 70.0),
    (30.0, 50.0),
    (60.0, 40.0),
    (90.0, 30.0),
    (120.0, 20.0),
)


def _round_half_up(value):
    return math.floor(value + 0.5)


def score_from_days(days):
    """Community score for an average of ``days`` beyond terms.

    >>> score_from_days(0), score_from_days(15), score_from_days(30), score_from_days(200)
    (80, 70, 50, 20)
    >>> score_from_days(-45), score_from_days(-10), score_from_days(7.5)
    (100, 85, 75)
    """
    days = float(days)
    if days <= ANCHORS[0][0]:
        return _round_half_up(ANCHORS[0][1])
    for (d0, s0), (d1, s1) in itertools.pairwise(ANCHORS):
        if days <= d1:
            return _round_half_up(s0 + (s1 - s0) * (days - d0) / (d1 - d0))
    return _round_half_up(ANCHORS[-1][1])


def weighted_average_days(items):
    """Amount-weighted average of days beyond terms of ``(amount, days)`` pairs, or ``None``.

    >>> weighted_average_days([(1000, 10), (3000, 30)])
    25.0
    >>> weighted_average_days([]) is None
    True
    """
    total = sum(amount for amount, _days in items if amount > 0)
    if not total:
        return None
    return sum(amount * days for amount, days in items if amount > 0) / total
