from odoo.tests import HttpCase, tagged

from .common import CreditLitigeCommon


@tagged("post_install", "-at_install")
class TestCreditLitigePortalTour(CreditLitigeCommon, HttpCase):
    """In Chromium: the customer contests an invoice from the link of a reminder."""

    def test_contest_from_email_link(self):
        self.start_tour(self.invoice_a1.get_portal_url(), "credit_litige_portal_dispute_tour")
        dispute = self.env["credit.litige"].search([("partner_id", "=", self.customer_a.id)])
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.amount_disputed, 300.0)
        self.assertIn(self.invoice_a1, dispute.line_ids.move_id)
