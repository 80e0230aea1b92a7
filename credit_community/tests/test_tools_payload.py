import datetime
import doctest
import json

from odoo.tests import BaseCase

from ..tools import payload

KEY = "FR-SIREN:732829320"


def item(key=KEY, **values):
    data = {"key": key, "paid_count": 3, "amount_band": "B", "avg_days_late": 4.5, "share_late": 0.33,
            "share_disputed": 0.0, "trend": "stable"}
    data.update(values)
    return data


def batch(items=None, **values):
    data = {"batch_id": "batch-0001", "period_end": "2026-06-30", "items": items or [item()]}
    data.update(values)
    return data


class TestPayload(BaseCase):
    def assertRefused(self, code, data, **kwargs):
        with self.assertRaises(payload.PayloadError) as caught:
            payload.validate_contributions(data, **kwargs)
        self.assertEqual(caught.exception.code, code, caught.exception.message)
        self.assertTrue(caught.exception.message)
        return caught.exception

    def test_doctests(self):
        self.assertEqual(doctest.testmod(payload).failed, 0)

    def test_valid_batch(self):
        batch_id, period_end, items = payload.validate_contributions(
            batch([item(), item("VAT:BE0403170701", avg_days_late=-3)]), today=datetime.date(2026, 7, 1))
        self.assertEqual((batch_id, period_end), ("batch-0001", datetime.date(2026, 6, 30)))
        self.assertEqual([i["key"] for i in items], [KEY, "VAT:BE0403170701"])
        self.assertEqual(items[1]["avg_days_late"], -3.0)

    def test_structure_errors(self):
        self.assertRefused("missing_field", {"batch_id": "batch-0001", "items": [item()]})
        self.assertRefused("unknown_field", batch(member_id=7))
        err = self.assertRefused("unknown_field", batch([item(member="other supplier")]))
        self.assertEqual(err.path, "items[0].member")
        self.assertRefused("invalid_type", batch(items={"key": KEY}))
        self.assertRefused("invalid_type", batch([item(), "FR-SIREN:732829320x"]))
        self.assertRefused("empty_batch", batch(items=[]) | {"items": []})

    def test_value_errors(self):
        self.assertRefused("invalid_value", batch(batch_id="short"))
        self.assertRefused("invalid_value", batch(batch_id="bad id with spaces"))
        self.assertRefused("invalid_value", batch(period_end="30/06/2026"))
        self.assertRefused("invalid_value", batch(period_end="2025-01-01"), today=datetime.date(2026, 7, 1))
        self.assertRefused("invalid_type", batch([item(paid_count=True)]))
        self.assertRefused("invalid_type", batch([item(paid_count=2.5)]))
        self.assertRefused("invalid_value", batch([item(paid_count=0)]))
        self.assertRefused("invalid_value", batch([item(share_late=1.5)]))
        self.assertRefused("invalid_value", batch([item(avg_days_late=float("nan"))]))
        self.assertRefused("invalid_value", batch([item(amount_band="12345.67")]))
        self.assertRefused("invalid_value", batch([item(trend="up")]))

    def test_identifiers(self):
        for bad in ("732829320", "FR-SIREN:732829321", "FR-SIREN:73282932000074", "VAT:FR44732829320",
                    "VAT:BE0403170702", "NAME:Acme", 732829320, None):
            with self.subTest(key=bad):
                self.assertRefused("invalid_identifier", batch([item(bad)]))
        self.assertRefused("duplicate_identifier", batch([item(), item()]))

    def test_batch_limits(self):
        items = [item(f"VAT:BE0403170701{i}") for i in range(3)]  # keys checked after the size
        self.assertRefused("too_many_items", batch(items), max_items=2)
        with self.assertRaises(payload.PayloadError) as caught:
            payload.parse_body(b" " * 20 + b"{}", max_bytes=10)
        self.assertEqual(caught.exception.code, "body_too_large")

    def test_parse_body(self):
        self.assertEqual(payload.parse_body(json.dumps({"a": 1}).encode()), {"a": 1})
        for body, code in ((b"{not json", "invalid_json"), (b"\xff\xfe", "invalid_json"), (b"[1, 2]", "invalid_type")):
            with self.subTest(body=body), self.assertRaises(payload.PayloadError) as caught:
                payload.parse_body(body)
            self.assertEqual(caught.exception.code, code)

    def test_score_request_and_enrolment(self):
        self.assertEqual(payload.validate_score_request({"keys": [KEY]}), [KEY])
        for data, code in (({"keys": ["nope"]}, "invalid_identifier"), ({"keys": []}, "empty_batch"),
                           ({"keys": [KEY], "member": 2}, "unknown_field"), ({}, "missing_field")):
            with self.subTest(data=data), self.assertRaises(payload.PayloadError) as caught:
                payload.validate_score_request(data)
            self.assertEqual(caught.exception.code, code)
        self.assertEqual(payload.validate_enrolment({"code": "ABCD-1234"}), "ABCD-1234")
        with self.assertRaises(payload.PayloadError):
            payload.validate_enrolment({"code": "x"})
