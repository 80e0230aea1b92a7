from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestCreditRelanceEngine(CreditRelanceEngineCommon):
    def test_sixty_days_of_a_customer(self):
        """Two invoices due on 2 March, one on 12 March: each step on its day, one message per
        step listing the right invoices; the invoice paid on 10 March leaves later steps."""
        inv_a1 = self._create_invoice(self.customer, 1000, D(2026, 3, 2))
        inv_a2 = self._create_invoice(self.customer, 500, D(2026, 3, 2))
        inv_b = self._create_invoice(self.customer, 300, D(2026, 3, 12))
        with self.mock_mail_gateway(), self.mockSMSGateway():
            for day in self._days(D(2026, 2, 20), D(2026, 4, 30)):
                if day == D(2026, 3, 10):
                    self._pay(inv_a2, day)
                self._run(day)
            actions = self._actions(self.customer)
            got = [
                (a.planned_date, a.step_id, a.state, sorted(a.move_ids.mapped("name")))
                for a in actions
            ]
            expected = [
                (D(2026, 2, 27), self.step_pre, "done", sorted([inv_a1.name, inv_a2.name])),
                (D(2026, 3, 7), self.step_first, "done", sorted([inv_a1.name, inv_a2.name])),
                (D(2026, 3, 9), self.step_pre, "done", [inv_b.name]),
                (D(2026, 3, 17), self.step_first, "done", [inv_b.name]),
                (D(2026, 3, 17), self.step_sms, "done", [inv_a1.name]),
                (D(2026, 3, 27), self.step_sms, "done", [inv_b.name]),
                (D(2026, 4, 1), self.step_second, "to_validate", [inv_a1.name]),
                (D(2026, 4, 11), self.step_second, "to_validate", [inv_b.name]),
                (D(2026, 4, 16), self.step_call, "to_do", [inv_a1.name]),
                (D(2026, 4, 26), self.step_call, "to_do", [inv_b.name]),
            ]
            self.assertEqual(sorted(got, key=lambda g: (g[0], g[1].offset_days)), expected)
            # one e-mail per e-mail action, listing its invoices, to the customer only
            email_actions = actions.filtered(lambda a: a.channel == "email" and a.state == "done")
            self.assertEqual(len(self._new_mails), len(email_actions))
            for action in email_actions:
                body = action.mail_message_ids.body
                for move in action.move_ids:
                    self.assertIn(move.name, body)
                self.assertEqual(action.mail_message_ids.mail_ids.recipient_ids, self.customer)
            # one SMS per SMS action, to the number in E.164
            self.assertEqual(len(self._new_sms), 2)
            self.assertEqual(set(self._new_sms.mapped("number")), {"+33612345678"})
            self.assertIn("1 invoice(s) due", self._new_sms[0].body)
            # the invoice's chatter logs each reminder
            self.assertEqual(
                len(inv_a1.message_ids.filtered(lambda m: "Reminder sent" in (m.body or ""))), 3)
            # the phone step became a call activity for the collector... or whoever is responsible
            call = actions.filtered(lambda a: a.step_id == self.step_call)[:1]
            self.assertEqual(call.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_only_most_advanced_step_runs_and_earlier_are_passed_over(self):
        inv = self._create_invoice(self.customer, 800, D(2026, 1, 5))
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 2))
        actions = self._actions(self.customer)
        self.assertEqual(len(actions), 1)
        self.assertEqual(actions.step_id, self.step_call)
        # one line, at the step run: it stands for the steps passed over
        self.assertEqual(actions.line_ids.step_id, self.step_call)
        self.assertEqual(actions.line_ids.move_id, inv)
        self.assertFalse(actions.line_ids.skipped)
        self.assertEqual(actions.amount_total, 800)
        self.assertFalse(self._new_mails)
        self.assertFalse(self._new_sms)
        # the steps passed over never run, nor does a step added to the scenario before the call
        self.scenario.step_ids = [Command.create({
            "name": "Late SMS", "offset_days": 50, "channel": "sms", "trigger_mode": "auto",
            "sms_template_id": self.sms_template.id,
        }), Command.create({
            "name": "Forgotten reminder", "offset_days": 40, "channel": "email", "trigger_mode": "auto",
            "mail_template_id": self.mail_template.id,
        })]
        with self.mock_mail_gateway(), self.mockSMSGateway():
            for day in self._days(D(2026, 3, 3), D(2026, 3, 10)):
                self._run(day)
        self.assertEqual(self._actions(self.customer).step_id.mapped("name"), ["Call", "Late SMS"])
        self.assertFalse(self._new_mails)

    def test_rerun_same_day_creates_nothing_and_sends_nothing(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Beta Dunned")
        self._create_invoice(other, 200, D(2026, 3, 2))
        with self.mock_mail_gateway():
            first = self._run(D(2026, 3, 7))
            self.assertEqual(first, {"planned": 2, "executed": 2})
            mails = len(self._new_mails)
            second = self._run(D(2026, 3, 7))
            third = self._run(D(2026, 3, 7), hour=16)
        self.assertEqual(second, {"planned": 0, "executed": 0})
        self.assertEqual(third, {"planned": 0, "executed": 0})
        self.assertEqual(mails, 2)
        self.assertEqual(len(self._new_mails), 2)
        self.assertEqual(len(self._actions()), 2)

    def test_interrupted_run_resumes_without_duplicates(self):
        """Batches of one customer; the run dies after the first batch; the rerun finishes the job."""
        self.company.credit_batch_size = 1
        customers = self.customer | self._create_customer("Beta Dunned") | self._create_customer("Gamma Dunned")
        for customer in customers:
            self._create_invoice(customer, 100, D(2026, 3, 2))
        calls = []
        crashed = False

        def crash_after_first_batch(done, remaining):
            calls.append((done, remaining))
            if len(calls) == 1:
                raise KeyboardInterrupt("worker killed")

        with self.mock_mail_gateway():
            # not assertRaises: it would roll back the batch "committed" before the crash
            try:
                self._run(D(2026, 3, 7), on_batch=crash_after_first_batch)
            except KeyboardInterrupt:
                crashed = True
            self.assertTrue(crashed)
            self.assertEqual(len(self._actions()), 1)
            self._run(D(2026, 3, 7))
            self._run(D(2026, 3, 7))
        actions = self._actions()
        self.assertEqual(len(actions), 3)
        self.assertEqual(actions.partner_id, customers)
        self.assertEqual(set(actions.mapped("state")), {"done"})
        self.assertEqual(len(self._new_mails), 3)
        lines = self.env["credit.relance.action.line"].search([("action_id", "in", actions.ids)])
        self.assertEqual(len(lines), len({(line.move_id, line.step_id) for line in lines}))

    def test_pausing_status_and_pause_date(self):
        paused_status = self.env["credit.relance.status"].create(
            {"code": "DISP", "name": "Dispute", "category": "dispute", "pause_dunning": True})
        inv_status = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        inv_status.credit_status_id = paused_status
        inv_paused = self._create_invoice(self.customer, 200, D(2026, 3, 2))
        inv_paused.credit_pause_until = D(2026, 3, 20)
        inv_blocked = self._create_invoice(self.customer, 300, D(2026, 3, 2))
        inv_blocked.credit_dunning_blocked = True
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 7))
            self.assertFalse(self._actions())
            # the pause ends: only the most advanced due step runs
            self._run(D(2026, 3, 20))
        action = self._actions()
        self.assertEqual(action.move_ids, inv_paused)
        self.assertEqual(action.step_id, self.step_sms)

    def test_do_not_dun_customer(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        self.customer.write({"credit_do_not_dun": True, "credit_do_not_dun_until": D(2026, 3, 10)})
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            self.assertFalse(self._actions())
            self._run(D(2026, 3, 11))
        self.assertEqual(self._actions().step_id, self.step_first)

    def test_min_interval_between_reminders(self):
        self.scenario.min_interval_days = 4
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        inv_late = self._create_invoice(self.customer, 100, D(2026, 3, 4))
        with self.mock_mail_gateway():
            self._run(D(2026, 2, 27))  # preventive reminder of the first invoice
            self._run(D(2026, 3, 1))  # the second's is due, too soon
            self._run(D(2026, 3, 2))
            self.assertEqual(len(self._actions()), 1)
            self._run(D(2026, 3, 3))
        actions = self._actions()
        self.assertEqual(len(actions), 2)
        self.assertEqual(actions[1].move_ids, inv_late)
        self.assertEqual(actions[1].planned_date, D(2026, 3, 3))

    def test_min_residual_of_step(self):
        self.step_first.min_residual = 150
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            self.assertFalse(self._actions())
            self._create_invoice(self.customer, 100, D(2026, 3, 2))
            self._run(D(2026, 3, 8))
        self.assertEqual(len(self._actions().move_ids), 2)

    def test_customer_with_credit_note_goes_to_validation(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.customer.id, "invoice_date": D(2026, 3, 1),
            "invoice_line_ids": [(0, 0, {"name": "Refund", "quantity": 1, "price_unit": 20, "tax_ids": []})],
        })
        refund.action_post()
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        action = self._actions()
        self.assertEqual(action.state, "to_validate")
        self.assertIn("open credit notes", action.wait_reason)
        self.assertFalse(self._new_mails)
        # the collector validates: it is sent
        with self.mock_mail_gateway(), freeze_time("2026-03-07 10:00:00"):
            action.action_validate()
        self.assertEqual(action.state, "done")
        self.assertEqual(len(self._new_mails), 1)

    def test_stale_bank_statements_hold_automatic_sending(self):
        bank = self.company_data["default_journal_bank"]
        self.env["account.bank.statement.line"].create({
            "journal_id": bank.id, "date": D(2026, 3, 1), "payment_ref": "old", "amount": 10,
        })
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            action = self._actions()
            self.assertEqual(action.state, "planned")
            self.assertIn("older than 3 days", action.wait_reason)
            self.assertFalse(self._new_mails)
            self.company.credit_preflight_mode = "warn"
            self._run(D(2026, 3, 7))
        self.assertEqual(action.state, "done")
        self.assertEqual(len(self._new_mails), 1)

    def test_sms_waits_for_working_hours_and_days(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), self.mockSMSGateway():
            # the SMS step is due on Tuesday 17 March; at 21:00 Paris it waits for the next morning
            self._run(D(2026, 3, 17), hour=21)
            action = self._actions().filtered(lambda a: a.channel == "sms")
            self.assertEqual(action.state, "planned")
            self.assertEqual(str(action.next_attempt), "2026-03-18 07:00:00")
            self.assertFalse(self._new_sms)
            self._run(D(2026, 3, 18), hour=8)
        self.assertEqual(action.state, "done")
        self.assertEqual(len(self._new_sms), 1)

    def test_manual_step_becomes_activity_of_collector(self):
        self.customer.user_id = self.collector
        self.step_call.responsible_type = "salesperson"
        self._create_invoice(self.customer, 100, D(2026, 1, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 2))
        action = self._actions()
        self.assertEqual(action.state, "to_do")
        self.assertEqual(action.user_id, self.collector)
        activity = action.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("06 12 34 56 78", activity.note)

    def test_rerun_customer_now(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Beta Dunned")
        self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), freeze_time("2026-03-07 10:00:00"):
            self.engine._run_partners_now(self.customer)
        self.assertEqual(self._actions().partner_id, self.customer)

    def test_pause_customer_and_invoice_until_a_date(self):
        inv = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Beta Dunned")
        inv_other = self._create_invoice(other, 100, D(2026, 3, 2))
        with freeze_time("2026-03-05 10:00:00"):
            self.env["credit.relance.pause"].with_context(
                active_model="res.partner", active_ids=self.customer.ids,
            ).create({"date_until": D(2026, 3, 20), "reason": "Restructuring"}).action_confirm()
            self.env["credit.relance.pause"].with_context(
                active_model="account.move", active_ids=inv_other.ids,
            ).create({"date_until": D(2026, 3, 10)}).action_confirm()
        self.assertEqual(self.customer.credit_do_not_dun_until, D(2026, 3, 20))
        self.assertEqual(inv_other.credit_pause_until, D(2026, 3, 10))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            self.assertFalse(self._actions())
            self._run(D(2026, 3, 10))
            self.assertEqual(self._actions().partner_id, other)
            self._run(D(2026, 3, 21))
        self.assertEqual(self._actions(self.customer).move_ids, inv)

    def test_action_added_by_hand_is_executed_and_postponed_one_waits(self):
        manual = self.env["credit.relance.action"].create({
            "partner_id": self.customer.id, "planned_date": D(2026, 3, 7), "channel": "email",
            "trigger_mode": "manual", "body_override": "<p>Hand-written reminder</p>",
            "subject_override": "A word from us",
        })
        postponed = self.env["credit.relance.action"].create({
            "partner_id": self.customer.id, "planned_date": D(2026, 3, 7), "channel": "email",
            "body_override": "<p>Later</p>", "subject_override": "Later",
        })
        postponed.action_postpone(days=7)
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        self.assertEqual(manual.state, "done")
        self.assertEqual(manual.mail_message_ids.subject, "A word from us")
        self.assertEqual(postponed.state, "planned")
        self.assertEqual(postponed.planned_date, D(2026, 3, 14))
        postponed.action_cancel()
        self.assertEqual(postponed.state, "cancelled")

    def test_alerts_high_risk_customer_and_daily_digest(self):
        self.customer.credit_limit = 50
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Beta Dunned", email=False)
        self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            risky = self._actions(self.customer)
            self.assertIn("High-risk customer overdue", risky.activity_ids.mapped("summary"))
            self.assertFalse(self._actions(other).activity_ids.filtered(
                lambda a: a.summary == "High-risk customer overdue"))
            self.assertEqual(self._actions(other).state, "error")
            self.env.user.email = "supervisor@company.example.com"
            self.engine._cron_send_digest()
        digest = self._new_mails.filtered(lambda m: "Dunning errors" in (m.subject or ""))
        self.assertEqual(len(digest), 1)
        self.assertIn("Beta Dunned", digest.body_html)
        self.assertIn("supervisor@company.example.com", digest.email_to)

    def test_add_action_by_hand_through_the_form_and_settings(self):
        inv = self._create_invoice(self.customer, 250, D(2026, 3, 2))
        with freeze_time("2026-03-07 10:00:00"):
            form = Form(self.env["credit.relance.action"])
            form.partner_id = self.customer
            form.channel = "phone"
            form.trigger_mode = "manual"
            form.planned_date = D(2026, 3, 7)
            with form.line_ids.new() as line:
                line.move_id = inv
                line.amount_residual = 250
            action = form.save()
        self.assertEqual((action.state, action.amount_total, action.move_ids), ("planned", 250, inv))
        self.assertEqual(self.env["credit.relance.action"].search([("move_ids", "=", inv.id)]), action)
        # the accounting settings warn about cash-basis taxes of the test chart: not ours
        with mute_logger("odoo.tests.form.onchange"):
            settings = Form(self.env["res.config.settings"])
            settings.credit_bank_tolerance_days = 5
            settings.credit_preflight_mode = "warn"
            settings.save().execute()
        self.assertEqual((self.company.credit_bank_tolerance_days, self.company.credit_preflight_mode), (5, "warn"))
