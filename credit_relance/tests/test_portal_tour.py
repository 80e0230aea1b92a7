from unittest import SkipTest

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common_portal import CreditPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPayTour(CreditPortalCommon, HttpCase):
    """In Chromium: the link of a reminder e-mail, paid with Odoo's demo payment provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_data()
        provider = cls.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not provider or provider.module_state != "installed":
            # reported as a skip, which the project's test command counts as a failure
            raise SkipTest("payment_demo must be installed with the addons to run the payment tour")
        provider.write({"state": "test", "is_published": True, "company_id": cls.env.company.id})
        provider.payment_method_ids.active = True

    def test_pay_from_email_link(self):
        scenario = self.env["credit.relance.scenario"].create({"name": "Portal tour scenario"})
        Action = self.env["credit.relance.action"]
        pending = Action.create({
            "partner_id": self.customer.id, "scenario_id": scenario.id, "planned_date": self.today,
            "channel": "email", "state": "planned", "trigger_mode": "auto",
            "line_ids": [Command.create({"move_id": self.invoice_a.id, "amount_residual": 100.0})],
        })
        promise = self.env["credit.relance.promise"].create({
            "partner_id": self.customer.id, "date": self.today, "amount": 100.0,
            "move_ids": [Command.set(self.invoice_a.ids)],
        })
        # the payment link the engine puts in reminder e-mails
        link = self.env["credit.relance.engine"]._get_payment_links(self.invoice_a)[self.invoice_a.id]
        self.assertIn("access_token=", link)
        self.start_tour(link.removeprefix(self.invoice_a.get_base_url()), "credit_relance_portal_pay_tour")

        self.assertIn(self.invoice_a.payment_state, ("in_payment", "paid"))
        self.assertEqual(self.invoice_a.transaction_ids.state, "done")
        self.assertEqual(pending.state, "cancelled")
        self.assertEqual(promise.state, "kept")
        self.assertEqual(self.invoice_b.payment_state, "not_paid")


@tagged("post_install", "-at_install")
class TestPortalPhoneTour(CreditPortalCommon, HttpCase):
    """In Chromium at a phone's size: the invoice link, and a promise to pay made there."""

    browser_size = "375x667"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_data()

    def test_promise_on_a_phone(self):
        self.start_tour(self.invoice_b.get_portal_url(), "credit_relance_portal_promise_tour")
        promise = self.env["credit.relance.promise"].search([("move_ids", "in", self.invoice_b.ids)])
        self.assertRecordValues(promise, [{"source": "portal", "amount": 120.0, "state": "open",
                                           "note": "Paying half next week"}])
        self.assertEqual(self.invoice_b.credit_pause_until, promise.date)
