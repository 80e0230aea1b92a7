"""Strict validation of the hub API's JSON payloads, without external libraries.

Every request body is a JSON object with exactly the documented fields: unknown fields
(including any attempt to name a member: the API key alone decides who writes) are refused,
types, ranges, sizes and identifier formats are checked, and batches are limited. A payload
either passes whole or is refused whole with a :class:`PayloadError` carrying a stable
``code``, a human ``message`` and the ``path`` of the offending value.

Error codes: ``body_too_large``, ``invalid_json``, ``invalid_type``, ``missing_field``,
``unknown_field``, ``invalid_value``, ``invalid_identifier``, ``duplicate_identifier``,
``too_many_items``, ``empty_batch``.
"""

import datetime
import json
import math
import re

from . import aggregate, bands, identifiers

MAX_BODY_BYTES = 1024 * 1024
MAX_ITEMS = 1000
BATCH_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ENROLMENT_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
KEY_MAX_LENGTH = 32
ITEM_FIELDS = ("key", "paid_count", "amount_band", "avg_days_late", "share_late", "share_disputed", "trend")


class PayloadError(ValueError):
    """A refused payload: ``code`` (stable, for programs), ``message`` (for people), ``path``."""

    def __init__(self, code, message, path=""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path

    def as_dict(self):
        return {"code": self.code, "message": self.message, "path": self.path}


def is_community_key(value):
    """Whether ``value`` is an identifier key exactly as :func:`identifiers.community_key` writes it.

    >>> is_community_key("FR-SIREN:732829320"), is_community_key("VAT:BE0403170701")
    (True, True)
    >>> is_community_key("FR-SIREN:732829321"), is_community_key("732829320"), is_community_key("VAT:be0403170701")
    (False, False, False)
    """
    if not isinstance(value, str) or len(value) > KEY_MAX_LENGTH or ":" not in value:
        return False
    prefix, raw = value.split(":", 1)
    if prefix not in ("FR-SIREN", "VAT"):
        return False
    return identifiers.community_key(raw) == value


def parse_body(body, max_bytes=MAX_BODY_BYTES):
    """Decode a request body (bytes) into a JSON object, or raise :class:`PayloadError`."""
    if len(body) > max_bytes:
        raise PayloadError("body_too_large", f"The request body exceeds {max_bytes} bytes.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError("invalid_json", f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise PayloadError("invalid_type", "The request body must be a JSON object.")
    return data


def _fields(data, path, required, optional=()):
    if not isinstance(data, dict):
        raise PayloadError("invalid_type", f"{path or 'The body'} must be an object.", path)
    for name in data:
        if name not in required and name not in optional:
            raise PayloadError("unknown_field", f"Unknown field {name!r}.", _join(path, name))
    for name in required:
        if name not in data:
            raise PayloadError("missing_field", f"Missing field {name!r}.", _join(path, name))


def _join(path, name):
    return f"{path}.{name}" if path else str(name)


def _string(value, path, pattern, what):
    if not isinstance(value, str):
        raise PayloadError("invalid_type", f"{path} must be a string.", path)
    if not pattern.match(value):
        raise PayloadError("invalid_value", f"{path} must be {what}.", path)
    return value


def _number(value, path, low, high, integer=False):
    # bool is an int in Python, never a valid number here
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise PayloadError("invalid_type", f"{path} must be {'an integer' if integer else 'a number'}.", path)
    if math.isnan(value) or not low <= value <= high:
        raise PayloadError("invalid_value", f"{path} must be between {low} and {high}.", path)
    return value


def _choice(value, path, choices):
    if not isinstance(value, str) or value not in choices:
        raise PayloadError("invalid_value", f"{path} must be one of {', '.join(choices)}.", path)
    return value


def _identifier_list(items, path, max_items, item_key=None):
    if not isinstance(items, list):
        raise PayloadError("invalid_type", f"{path} must be a list.", path)
    if not items:
        raise PayloadError("empty_batch", f"{path} must not be empty.", path)
    if len(items) > max_items:
        raise PayloadError("too_many_items", f"{path} has {len(items)} items; the limit is {max_items}.", path)
    seen = set()
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        key = item.get(item_key) if item_key and isinstance(item, dict) else item
        key_path = _join(item_path, item_key) if item_key else item_path
        if item_key:
            if not isinstance(item, dict):
                raise PayloadError("invalid_type", f"{item_path} must be an object.", item_path)
            if item_key not in item:
                raise PayloadError("missing_field", f"Missing field {item_key!r}.", key_path)
        if not is_community_key(key):
            raise PayloadError(
                "invalid_identifier",
                f"{key_path} is not a valid identifier key (FR-SIREN:<9 digits> or VAT:<EU VAT number>).",
                key_path,
            )
        if key in seen:
            raise PayloadError("duplicate_identifier", f"{key_path} appears twice in the batch.", key_path)
        seen.add(key)


def validate_enrolment(data):
    """``{"code": str}`` -> the enrolment code."""
    _fields(data, "", ("code",))
    return _string(data["code"], "code", ENROLMENT_CODE_RE, "8 to 64 letters, digits, '-' or '_'")


def validate_contributions(data, max_items=MAX_ITEMS, today=None):
    """Validate a contribution batch; return ``(batch_id, period_end, items)``.

    ``{"batch_id": str, "period_end": "YYYY-MM-DD", "items": [{"key", "paid_count",
    "amount_band", "avg_days_late", "share_late", "share_disputed", "trend"}, ...]}``
    """
    _fields(data, "", ("batch_id", "period_end", "items"))
    batch_id = _string(data["batch_id"], "batch_id", BATCH_ID_RE, "8 to 64 letters, digits, '-' or '_'")
    period_end = data["period_end"]
    try:
        if not isinstance(period_end, str) or len(period_end) != 10:
            raise ValueError
        period_end = datetime.date.fromisoformat(period_end)
    except ValueError:
        raise PayloadError("invalid_value", "period_end must be a date YYYY-MM-DD.", "period_end") from None
    if today and not (today - datetime.timedelta(days=31)) <= period_end <= today + datetime.timedelta(days=1):
        raise PayloadError("invalid_value", "period_end must be within the last 31 days.", "period_end")
    items = data["items"]
    _identifier_list(items, "items", max_items, item_key="key")
    clean = []
    for index, item in enumerate(items):
        path = f"items[{index}]"
        _fields(item, path, ITEM_FIELDS)
        paid_count = _number(item["paid_count"], f"{path}.paid_count", 1, 100000, integer=True)
        clean.append({
            "key": item["key"],
            "paid_count": paid_count,
            "amount_band": _choice(item["amount_band"], f"{path}.amount_band", bands.AMOUNT_BAND_CODES),
            "avg_days_late": float(_number(item["avg_days_late"], f"{path}.avg_days_late", -365, 3650)),
            "share_late": float(_number(item["share_late"], f"{path}.share_late", 0, 1)),
            "share_disputed": float(_number(item["share_disputed"], f"{path}.share_disputed", 0, 1)),
            "trend": _choice(item["trend"], f"{path}.trend", tuple(aggregate.TRENDS)),
        })
    return batch_id, period_end, clean


def validate_score_request(data, max_items=MAX_ITEMS):
    """``{"keys": [key, ...]}`` -> the list of keys."""
    _fields(data, "", ("keys",))
    _identifier_list(data["keys"], "keys", max_items)
    return list(data["keys"])
