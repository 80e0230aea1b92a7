"""E-mails rendered together: one call per template and language, errors kept per action."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common_engine import CreditRelanceEngineCommon, D

DAY = D(2026, 3, 7)


@tagged("post_install", "-at_install")
class TestCreditRelanceEmailBatch(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.MailTemplate = type(cls.env["mail.template"])

    def _plan_customers(self, count, prefix, **values):
        """``count`` customers with one invoice each at the first reminder on DAY, planned."""
        customers = self.env["res.partner"]
        for index in range(count):
            customer = self._create_customer(f"{prefix} {index}", ref=f"{prefix}-{index}", **values)
            self._create_invoice(customer, 100 + index, D(2026, 3, 2))
            customers |= customer
        with freeze_time(DAY):
            self.engine._plan(self.company, DAY, partners=customers)
        actions = self._actions().filtered(lambda action: action.partner_id in customers)
        self.assertEqual(len(actions), count)
        self.assertEqual(set(actions.mapped("channel")), {"email"})
        return actions

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _render_calls(self):
        return patch.object(self.MailTemplate, "_render_field", autospec=True,
                            side_effect=self.MailTemplate._render_field)

    def test_rendering_queries_do_not_grow_with_actions(self):
        self.engine._render_emails(self._plan_customers(1, "Warm"))  # the template and its views in cache
        small, large = self._plan_customers(3, "Small"), self._plan_customers(9, "Large")
        with freeze_time(DAY):
            small_queries = self._count_queries(lambda: self.engine._render_emails(small))
            self.env.flush_all()
            self.env.invalidate_all()
            with self._render_calls() as render, self.assertQueryCount(small_queries):
                rendered = self.engine._render_emails(large)
        self.assertEqual(render.call_count, 2, "one call for the subjects, one for the bodies")
        self.assertEqual(set(rendered), set(large.ids))
        for action in large:
            invoice = action.line_ids.move_id
            self.assertEqual(rendered[action.id]["subject"], f"Reminder for {action.partner_id.name}")
            self.assertIn(f"invoices due: {invoice.name}; total {invoice.amount_residual_signed}",
                          rendered[action.id]["body"], "each customer's own invoices and total")

    def test_same_customer_twice_in_a_group(self):
        first = self._create_invoice(self.customer, 100, D(2026, 3, 2))  # first reminder on DAY
        soon = self._create_invoice(self.customer, 200, D(2026, 3, 10))  # preventive e-mail on DAY
        with self.mock_mail_gateway():
            self._run(DAY)
        actions = self._actions()
        self.assertEqual(actions.mapped("state"), ["done", "done"])
        self.assertEqual(actions.step_id.mail_template_id, self.mail_template)
        by_step = {action.step_id: action.mail_message_ids.body for action in actions}
        self.assertIn(f"{first.name};", by_step[self.step_first])
        self.assertNotIn(soon.name, by_step[self.step_first])
        self.assertIn(f"{soon.name};", by_step[self.step_pre])
        self.assertNotIn(first.name, by_step[self.step_pre])

    def test_one_bad_record_does_not_fail_the_group(self):
        self.mail_template.body_html = "<p>Account <t t-out=\"object.ref.upper()\"/></p>"
        self.mail_template.subject = "{{ len(credit_invoices) }} invoice(s) of {{ object.ref }}"
        actions = self._plan_customers(4, "Good")
        bad = actions[1]
        bad.partner_id.ref = False  # object.ref.upper() fails for this customer only
        with freeze_time(DAY), self.mock_mail_gateway(), self._render_calls() as render:
            self.assertEqual(self.engine._render_emails(actions), {}, "the group's call fails as a whole")
            self.engine._execute_actions(actions)
        self.assertEqual(bad.state, "error")
        self.assertIn("cannot be rendered", bad.error_message)
        self.assertIn("has no attribute 'upper'", bad.error_message)
        self.assertFalse(bad.mail_message_ids)
        good = actions - bad
        self.assertEqual(good.mapped("state"), ["done"] * 3)
        for action in good:
            self.assertEqual(len(action.mail_message_ids), 1, "sent once")
            self.assertIn(f"Account {action.partner_id.ref.upper()}", action.mail_message_ids.body)
            self.assertEqual(action.mail_message_ids.subject, f"1 invoice(s) of {action.partner_id.ref}")
        self.assertEqual(len(self._new_mails), 3)
        # twice the group's call (subjects pass, bodies fail), then one by one: 4 subjects, 4 bodies
        self.assertEqual(render.call_count, 2 + 2 + 8)

    def test_two_languages_each_rendered_in_its_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.mail_template.with_context(lang="fr_FR").write({
            "subject": "Relance pour {{ object.name }}",
            "body_html": "<p>Cher <t t-out=\"object.name\"/>, factures : "
                         "<t t-foreach=\"credit_invoices\" t-as=\"inv\"><t t-out=\"inv.name\"/>; </t></p>",
        })
        self.mail_template.with_context(lang="en_US").subject = \
            "Reminder for {{ object.name }}: {{ len(credit_invoices) }} invoice(s)"
        english = self._plan_customers(2, "English", lang="en_US")
        french = self._plan_customers(3, "French", lang="fr_FR")
        actions = english | french
        with freeze_time(DAY), self.mock_mail_gateway(), self._render_calls() as render:
            self.engine._execute_actions(actions)
        self.assertEqual(render.call_count, 4, "subjects and bodies, once per language")
        self.assertEqual(set(actions.mapped("state")), {"done"})
        for action in english:
            message = action.mail_message_ids
            self.assertEqual(message.subject, f"Reminder for {action.partner_id.name}: 1 invoice(s)")
            self.assertIn("Dear", message.body)
        for action in french:
            message = action.mail_message_ids
            self.assertEqual(message.subject, f"Relance pour {action.partner_id.name}")
            self.assertIn(f"Cher {action.partner_id.name}, factures : {action.line_ids.move_id.name};",
                          message.body)

    def test_invoice_paid_after_rendering_is_left_out(self):
        customer = self._create_customer("Payer")
        kept = self._create_invoice(customer, 100, D(2026, 3, 2))
        paid = self._create_invoice(customer, 300, D(2026, 3, 2))
        with freeze_time(DAY):
            self.engine._plan(self.company, DAY, partners=customer)
        action = self._actions(customer)
        self.assertEqual(action.line_ids.move_id, kept | paid)
        with freeze_time(DAY):
            rendered = self.engine._render_emails(action)
        self.assertIn(paid.name, rendered[action.id]["body"])
        self._pay(paid, DAY)
        with freeze_time(DAY), self.mock_mail_gateway():
            self.engine._execute_one(action, rendered=rendered[action.id])
        self.assertEqual(action.state, "done")
        self.assertIn(kept.name, action.mail_message_ids.body)
        self.assertNotIn(paid.name, action.mail_message_ids.body, "rendered again without the paid invoice")
