from odoo.tests import HttpCase, tagged

from .common_portal import CreditPortalCommon


@tagged("post_install", "-at_install")
class TestPortalHttp(CreditPortalCommon, HttpCase):
    """Over HTTP: what a token or a portal login opens, the promise form, the letters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_data()

    def _get(self, url):
        return self.url_open(url, allow_redirects=True)

    def assertLoginPage(self, response, hidden_text):
        self.assertEqual(response.status_code, 200)
        self.assertIn("/web/login", response.url)
        self.assertNotIn(hidden_text, response.text)

    def test_token_opens_its_invoice_with_its_dunning(self):
        self._create_done_reminder(self.invoice_a)
        response = self._get(self.invoice_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertIn('id="credit_relance_overdue"', response.text)
        self.assertRegex(response.text, r'class="o_credit_days_late">\s*20\s*<')
        self.assertIn('id="credit_relance_promise"', response.text)
        self.assertIn('id="credit_relance_reminders"', response.text)
        self.assertNotIn("o_credit_pay_overdue", response.text, "paying all overdue invoices needs a login")

    def test_token_of_a_opens_neither_b_nor_the_lists(self):
        token = self.invoice_a._portal_ensure_token()
        self.assertLoginPage(self._get(f"/my/invoices/{self.invoice_b.id}?access_token={token}"), self.invoice_b.name)
        self.assertLoginPage(self._get(f"/my/invoices/{self.invoice_other.id}?access_token={token}"),
                             self.invoice_other.name)
        self.assertLoginPage(self._get(f"/my/invoices?access_token={token}"), self.invoice_a.name)
        self.assertLoginPage(self._get(f"/my/invoices/overdue?access_token={token}"), self.invoice_a.name)

    def test_wrong_or_expired_token(self):
        self.assertLoginPage(self._get(f"/my/invoices/{self.invoice_a.id}?access_token=wrong"), self.invoice_a.name)
        old_token = self.invoice_a._portal_ensure_token()
        self.invoice_a.access_token = False
        new_token = self.invoice_a._portal_ensure_token()
        self.assertNotEqual(old_token, new_token)
        self.assertLoginPage(self._get(f"/my/invoices/{self.invoice_a.id}?access_token={old_token}"),
                             self.invoice_a.name)
        self.assertEqual(self._get(self.invoice_a.get_portal_url()).status_code, 200)

        action = self._create_done_reminder(self.invoice_a)
        line = action.line_ids
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}/reminders/{line.id}?access_token={old_token}")
        self.assertEqual(response.status_code, 404)
        page = self._get(self.invoice_a.get_portal_url())
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}/promise", data={
            "csrf_token": self._csrf_token(page.text), "access_token": "wrong", "date": str(self.today),
        }, allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["credit.relance.promise"].search([("partner_id", "=", self.customer.id)]))

    def test_letter_of_a_reminder(self):
        action = self._create_done_reminder(self.invoice_a)
        line = action.line_ids
        token = self.invoice_a._portal_ensure_token()
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}/reminders/{line.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 reminder letter")
        # the reminder of invoice A is not reachable through invoice B's token
        token_b = self.invoice_b._portal_ensure_token()
        response = self.url_open(f"/my/invoices/{self.invoice_b.id}/reminders/{line.id}?access_token={token_b}")
        self.assertEqual(response.status_code, 404)

    def test_promise_through_the_token(self):
        page = self._get(self.invoice_a.get_portal_url())
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}/promise", data={
            "csrf_token": self._csrf_token(page.text), "access_token": self.invoice_a.access_token,
            "date": "2000-01-01", "amount": "50",
        })
        self.assertIn("credit_promise_error=date", response.url)
        self.assertIn("o_credit_promise_error", response.text)
        self.assertFalse(self.env["credit.relance.promise"].search([("move_ids", "in", self.invoice_a.ids)]))

        response = self.url_open(f"/my/invoices/{self.invoice_a.id}/promise", data={
            "csrf_token": self._csrf_token(page.text), "access_token": self.invoice_a.access_token,
            "date": str(self.today), "amount": "50", "message": "Half today",
        })
        self.assertIn("credit_promise=done", response.url)
        self.assertIn("o_credit_promise_done", response.text)
        promise = self.env["credit.relance.promise"].search([("move_ids", "in", self.invoice_a.ids)])
        self.assertRecordValues(promise, [{"source": "portal", "amount": 50.0, "state": "open"}])
        self.assertEqual(self.invoice_a.credit_pause_until, self.today)

    def test_portal_user_sees_the_overdue_list(self):
        self.authenticate("credit_portal", "credit_portal")
        response = self._get("/my/invoices")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertIn(self.invoice_b.name, response.text)
        self.assertNotIn(self.invoice_other.name, response.text)
        self.assertEqual(response.text.count("o_credit_overdue"), 2)
        self.assertIn("/my/invoices/overdue", response.text, "Odoo's pay-overdue button")
        page = self._get(f"/my/invoices/{self.invoice_a.id}")
        self.assertIn("o_credit_pay_overdue", page.text)
        overdue = self._get("/my/invoices/overdue")
        self.assertEqual(overdue.status_code, 200)
        # Odoo's payment form for the total of the customer's overdue invoices (A + B), not the other's
        self.assertIn('data-amount="350.0"', overdue.text)
        self.assertIn('data-transaction-route="/invoice/transaction/overdue"', overdue.text)
