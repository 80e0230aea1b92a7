"""Helpers shared by the community tests: a hub with members and keys, API calls."""

import json

from odoo.tests import HttpCase

API = "/credit_community/v1"
KEY_A = "FR-SIREN:732829320"
KEY_B = "FR-SIREN:552100554"
KEY_C = "VAT:BE0403170701"


def item(key=KEY_A, **values):
    data = {"key": key, "paid_count": 3, "amount_band": "B", "avg_days_late": 10.0, "share_late": 0.33,
            "share_disputed": 0.0, "trend": "stable"}
    data.update(values)
    return data


class CommunityHubCase(HttpCase):
    """A hub database with four members holding valid API keys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.credit_community_role = "hub"
        Member = cls.env["credit.community.member"]
        cls.members = Member.create([{"name": f"Supplier {n}"} for n in range(1, 5)])
        cls.keys = [member._new_api_key() for member in cls.members]

    def api(self, path, body=None, key=None, raw=None, method="POST"):
        """Call the hub API; return ``(status, json)``."""
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        data = raw if raw is not None else json.dumps(body).encode()
        if method == "GET":
            response = self.url_open(API + path, headers=headers)
        else:
            response = self.opener.post(self.base_url() + API + path, data=data, headers=headers, timeout=30)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return response.status_code, answer

    def contribute(self, member_index, items, batch_id=None, period_end=None):
        body = {
            "batch_id": batch_id or f"batch-{member_index}-0001",
            "period_end": period_end or str(self.today()),
            "items": items,
        }
        return self.api("/contributions", body, key=self.keys[member_index])

    def today(self):
        from odoo import fields

        return fields.Date.today()

    def snapshot(self):
        """What a refused request must not change."""
        contributions = self.env["credit.community.contribution"].search_read(
            [], ["member_id", "key", "paid_count", "avg_days_late", "batch_id"], order="id")
        batches = self.env["credit.community.batch"].search_read([], ["name", "member_id", "item_count"], order="id")
        return contributions, batches
