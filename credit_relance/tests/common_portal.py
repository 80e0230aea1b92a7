"""Fixtures of the portal tests (HTTP and browser): a portal customer with overdue invoices."""

import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user


class CreditPortalCommon:
    """Mixin for ``HttpCase``: a portal customer, two overdue invoices (A, B) and another customer's.

    Dates are relative to the server's today: the browser and the server run on the real clock.
    """

    @classmethod
    def _setup_portal_data(cls):
        cls.today = fields.Date.today()
        cls.portal_user = new_test_user(cls.env, login="credit_portal", groups="base.group_portal",
                                        name="Paula Portal", email="paula@example.com")
        cls.customer = cls.portal_user.partner_id
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer", "email": "o@example.com"})
        cls.invoice_a = cls._create_portal_invoice(cls.customer, 100.0, days_late=20)
        cls.invoice_b = cls._create_portal_invoice(cls.customer, 250.0, days_late=8)
        cls.invoice_other = cls._create_portal_invoice(cls.other_customer, 75.0, days_late=30)

    @classmethod
    def _create_portal_invoice(cls, partner, amount, days_late):
        invoice = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": cls.today - timedelta(days=days_late + 30),
            "invoice_date_due": cls.today - timedelta(days=days_late),
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": []})],
        })
        invoice.action_post()
        return invoice

    @classmethod
    def _create_done_reminder(cls, invoice, channel="letter", with_pdf=True):
        action = cls.env["credit.relance.action"].create({
            "partner_id": invoice.partner_id.id, "planned_date": cls.today - timedelta(days=2),
            "channel": channel, "state": "done", "trigger_mode": "auto",
            "done_date": fields.Datetime.now() - timedelta(days=2),
            "line_ids": [Command.create({"move_id": invoice.id, "amount_residual": invoice.amount_residual,
                                         "currency_id": invoice.currency_id.id})],
        })
        if with_pdf:
            attachment = cls.env["ir.attachment"].create({
                "name": "reminder.pdf", "raw": b"%PDF-1.4 reminder letter", "mimetype": "application/pdf",
                "res_model": "credit.relance.action", "res_id": action.id,
            })
            action.attachment_ids = [Command.link(attachment.id)]
        return action

    @staticmethod
    def _csrf_token(html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
