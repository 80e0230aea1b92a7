"""Bands that replace exact figures in what members send and what the hub publishes.

Amount bands: a member never sends the amount it invoiced a customer, only its band over the
12 months. The hub weighs each member's figures by the band's representative amount (the
geometric middle of the band), so amount weighting survives anonymisation.

Contributor bands: the hub never says how many members contributed, only ``3-5``, ``6-10``
or ``>10``.
"""

import math

# code, lower bound (included), upper bound (excluded, None = no bound), label
AMOUNT_BANDS = (
    ("A", 0, 1_000, "< 1k"),
    ("B", 1_000, 10_000, "1k - 10k"),
    ("C", 10_000, 100_000, "10k - 100k"),
    ("D", 100_000, 1_000_000, "100k - 1M"),
    ("E", 1_000_000, None, ">= 1M"),
)
AMOUNT_BAND_CODES = tuple(band[0] for band in AMOUNT_BANDS)

CONTRIBUTOR_BANDS = (
    (3, 5, "3-5"),
    (6, 10, "6-10"),
    (11, None, ">10"),
)

# Paid invoices in total, as published
INVOICE_BANDS = (
    (5, 19, "5-19"),
    (20, 49, "20-49"),
    (50, 99, "50-99"),
    (100, None, "100+"),
)


def amount_band(amount):
    """Band code of a total amount (company currency).

    >>> amount_band(0), amount_band(999.99), amount_band(1000), amount_band(250000), amount_band(5e6)
    ('A', 'A', 'B', 'D', 'E')
    """
    amount = max(float(amount or 0), 0.0)
    for code, low, high, _label in AMOUNT_BANDS:
        if amount >= low and (high is None or amount < high):
            return code
    return AMOUNT_BANDS[-1][0]


def amount_band_weight(code):
    """Representative amount of a band: the geometric middle of its bounds.

    The first band uses 100 as its lower bound and the last band ten times its lower bound
    as its upper bound.

    >>> round(amount_band_weight("A")), round(amount_band_weight("C")), round(amount_band_weight("E"))
    (316, 31623, 3162278)
    """
    for band_code, low, high, _label in AMOUNT_BANDS:
        if band_code == code:
            low = max(low, 100)
            high = high if high is not None else low * 10
            return math.sqrt(low * high)
    raise ValueError(f"unknown amount band {code!r}")


def amount_band_label(code):
    """Human label of an amount band code ('' when unknown)."""
    return next((label for band_code, _l, _h, label in AMOUNT_BANDS if band_code == code), "")


def _band(value, bands):
    for low, high, label in bands:
        if value >= low and (high is None or value <= high):
            return label
    return None


def contributors_band(count):
    """Published band of a number of contributing members, ``None`` below 3.

    >>> contributors_band(2), contributors_band(3), contributors_band(5), contributors_band(6)
    (None, '3-5', '3-5', '6-10')
    >>> contributors_band(10), contributors_band(11), contributors_band(250)
    ('6-10', '>10', '>10')
    """
    return _band(count, CONTRIBUTOR_BANDS)


def invoices_band(count):
    """Published band of the number of paid invoices, ``None`` below 5.

    >>> invoices_band(4), invoices_band(5), invoices_band(20), invoices_band(1000)
    (None, '5-19', '20-49', '100+')
    """
    return _band(count, INVOICE_BANDS)


def round_to_step(value, step):
    """Round ``value`` half up to a multiple of ``step``.

    >>> round_to_step(0.123, 0.05), round_to_step(12.4, 1), round_to_step(0.125, 0.05)
    (0.1, 12.0, 0.15)
    """
    return round(float(math.floor(value / step + 0.5) * step), 10)
