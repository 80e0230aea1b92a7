"""The hub unreachable or slow: the member loses nothing, keeps its scores and resends the same batch."""

from unittest.mock import MagicMock, patch

import requests
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

SERVICE = "odoo.addons.credit_community.models.credit_community_service.requests.post"


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCommunityFaults(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("credit_relance.credit_relance_group_supervisor") | cls.env.ref(
            "base.group_system")
        cls.company = cls.env.company
        cls.company.write({
            "credit_community_role": "member", "credit_community_optin": True,
            "credit_community_hub_url": "https://hub.example.com",
        })
        cls.company.sudo().credit_community_api_key = "member-key"
        cls.customer = cls.env["res.partner"].create({
            "name": "Acme Industries", "is_company": True, "company_registry": "732 829 320",
            "credit_community_score": 64,
        })
        invoice = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.customer.id, "invoice_date": "2026-03-01",
            "invoice_date_due": "2026-03-31",
            "invoice_line_ids": [Command.create({"name": "service", "quantity": 1, "price_unit": 1000,
                                                 "tax_ids": []})],
        })
        invoice.action_post()
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": "2026-04-10"})._create_payments()
        cls.Log = cls.env["credit.community.sync.log"]

    def _sync(self, side_effect=None, return_value=None):
        with patch(SERVICE, side_effect=side_effect, return_value=return_value) as post:
            self.env["credit.community.service"]._cron_member_sync()
        return post

    def test_hub_unreachable_or_slow_loses_nothing(self):
        for fault in (requests.ConnectionError("Connection refused"), requests.ReadTimeout("Read timed out")):
            with self.subTest(fault=type(fault).__name__):
                before = self.Log.search([]).ids
                post = self._sync(side_effect=fault)
                self.assertTrue(post.called)
                self.assertEqual(post.call_args.kwargs["timeout"], 30, "a slow hub cannot hold the cron forever")
                logs = self.Log.search([("id", "not in", before)])
                self.assertEqual(set(logs.mapped("state")), {"error"})
                self.assertIn("cannot be reached", logs[0].response)
                self.assertEqual(self.customer.credit_community_score, 64, "the last known score is kept")
        failed_batch = self.Log.search([("operation", "=", "contribute")], limit=1).batch_ref
        self.assertTrue(failed_batch)
        # the hub is back: the same batch goes again (the hub ignores duplicates), nothing was lost
        answer = MagicMock(status_code=200)
        answer.json.return_value = {"status": "accepted", "results": []}
        self._sync(return_value=answer)
        sent = self.Log.search([("operation", "=", "contribute"), ("state", "=", "success")])
        self.assertEqual(sent.batch_ref, failed_batch)
        self.assertNotIn("member-key", " ".join(self.Log.search([]).mapped("payload")), "no secret in the log")
