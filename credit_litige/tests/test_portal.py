import re

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import CreditLitigeCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCreditLitigePortal(CreditLitigeCommon, HttpCase):
    """Customers contest invoices and discuss disputes on the portal, and see nothing else."""

    def _contest(self, invoice, csrf_token, **data):
        values = {"csrf_token": csrf_token, "reason_id": self.reason_quality.id, "message": "Parts arrived broken"}
        values.update(data)
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute", data=values,
            files={"attachment": ("photo.txt", b"broken parts", "text/plain")},
        )

    def _post_message(self, dispute, body, **kwargs):
        return self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "credit.litige", "thread_id": dispute.id,
            "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            **kwargs,
        })

    def test_contest_from_portal_and_reply(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = self.url_open(f"/my/invoices/{self.invoice_a1.id}")
        self.assertIn("Contest this invoice", page.text)
        csrf_token = CSRF_RE.search(page.text).group(1)

        response = self._contest(self.invoice_a1, csrf_token, amount="200")
        dispute = self.env["credit.litige"].search([("partner_id", "=", self.customer_a.id)])
        self.assertEqual(len(dispute), 1)
        self.assertIn(f"/my/disputes/{dispute.id}", response.url)
        self.assertIn(dispute.name, response.text)
        self.assertIn(dispute.stage_id.name, response.text, "the customer sees the dispute's state")

        self.assertEqual(dispute.source, "portal")
        self.assertEqual(dispute.reason_id, self.reason_quality)
        self.assertEqual(dispute.line_ids.move_id, self.invoice_a1)
        self.assertEqual(dispute.line_ids.amount, 200.0)
        self.assertEqual(dispute.user_id, self.collector, "assigned to the team leader")
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_dispute)
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))
        message = dispute.message_ids.filtered(
            lambda msg: msg.author_id == self.portal_a.partner_id and msg.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn("Parts arrived broken", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["photo.txt"])
        self.assertIn(self.collector.partner_id, message.partner_ids | message.notified_partner_ids,
                      "the owner is notified")
        self.assertIn(self.portal_a.partner_id, dispute.message_partner_ids, "the customer follows the replies")

        invoice_page = self.url_open(f"/my/invoices/{self.invoice_a1.id}")
        self.assertIn(dispute.name, invoice_page.text, "the invoice page lists its disputes")
        listing = self.url_open("/my/disputes")
        self.assertIn(dispute.name, listing.text)

        self._post_message(dispute, "Here are more photos")
        self.assertTrue(dispute.message_ids.filtered(
            lambda msg: msg.author_id == self.portal_a.partner_id and "more photos" in msg.body))

    def test_contest_with_invoice_token_without_login(self):
        token = self.invoice_a2._portal_ensure_token()
        page = self.url_open(f"/my/invoices/{self.invoice_a2.id}?access_token={token}")
        csrf_token = CSRF_RE.search(page.text).group(1)
        response = self._contest(self.invoice_a2, csrf_token, access_token=token)
        dispute = self.env["credit.litige"].search([("partner_id", "=", self.customer_a.id)])
        self.assertEqual(dispute.line_ids.amount, 575.0, "the full amount due by default")
        self.assertIn(dispute.name, response.text)
        self.assertEqual(dispute.message_ids.filtered(lambda msg: msg.message_type == "comment").author_id,
                         self.customer_a)
        # the dispute's own token lets the customer reply without logging in
        self._post_message(dispute, "Reply with the token", token=dispute.access_token)
        self.assertTrue(dispute.message_ids.filtered(lambda msg: "Reply with the token" in msg.body))

    def test_bad_input_is_refused(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        page = self.url_open(f"/my/invoices/{self.invoice_a1.id}")
        csrf_token = CSRF_RE.search(page.text).group(1)
        for amount in ("2000", "-5", "abc"):
            response = self._contest(self.invoice_a1, csrf_token, amount=amount)
            self.assertIn("credit_litige_error=amount", response.url)
            self.assertIn("at most the amount due", response.text)
        response = self._contest(self.invoice_a1, csrf_token, reason_id="999999")
        self.assertIn("credit_litige_error=reason", response.url)
        self.assertFalse(self.env["credit.litige"].search([("partner_id", "=", self.customer_a.id)]))

    def test_other_customer_sees_and_comments_nothing(self):
        dispute = self._open_dispute(self.invoice_a1)
        invoice_token = self.invoice_a1._portal_ensure_token()
        self.authenticate(self.portal_b.login, self.portal_b.login)

        for url in (
            f"/my/disputes/{dispute.id}",
            f"/my/disputes/{dispute.id}?access_token=wrong-token",
            f"/my/disputes/{dispute.id}?access_token={invoice_token}",
            f"/my/invoices/{self.invoice_a1.id}",
            f"/my/invoices/{self.invoice_a1.id}?access_token=wrong-token",
        ):
            response = self.url_open(url)
            self.assertTrue(response.url.endswith("/my"), f"{url} must send back to /my")
            self.assertNotIn(dispute.name, response.text)
            self.assertNotIn(self.invoice_a1.name, response.text)
        listing = self.url_open("/my/disputes")
        self.assertNotIn(dispute.name, listing.text)

        own_page = self.url_open(f"/my/invoices/{self.invoice_b1.id}")
        csrf_token = CSRF_RE.search(own_page.text).group(1)
        response = self._contest(self.invoice_a1, csrf_token, access_token="wrong-token")
        self.assertTrue(response.url.endswith("/my"))
        self.assertEqual(self.env["credit.litige"].search_count([]), 1, "no dispute on another's invoice")

        count = len(dispute.message_ids)
        for kwargs in ({}, {"token": "wrong-token"}, {"token": invoice_token}):
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                self._post_message(dispute, "Intrusion", **kwargs)
        self.assertEqual(len(dispute.message_ids), count)

        self.authenticate(None, None)
        self.assertNotIn(dispute.name, self.url_open(f"/my/disputes/{dispute.id}").text)
        response = self.url_open(f"/my/disputes/{dispute.id}?access_token={dispute._portal_ensure_token()}")
        self.assertIn(dispute.name, response.text, "the right token opens the dispute")
