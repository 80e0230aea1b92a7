"""Mobile numbers normalised to E.164 with ``phonenumbers``, using the customer's country."""

import phonenumbers


class InvalidPhoneError(ValueError):
    """The number is missing or cannot be a valid phone number; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def to_e164(number, country_code=None):
    """Return ``number`` in E.164 form (``+33612345678``).

    :param number: the number as typed (spaces, dots, national or international form)
    :param country_code: ISO 3166 alpha-2 code of the customer's country, used for numbers
        written in national form
    :raises InvalidPhoneError: with ``reason`` ``"missing"``, ``"unparsable"`` or ``"invalid"``

    >>> to_e164("06 12 34 56 78", "FR")
    '+33612345678'
    >>> to_e164("+32 470 12 34 56")
    '+32470123456'
    >>> to_e164("12", "FR")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    InvalidPhoneError: invalid
    """
    if not number or not str(number).strip():
        raise InvalidPhoneError("missing")
    try:
        parsed = phonenumbers.parse(str(number), (country_code or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneError("unparsable") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneError("invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
