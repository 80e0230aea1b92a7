"""The default templates, sent by the engine: the action's own invoices and late fees.

Their helpers on the customer (``object._credit_overdue_invoices()``, ``_credit_late_fees()``)
read the action's figures from the record's context, which the engine sets per record whether
it renders one action or a batch.
"""

from freezegun import freeze_time

from odoo.tests import tagged

from .common_engine import CreditRelanceEngineCommon, D

DAY = D(2026, 2, 5)  # first reminder of an invoice due on 31 January


@tagged("post_install", "-at_install")
class TestCreditRelanceDefaultTemplates(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls._create_invoice(cls.customer, 10000, D(2026, 1, 31))
        # open but not due before April: not in the reminder of 5 February
        cls.not_due = cls._create_invoice(cls.customer, 777, D(2026, 4, 30))

    def _sent_body(self, action):
        return "".join(action.mail_message_ids.mapped("body"))

    def test_reminder_lists_only_the_action_invoices(self):
        self.step_first.mail_template_id = self.env.ref("credit_relance.mail_template_reminder_1")
        with self.mock_mail_gateway():
            self._run(DAY)
        action = self._actions(self.customer)
        self.assertEqual((action.step_id, action.state), (self.step_first, "done"))
        body = self._sent_body(action)
        self.assertIn(self.late.name, body)
        self.assertNotIn(self.not_due.name, body, "the invoice not due yet is not part of this reminder")
        self.assertIn("10,000.00", body, "total of the action, not of every open invoice")
        self.assertNotIn("10,777.00", body)

    def test_one_action_rendered_alone_lists_only_its_invoices(self):
        template = self.env.ref("credit_relance.mail_template_reminder_1")
        self.step_first.mail_template_id = template
        with freeze_time(DAY):
            self.engine._plan(self.company, DAY, partners=self.customer)
            action = self._actions(self.customer)
            _subject, body = self.engine._render_email(action, template)
        self.assertIn(self.late.name, body)
        self.assertNotIn(self.not_due.name, body)

    def test_formal_notice_states_the_late_fees(self):
        self.step_first.write({
            "mail_template_id": self.env.ref("credit_relance.mail_template_formal_notice").id,
            "apply_late_fees": True,
        })
        with self.mock_mail_gateway():
            self._run(DAY)
        action = self._actions(self.customer)
        self.assertEqual((action.step_id, action.state), (self.step_first, "done"))
        body = self._sent_body(action)
        # 10,000 for 5 days at 12.15 % (ECB 2.15 % + 10 points): 16.64; indemnity 40
        self.assertIn("16.64", body)
        self.assertIn("40.00", body)
        self.assertIn("12.15 % per year", body)
        self.assertIn("L441-10", body)

    def test_no_late_fees_paragraph_when_nothing_is_claimed(self):
        self.step_pre.write({
            "mail_template_id": self.env.ref("credit_relance.mail_template_formal_notice").id,
            "apply_late_fees": True,
        })
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 27))  # the preventive step of the invoice due on 30 April
        action = self._actions(self.customer).filtered(lambda a: a.step_id == self.step_pre)
        body = self._sent_body(action)
        self.assertIn(self.not_due.name, body)
        self.assertNotIn("L441-10", body, "nothing is late: no late fees to state")

    def test_sms_states_the_action_total(self):
        self.step_sms.sms_template_id = self.env.ref("credit_relance.sms_template_reminder")
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 2, 16))  # a Monday: no SMS on Sundays
        action = self._actions(self.customer).filtered(lambda a: a.step_id == self.step_sms)
        self.assertEqual(action.state, "done")
        body = "".join(self._new_sms.mapped("body"))
        self.assertIn("10,000.00", body)
        self.assertNotIn("10,777.00", body)
