import random

from freezegun import freeze_time
from stdnum.eu import vat
from stdnum.fr import siren

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..models.credit_relance_demo import french_vat, siren_with_key


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    def test_siren_and_vat_are_valid(self):
        rng = random.Random(1)
        for _ in range(20):
            number = siren_with_key(rng)
            self.assertTrue(siren.is_valid(number), number)
            self.assertTrue(vat.is_valid(french_vat(number)), number)

    @freeze_time("2026-03-15")
    def test_generator_builds_a_repeatable_french_book(self):
        company = self.env["credit.relance.demo"]._generate(customers=6, history_per_customer=3, open_invoices=40)
        self.assertEqual(company.country_id.code, "FR")
        self.assertEqual(company.currency_id.name, "EUR")
        moves = self.env["account.move"].search([("company_id", "=", company.id), ("move_type", "=", "out_invoice")])
        paid = moves.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        open_moves = moves - paid
        self.assertEqual(len(paid), 18)
        self.assertEqual(len(open_moves), 40)
        self.assertTrue(open_moves.filtered(lambda m: m.payment_state == "partial"), "some partial payments")
        today = fields.Date.today()
        days_late = [(today - m.invoice_date_due).days for m in open_moves]
        self.assertTrue(any(d < 0 for d in days_late), "invoices not yet due")
        self.assertTrue(any(1 <= d <= 30 for d in days_late))
        self.assertTrue(any(d > 90 for d in days_late))
        customers = moves.partner_id
        self.assertTrue(all(customers.mapped("email")) and all(customers.mapped("mobile")))
        self.assertTrue(all(customers.mapped("company_registry")))
        for login in ("supervisor", "collector1", "collector2", "salesrep1", "salesrep2", "customer"):
            self.assertTrue(self.env["res.users"].search_count([("login", "=", login)]), login)
        self.assertTrue(self.env.ref("credit_relance.demo_company_credit") == company)
        promise = self.env["credit.relance.promise"].search([("company_id", "=", company.id)])
        self.assertEqual(len(promise), 1)
        self.assertTrue(all(m.credit_pause_until for m in promise.move_ids))
        actions = self.env["credit.relance.action"].search([("company_id", "=", company.id)])
        self.assertTrue(actions, "this morning's dunning actions are planned")
        self.assertFalse(actions.filtered(lambda a: a.state == "done"), "nothing is sent by the demo")
        self.assertFalse(actions.line_ids.move_id & promise.move_ids, "promised invoices are not dunned")
        # a second call finds the demo company and generates nothing more
        count = self.env["account.move"].search_count([("company_id", "=", company.id)])
        self.assertEqual(self.env["credit.relance.demo"]._generate(customers=6), company)
        self.assertEqual(self.env["account.move"].search_count([("company_id", "=", company.id)]), count)
