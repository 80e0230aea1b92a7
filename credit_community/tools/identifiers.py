"""Legal identifiers of companies, normalised and checksum-validated.

The community shares behaviour per legal entity: a French SIREN (9 digits, Luhn), a SIRET
reduced to its SIREN, or an EU VAT number. French VAT numbers are reduced to their SIREN so
that a customer known by its VAT number at one supplier and by its SIRET at another meets
itself on the hub.
"""

from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError


def _digits(value):
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-/")


def siren_from(value):
    """The SIREN of a SIREN, SIRET or French VAT number, or ``None`` when it is not valid.

    >>> siren_from("732 829 320"), siren_from("73282932000074"), siren_from("FR44732829320")
    ('732829320', '732829320', '732829320')
    >>> siren_from("732829321") is None
    True
    """
    raw = _digits(value).upper()
    if raw.startswith("FR") and len(raw) == 13:
        if not is_valid_vat(raw):
            return None
        raw = raw[4:]
    if raw.isdigit() and len(raw) == 14 and luhn.is_valid(raw):
        raw = raw[:9]
    if raw.isdigit() and len(raw) == 9 and luhn.is_valid(raw):
        return raw
    return None


def is_valid_vat(value):
    """Whether ``value`` is a checksum-valid EU VAT number (country prefix required)."""
    try:
        eu_vat.validate(_digits(value))
    except ValidationError:
        return False
    return True


def community_key(value):
    """Normalised key under which the hub knows a company, or ``None``.

    French identifiers become ``FR-SIREN:<siren>``; other EU VAT numbers ``VAT:<number>``.

    >>> community_key("FR 44 732829320"), community_key("BE0403170701")
    ('FR-SIREN:732829320', 'VAT:BE0403170701')
    >>> community_key("not an id") is None
    True
    """
    siren = siren_from(value)
    if siren:
        return f"FR-SIREN:{siren}"
    raw = _digits(value).upper()
    if len(raw) > 2 and raw[:2].isalpha() and is_valid_vat(raw):
        return f"VAT:{eu_vat.compact(raw)}"
    return None
