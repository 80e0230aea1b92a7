from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestCreditRelanceChannels(CreditRelanceEngineCommon):
    def test_late_fees_french_rule(self):
        inv = self._create_invoice(self.customer, 10000, D(2026, 1, 31))
        fees = self.engine._compute_late_fees(inv, D(2026, 3, 2))
        self.assertAlmostEqual(fees["interest"], 99.86)
        self.assertEqual(fees["indemnity"], 40.0)
        self.assertAlmostEqual(fees["total"], 139.86)
        self.assertFalse(fees["warning"])

    def test_late_fees_two_half_years_and_eu_rule(self):
        inv = self._create_invoice(self.customer, 10000, D(2025, 6, 20))
        fees = self.engine._compute_late_fees(inv, D(2025, 7, 20))
        expected = round(10000 * (13.15 * 10 + 12.15 * 20) / 100 / 365, 2)
        self.assertAlmostEqual(fees["interest"], expected)
        self.assertEqual([d["half_year"] for d in fees["lines"][0]["details"]], ["2025-H1", "2025-H2"])
        self.company.credit_late_fee_rule = "eu"
        fees = self.engine._compute_late_fees(inv, D(2025, 7, 20))
        self.assertAlmostEqual(fees["interest"], round(10000 * (11.15 * 10 + 10.15 * 20) / 100 / 365, 2))

    def test_late_fees_custom_rule_and_individual(self):
        self.company.write({"credit_late_fee_rule": "custom", "credit_late_fee_contractual_rate": 10,
                            "credit_late_fee_fixed_amount": 15})
        person = self._create_customer("John Doe", is_company=False)
        inv = self._create_invoice(person, 3650, D(2026, 1, 1))
        fees = self.engine._compute_late_fees(inv, D(2026, 1, 11))
        self.assertAlmostEqual(fees["interest"], 10.0)
        self.assertEqual(fees["indemnity"], 0.0, "no fixed indemnity for consumers")

    def test_missing_rate_warns(self):
        inv = self._create_invoice(self.customer, 1000, D(2026, 6, 1))
        fees = self.engine._compute_late_fees(inv, D(2026, 8, 1))
        self.assertIn("2026-H2", fees["warning"])
        with freeze_time("2026-08-01"):
            settings = self.env["res.config.settings"].create({})
            self.assertIn("2026-H2", settings.credit_late_fee_warning)
        with freeze_time("2026-03-01"):
            self.assertFalse(self.env["res.config.settings"].create({}).credit_late_fee_warning)
        # an e-mail with late fees in a half-year without rate: sent, and the warning logged on the action
        self.step_first.apply_late_fees = True
        july = self._create_invoice(self.customer, 1000, D(2026, 7, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 7, 6))
        action = self._actions().filtered(lambda a: july in a.move_ids)
        self.assertEqual((action.step_id, action.state), (self.step_first, "done"))
        self.assertTrue(action.message_ids.filtered(lambda m: "2026-H2" in (m.body or "")))

    def test_late_fees_in_email(self):
        self.step_first.apply_late_fees = True
        self.mail_template.body_html = (
            "<p>Interest <t t-out=\"credit_late_fees['interest']\"/>, "
            "indemnity <t t-out=\"credit_late_fees['indemnity']\"/></p>")
        self._create_invoice(self.customer, 10000, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        body = self._actions().mail_message_ids.body
        self.assertIn("Interest 16.64", body)
        self.assertIn("indemnity 40.0", body)

    def test_payment_links(self):
        inv = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        links = self.engine._get_payment_links(inv)
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.assertTrue(links[inv.id].startswith(f"{base}/my/invoices/{inv.id}?access_token="))
        self.assertEqual(links[inv.id].split("access_token=")[1], inv.access_token)
        self.mail_template.body_html = (
            "<p><t t-foreach=\"credit_invoices\" t-as=\"inv\">"
            "<a t-att-href=\"credit_payment_links[inv.id]\">pay</a></t>"
            "<a t-att-href=\"credit_overdue_link\">all</a></p>")
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        body = self._actions().mail_message_ids.body
        self.assertIn(f"access_token={inv.access_token}", body)
        self.assertIn("/my/invoices/overdue", body)

    def test_email_in_customer_language_with_override(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.mail_template.with_context(lang="fr_FR").subject = "Relance pour {{ object.name }}"
        self.customer.lang = "fr_FR"
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        self.assertEqual(self._actions().mail_message_ids.subject, "Relance pour Acme Dunned")

    def test_validation_queue_edit_and_reject(self):
        inv = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Beta Dunned")
        self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
            queue = self.env["credit.relance.action"].search([("state", "=", "to_validate")])
            self.assertEqual(len(queue), 2)
            mine, theirs = queue.filtered(lambda a: a.partner_id == self.customer), \
                queue.filtered(lambda a: a.partner_id == other)
            mine.write({"subject_override": "Edited subject", "body_override": "<p>Edited body</p>"})
            theirs.reject_reason = "Customer called yesterday"
            theirs.action_reject()
            with freeze_time("2026-04-01 10:00:00"):
                mine.action_validate()
        self.assertEqual(mine.state, "done")
        self.assertEqual(mine.mail_message_ids.subject, "Edited subject")
        self.assertIn("Edited body", mine.mail_message_ids.body)
        self.assertEqual(theirs.state, "cancelled")
        self.assertEqual(theirs.reject_reason, "Customer called yesterday")
        self.assertEqual(len(self._new_mails), 1)
        self.assertEqual(mine.move_ids, inv)

    def test_letter_with_amount_in_words(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        self.step_second.write({"channel": "formal_notice", "trigger_mode": "auto", "apply_late_fees": True})
        inv = self._create_invoice(self.customer, 1000, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
        action = self._actions()
        self.assertEqual(action.state, "to_do")
        letters = self.env["credit.relance.action"].search(
            [("channel", "in", ("letter", "formal_notice")), ("state", "=", "to_do"), ("letter_sent", "=", False)])
        self.assertEqual(letters, action, "in the letters to print")
        content = action.attachment_ids.raw.decode()
        self.assertIn(inv.name, content)
        self.assertIn("mille", content.lower())
        action.write({"registered_letter": True, "tracking_number": "1A23456789"})
        action.action_mark_letter_sent()
        self.assertEqual(action.state, "done")
        self.assertIn("1A23456789", action.message_ids[0].body)

    def test_call_result_promise_pauses_then_broken_promise_resumes(self):
        promise_status = self.env["credit.relance.status"].create({
            "code": "PROM", "name": "Promise", "category": "promise", "pause_dunning": True,
            "pause_until_date": True})
        inv = self._create_invoice(self.customer, 100, D(2026, 1, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 2, 16))
            call = self._actions()
            self.assertEqual((call.channel, call.state), ("phone", "to_do"))
            with freeze_time("2026-02-16 10:00:00"):
                wizard = Form(self.env["credit.relance.call.result"].with_context(default_action_id=call.id))
                wizard.result = "promise"
                wizard.promise_date = D(2026, 2, 25)
                wizard.promise_amount = 100
                wizard.save().action_confirm()
            self.assertEqual(call.state, "done")
            promise = call.promise_ids
            self.assertEqual((promise.state, promise.source, promise.move_ids), ("open", "call", inv))
            self.assertEqual(inv.credit_status_id, promise_status)
            self.assertEqual(inv.credit_pause_until, D(2026, 2, 25))
            # the scenario restarts a new step only after the promise: give it one
            self.scenario.step_ids = [Command.create({
                "name": "Final", "offset_days": 50, "channel": "email", "trigger_mode": "auto",
                "mail_template_id": self.mail_template.id})]
            self._run(D(2026, 2, 22))
            self.assertEqual(len(self._actions()), 1, "paused by the promise")
            self._run(D(2026, 2, 26))
        self.assertEqual(promise.state, "broken")
        self.assertTrue(promise.activity_ids)
        self.assertFalse(inv.credit_pause_until)
        self.assertFalse(inv.credit_status_id)
        self.assertEqual(len(self._actions()), 2, "the scenario resumes")

    def test_promise_kept(self):
        inv = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        promise = self.env["credit.relance.promise"].create({
            "partner_id": self.customer.id, "move_ids": [Command.set(inv.ids)],
            "date": D(2026, 3, 10), "amount": 100})
        self._pay(inv, D(2026, 3, 9))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 11))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self._actions())

    def test_call_result_dispute_and_no_answer(self):
        dispute = self.env["credit.relance.status"].create(
            {"code": "DISP", "name": "Dispute", "category": "dispute", "pause_dunning": True})
        inv = self._create_invoice(self.customer, 100, D(2026, 1, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 2, 16))
        call = self._actions()
        self.env["credit.relance.call.result"].create(
            {"action_id": call.id, "result": "dispute", "dispute_reason": "Wrong quantity"}).action_confirm()
        self.assertEqual(inv.credit_status_id, dispute)
        self.assertIn("Wrong quantity", inv.message_ids[0].body)
        self.assertEqual(call.state, "done")
        other = self._create_customer("Beta Dunned")
        self._create_invoice(other, 100, D(2026, 1, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 2, 16))
        call2 = self._actions(other)
        self.env["credit.relance.call.result"].create({"action_id": call2.id, "result": "no_answer"}).action_confirm()
        self.assertEqual(call2.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_call_result_wrong_number_paid_and_promise_cancel(self):
        self._create_invoice(self.customer, 100, D(2026, 1, 1))
        other = self._create_customer("Beta Dunned")
        self._create_invoice(other, 100, D(2026, 1, 1))
        with self.mock_mail_gateway():
            self._run(D(2026, 2, 16))
        wrong, paid = self._actions(self.customer), self._actions(other)
        with freeze_time("2026-02-16 10:00:00"):
            self.env["credit.relance.call.result"].create(
                {"action_id": wrong.id, "result": "wrong_number"}).action_confirm()
            self.env["credit.relance.call.result"].create(
                {"action_id": paid.id, "result": "paid", "note": "Paid by transfer"}).action_confirm()
        self.assertEqual(wrong.activity_ids.mapped("summary"), ["Find the customer's right phone number"])
        self.assertEqual(paid.activity_ids.date_deadline, D(2026, 2, 19))
        self.assertEqual(paid.outcome, "Already paid. Paid by transfer")
        with self.assertRaises(UserError):
            self.env["credit.relance.call.result"].create({"action_id": paid.id, "result": "promise"}).action_confirm()
        promise = self.env["credit.relance.promise"].create({
            "partner_id": other.id, "move_ids": [Command.set(paid.move_ids.ids)], "date": D(2026, 3, 1),
            "amount": 100})
        self.assertEqual(paid.move_ids.credit_pause_until, D(2026, 3, 1))
        promise.action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertFalse(paid.move_ids.credit_pause_until)
