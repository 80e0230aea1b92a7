from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-20")
class TestPortalDunning(CreditRelanceCommon):
    """What the portal shows of dunning, promises made there, and payments stopping dunning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customers(["Portal Customer"])
        cls.scenario = cls._create_scenario("Portal scenario", offsets=(5, 15))
        cls.step_1, cls.step_2 = cls.scenario.step_ids.sorted("sequence")
        with freeze_time("2026-03-20"):
            cls.invoice_a = cls._create_invoice(cls.customer, 100.0, "2026-02-01", "2026-03-01")
            cls.invoice_b = cls._create_invoice(cls.customer, 300.0, "2026-02-01", "2026-03-10")
        cls.Action = cls.env["credit.relance.action"]
        cls.Promise = cls.env["credit.relance.promise"]

    def _action(self, moves, step, state, channel="phone"):
        return self.Action.create({
            "partner_id": self.customer.id, "scenario_id": self.scenario.id, "step_id": step.id,
            "planned_date": "2026-03-15", "channel": channel, "state": state, "trigger_mode": "manual",
            "line_ids": [Command.create({
                "move_id": move.id, "step_id": step.id, "amount_residual": move.amount_residual,
                "currency_id": move.currency_id.id, "date_maturity": move.invoice_date_due,
            }) for move in moves],
        })

    def test_days_late(self):
        self.assertEqual(self.invoice_a._credit_get_days_late(), 19)
        self.assertEqual(self.invoice_b._credit_get_days_late(), 10)
        with freeze_time("2026-02-15"):
            self.assertEqual(self.invoice_a._credit_get_days_late(), 0, "not due yet")
        self._pay(self.invoice_a)
        self.assertEqual(self.invoice_a._credit_get_days_late(), 0, "paid")

    def test_payment_stops_dunning_of_the_paid_invoice_only(self):
        both = self._action(self.invoice_a | self.invoice_b, self.step_1, "to_validate")
        only_a = self._action(self.invoice_a, self.step_2, "planned")
        done = self._action(self.invoice_a, self.env["credit.relance.step"], "done", channel="email")
        promise = self.Promise.create({"partner_id": self.customer.id, "date": "2026-03-25", "amount": 100.0,
                                       "move_ids": [Command.set(self.invoice_a.ids)]})
        promise_b = self.Promise.create({"partner_id": self.customer.id, "date": "2026-03-25", "amount": 300.0,
                                         "move_ids": [Command.set(self.invoice_b.ids)]})

        self._pay(self.invoice_a)

        self.assertEqual(only_a.state, "cancelled")
        self.assertTrue(only_a.reject_reason)
        self.assertEqual(both.state, "to_validate", "invoice B is still due")
        self.assertEqual(both.move_ids, self.invoice_b)
        self.assertEqual(both.amount_total, 300.0)
        self.assertEqual(done.state, "done", "history is kept")
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise_b.state, "open")

    def test_partial_payment_keeps_dunning(self):
        action = self._action(self.invoice_a, self.step_1, "planned")
        promise = self.Promise.create({"partner_id": self.customer.id, "date": "2026-03-25", "amount": 100.0,
                                       "move_ids": [Command.set(self.invoice_a.ids)]})
        self._pay(self.invoice_a, amount=40.0)
        self.assertEqual(action.state, "planned")
        self.assertEqual(action.move_ids, self.invoice_a)
        self.assertEqual(promise.state, "open")

    def test_portal_promise_checks_its_input(self):
        def error(date, amount, invoice=self.invoice_a):
            return self.Promise._get_portal_promise_error(invoice, date, amount)

        self.assertEqual(error("2026-03-19", ""), "date", "in the past")
        self.assertEqual(error("2026-09-01", ""), "date", "too far")
        self.assertEqual(error("not a date", ""), "date")
        self.assertEqual(error("", ""), "date")
        self.assertEqual(error("2026-03-30", "100.01"), "amount", "more than due")
        self.assertEqual(error("2026-03-30", "-5"), "amount")
        self.assertEqual(error("2026-03-30", "abc"), "amount")
        self.assertIsNone(error("2026-03-30", "60"))
        self.assertIsNone(error("2026-03-30", ""))
        with self.assertRaises(ValidationError):
            self.Promise._create_from_portal(self.invoice_a, "2026-03-01", "", "", self.customer)

    def test_portal_promise_pauses_dunning(self):
        promise = self.Promise._create_from_portal(self.invoice_a, "2026-03-30", "60", "Paid on the 30th",
                                                   self.customer)
        self.assertRecordValues(promise, [{
            "source": "portal", "state": "open", "amount": 60.0, "partner_id": self.customer.id,
            "note": "Paid on the 30th",
        }])
        self.assertEqual(promise.move_ids, self.invoice_a)
        self.assertEqual(str(self.invoice_a.credit_pause_until), "2026-03-30")
        self.assertIn("Paid on the 30th", promise.message_ids[0].body)
        self.assertEqual(promise.message_ids[0].author_id, self.customer)
        self.assertEqual(self.Promise._get_portal_promise_error(self.invoice_a, "2026-03-30", ""), "open")

    def test_portal_values(self):
        self.step_1.apply_late_fees = True
        values = self.invoice_a._credit_get_portal_values()
        self.assertEqual(values["credit_days_late"], 19)
        self.assertFalse(values["credit_late_fees"], "no reminder claimed fees yet")
        self.assertFalse(values["credit_reminder_lines"])
        self.assertTrue(values["credit_can_promise"])

        sent = self._action(self.invoice_a, self.step_1, "done", channel="email")
        self._action(self.invoice_a, self.step_2, "planned", channel="email")
        self._action(self.invoice_b, self.step_1.copy({"offset_days": 6}), "done", channel="email")
        values = self.invoice_a._credit_get_portal_values()
        self.assertEqual(values["credit_reminder_lines"].action_id, sent, "only done reminders of this invoice")
        self.assertEqual(values["credit_late_fees"]["indemnity"], 40.0, "business customer: fixed indemnity")
        self.assertEqual(values["credit_channel_labels"]["email"], "E-mail")
