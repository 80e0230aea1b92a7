from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestCreditRelanceEngineErrors(CreditRelanceEngineCommon):
    """Every failure leaves the action in error with a readable message, and nothing is sent."""

    def _one_action(self):
        action = self._actions(self.customer)
        self.assertEqual(len(action), 1)
        return action

    def test_no_email_address(self):
        self.customer.email = False
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        action = self._one_action()
        self.assertEqual(action.state, "error")
        self.assertEqual(action.error_message, "The customer Acme Dunned has no e-mail address.")
        self.assertEqual(action.attempt_count, 1)
        self.assertFalse(self._new_mails)
        self.assertTrue(action.line_ids, "the invoices of the failed action are kept")
        # alert: an activity for the responsible, once
        self.assertEqual(len(action.activity_ids), 1)
        # the error is fixed, the action is retried and sent
        self.customer.email = "acme@customer.example.com"
        with self.mock_mail_gateway(), freeze_time("2026-03-07 10:00:00"):
            action.action_retry()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.attempt_count, 2)
        self.assertEqual(len(self._new_mails), 1)

    def test_invalid_or_missing_mobile(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        self.customer.mobile = "12"
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 17))
            action = self._one_action()
            self.assertEqual(action.state, "error")
            self.assertEqual(action.error_message, "The mobile number 12 of Acme Dunned is not valid.")
            self.customer.mobile = False
            self.customer.phone = False
            with freeze_time("2026-03-17 10:00:00"):
                action.action_retry()
        self.assertEqual(action.error_message, "The customer Acme Dunned has no mobile number.")
        self.assertFalse(self._new_sms)

    def test_template_that_fails_to_render(self):
        self.mail_template.body_html = "<p><t t-out=\"object.no_such_field.name\"/></p>"
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            self._run(D(2026, 3, 7))
        action = self._one_action()
        self.assertEqual(action.state, "error")
        self.assertIn("cannot be rendered", action.error_message)
        self.assertIn("Dunning e-mail", action.error_message)
        self.assertIn("no attribute 'no_such_field'", action.error_message)
        self.assertNotIn("Traceback", action.error_message)
        self.assertFalse(self._new_mails)

    def test_mail_server_down(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            action = self._one_action()
            self.assertEqual(action.state, "done")
            mails = action.mail_message_ids.mail_ids
            self.assertEqual(mails.state, "outgoing", "queued, not sent inside the transaction")
            server_class = type(self.env["ir.mail_server"])
            with patch.object(server_class, "connect", side_effect=ConnectionRefusedError("Connection refused")), \
                    mute_logger("odoo.addons.mail.models.mail_mail"):
                mails.send()
        self.assertEqual(action.state, "error")
        self.assertIn("Connection refused", action.error_message)

    def test_bounce_puts_action_in_error(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        action = self._one_action()
        message = action.mail_message_ids
        self.env["mail.thread"]._routing_handle_bounce(False, {
            "bounced_email": self.customer.email, "bounced_partner": self.customer,
            "bounced_msg_ids": [message.message_id], "bounced_message": message,
            "email_from": "mailer-daemon@example.com", "to": "bounce@example.com",
            "message_id": "<bounce@example.com>", "body": "Mailbox unknown",
        })
        self.assertEqual(action.state, "error")
        self.assertIn("bounced", action.error_message)

    def test_pdf_engine_missing(self):
        letter_step = self.step_second
        letter_step.write({"channel": "letter", "trigger_mode": "auto"})
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), \
                patch.object(IrActionsReport, "get_wkhtmltopdf_state", return_value="install"):
            self.engine.with_context(force_report_rendering=True)._run_company(self.company, today=D(2026, 4, 1))
        action = self._one_action()
        self.assertEqual(action.state, "error")
        self.assertEqual(
            action.error_message,
            "The letter cannot be generated: Unable to find Wkhtmltopdf on this system. The PDF can not be created.",
        )

    def test_sms_refused_by_provider(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), self.mockSMSGateway(sim_error="wrong_number_format"):
            self._run(D(2026, 3, 17))
            action = self._one_action()
            self.assertEqual(action.state, "done")
            self._new_sms.send()
        self.assertEqual(action.state, "error")
        self.assertIn("could not be delivered", action.error_message)
