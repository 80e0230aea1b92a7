"""Deterministic A/B split of a customer group (no ORM).

A customer of a group that tests an alternative scenario is in variant ``b`` when its bucket,
a number from 0 to 99 drawn from a hash of (customer id, group id), is below the group's share.
The same customer stays in the same variant as long as the group and the share do not change,
and raising the share only moves customers from ``a`` to ``b``.
"""

import hashlib

VARIANT_A = "a"
VARIANT_B = "b"


def ab_bucket(partner_id, group_id):
    """Bucket 0..99 of a customer in a group, stable across processes and machines.

    Python's ``hash()`` is salted per process for strings and is the identity for small
    integers, so a SHA-256 digest of both ids is used instead.

    >>> ab_bucket(1, 1) == ab_bucket(1, 1)
    True
    >>> 0 <= ab_bucket(42, 7) < 100
    True
    """
    digest = hashlib.sha256(f"credit-ab:{group_id}:{partner_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def ab_variant(partner_id, group_id, share):
    """Variant of a customer: ``b`` (alternative scenario) for ``share`` % of a group, else ``a``.

    :param partner_id: id of the customer
    :param group_id: id of the group running the test
    :param share: percentage 0-100 of the group's customers sent to the alternative scenario
    :return: ``"a"`` or ``"b"``

    >>> ab_variant(5, 3, 0)
    'a'
    >>> ab_variant(5, 3, 100)
    'b'
    """
    if not 0 <= share <= 100:
        raise ValueError(f"share must be between 0 and 100, got {share}")
    return VARIANT_B if ab_bucket(partner_id, group_id) < share else VARIANT_A


def split_variants(partner_ids, group_id, share):
    """Split customers into the two variants.

    :return: tuple (ids in ``a``, ids in ``b``), each in the order given

    >>> split_variants([], 1, 50)
    ([], [])
    """
    variant_a, variant_b = [], []
    for partner_id in partner_ids:
        (variant_b if ab_variant(partner_id, group_id, share) == VARIANT_B else variant_a).append(partner_id)
    return variant_a, variant_b
