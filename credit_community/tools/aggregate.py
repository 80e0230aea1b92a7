"""Aggregation of members' contributions on the hub, and the anti-differencing rules.

For one identifier the hub keeps the latest contribution of each member (a new batch of a
member replaces its previous figures for that customer) and combines them:

- **days beyond terms**: average of the members' averages, weighted by each member's amount
  band weight (:func:`~.bands.amount_band_weight`), so the combined figure stays
  amount-weighted although no member sends an amount;
- **score**: :func:`~.score.score_from_days` of that average;
- **share paid late / share disputed**: average of the members' shares weighted by their
  number of paid invoices;
- **trend**: weighted mean of ``improving`` (-1), ``stable`` (0), ``worsening`` (+1); below
  -1/3 it is improving, above +1/3 worsening, else stable.

Publication rules (a figure is published only when all hold, otherwise the identifier answers
exactly as an unknown one):

1. at least ``K`` distinct members contributed (``K`` defaults to 3 and is never below 3);
2. at least 5 paid invoices in total;
3. **dominance**: no member weighs more than ``max_member_share`` (default 60 %) of the amount
   weight. A dominant member would make the aggregate nearly equal to its own figures, and a
   reader knowing the others' could subtract them.

Anti-differencing: a member knows its own contribution, so with 3 contributors what it can
learn is the combination of the other two, never one of them. Comparing two successive
publications (before and after one member joins or updates) is blunted because the hub
publishes only rounded and banded values: score as an integer, days beyond terms rounded to
whole days, shares to 5 %, paid invoices and contributors as bands (never counts), the trend
as a word; and no member's figures are ever returned on their own.
"""

from . import bands, score

TRENDS = {"improving": -1, "stable": 0, "worsening": 1}
MIN_MEMBERS = 3
MIN_INVOICES = 5
MAX_MEMBER_SHARE = 0.6


def latest_per_member(contributions):
    """Keep the last contribution given for each member (input ordered oldest first).

    >>> latest_per_member([{"member": 1, "v": 1}, {"member": 2, "v": 2}, {"member": 1, "v": 3}])
    {1: {'member': 1, 'v': 3}, 2: {'member': 2, 'v': 2}}
    """
    result = {}
    for contribution in contributions:
        result[contribution["member"]] = contribution
    return result


def aggregate(contributions, min_members=MIN_MEMBERS, min_invoices=MIN_INVOICES, max_member_share=MAX_MEMBER_SHARE):
    """Combine the contributions of one identifier.

    :param contributions: dicts with ``member``, ``paid_count``, ``amount_band``,
        ``avg_days_late``, ``share_late``, ``share_disputed``, ``trend`` (oldest first)
    :param min_members: K, raised to 3 when lower
    :return: ``(figures, None)`` when published, ``(None, reason)`` otherwise; ``reason`` is
        one of ``members``, ``invoices``, ``dominance`` and never leaves the hub
    """
    members = latest_per_member(contributions)
    if len(members) < max(MIN_MEMBERS, int(min_members or 0)):
        return None, "members"
    rows = list(members.values())
    paid_total = sum(int(row["paid_count"]) for row in rows)
    if paid_total < max(MIN_INVOICES, int(min_invoices or 0)):
        return None, "invoices"
    weights = [bands.amount_band_weight(row["amount_band"]) for row in rows]
    weight_total = sum(weights)
    if max(weights) / weight_total > max_member_share:
        return None, "dominance"
    avg_days = sum(w * float(row["avg_days_late"]) for w, row in zip(weights, rows, strict=True)) / weight_total
    share_late = sum(int(row["paid_count"]) * float(row["share_late"]) for row in rows) / paid_total
    share_disputed = sum(int(row["paid_count"]) * float(row["share_disputed"]) for row in rows) / paid_total
    trend_value = sum(w * TRENDS[row["trend"]] for w, row in zip(weights, rows, strict=True)) / weight_total
    # compare 3 x value with 1 and a tolerance: exactly one third of the weight is "stable"
    if 3 * trend_value < -1 - 1e-9:
        trend = "improving"
    elif 3 * trend_value > 1 + 1e-9:
        trend = "worsening"
    else:
        trend = "stable"
    figures = {
        "score": score.score_from_days(avg_days),
        "avg_days_late": int(bands.round_to_step(avg_days, 1)),
        "share_late": bands.round_to_step(share_late, 0.05),
        "share_disputed": bands.round_to_step(share_disputed, 0.05),
        "trend": trend,
        "paid_invoices_band": bands.invoices_band(paid_total),
        "contributors_band": bands.contributors_band(len(rows)),
    }
    return figures, None
