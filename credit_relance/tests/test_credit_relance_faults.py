"""Faults of the outside world during a run: nothing lost, nothing sent twice, retried with a limit.

Only the outside world is faked: the SMTP server (``IrMailServer.send_email``), the SMS gateway
(``mockSMSGateway``) and the PDF engine (``wkhtmltopdf``).
"""

import datetime
import doctest
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.base.models.ir_mail_server import IrMailServer

from ..tools import retry
from .common_engine import CreditRelanceEngineCommon, D

DT = datetime.datetime


class TestToolsRetry(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(retry)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_backoff_grows_and_stops(self):
        now = DT(2026, 3, 2, 10, 0)
        moments = [retry.next_retry(n, now, transient=True) for n in range(1, retry.MAX_ATTEMPTS + 1)]
        self.assertEqual(moments[-1], None)
        delays = [moment - now for moment in moments[:-1]]
        self.assertEqual(delays, sorted(delays))
        self.assertEqual(len(set(delays)), len(delays))


@tagged("post_install", "-at_install")
class TestCreditRelanceFaults(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beta = cls._create_customer("Beta Dunned", mobile="06 12 34 56 72")
        cls.gamma = cls._create_customer("Gamma Dunned", mobile="06 12 34 56 73")
        cls.customers = cls.customer | cls.beta | cls.gamma
        for customer in cls.customers:
            cls._create_invoice(customer, 100, D(2026, 3, 2))

    def _send_queue(self, failing_email=None, delivered=None):
        """Process the mail queue; the SMTP server times out on ``failing_email``."""
        original = IrMailServer.send_email

        def flaky_send(server, message, *args, **kwargs):
            if failing_email and failing_email in message["To"]:
                raise TimeoutError("timed out")
            result = original(server, message, *args, **kwargs)
            if delivered is not None:
                delivered.append(message["To"])
            return result

        mails = self.env["mail.mail"].search([("state", "=", "outgoing")])
        with patch.object(IrMailServer, "send_email", new=flaky_send), \
                mute_logger("odoo.addons.mail.models.mail_mail"):
            mails.send()

    def test_smtp_timeout_mid_batch_retried_with_backoff_never_twice(self):
        delivered = []
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7), hour=10)  # 09:00 UTC
            actions = self._actions().filtered(lambda a: a.step_id == self.step_first)
            self.assertEqual(len(actions), 3)
            self.assertEqual(set(actions.mapped("state")), {"done"})
            with freeze_time("2026-03-07 09:05:00"):
                self._send_queue(failing_email=self.beta.email, delivered=delivered)
            failed = actions.filtered(lambda a: a.partner_id == self.beta)
            self.assertEqual(failed.state, "error")
            self.assertIn("timed out", failed.error_message)
            self.assertEqual(failed.attempt_count, 1)
            self.assertEqual(failed.next_retry, DT(2026, 3, 7, 9, 35))
            self.assertIn("tried again automatically", failed.message_ids[0].body)
            self.assertEqual(set((actions - failed).mapped("state")), {"done"})
            # no collector alert while the automatic retry is pending; the digest tells it
            self.assertFalse(failed.activity_ids)
            self.env.user.email = "supervisor@company.example.com"
            self.engine._cron_send_digest()
            digest = self._new_mails.filtered(lambda m: "Dunning errors" in (m.subject or ""))
            self.assertIn("1 will be tried again automatically; 0 need a person", digest.body_html)
            self.assertIn("timed out", digest.body_html)
            # before the retry is due, a run leaves it alone
            self._run(D(2026, 3, 7), hour=10)
            self.assertEqual(failed.state, "error")
            # when it is due, the run sends a new message; the failed mail is never resent
            self._run(D(2026, 3, 7), hour=11)  # 10:00 UTC
            self.assertEqual(failed.state, "done")
            self.assertEqual(failed.attempt_count, 2)
            self.assertEqual(failed.mail_message_ids.sorted("id")[0].notification_ids.mapped("notification_status"),
                             ["canceled"], "the failed mail cannot be resent by hand on top of the retry")
            self.assertFalse(failed.next_retry)
            self.assertEqual(len(failed.mail_message_ids), 2)
            with freeze_time("2026-03-07 10:05:00"):
                self._send_queue(delivered=delivered)
                self._send_queue(delivered=delivered)
        self.assertEqual([sum(customer.email in to for to in delivered) for customer in self.customers], [1, 1, 1],
                         "each customer received exactly one reminder")
        self.assertEqual(len(self._actions().filtered(lambda a: a.step_id == self.step_first)), 3)

    def test_pdf_engine_crash_retried_then_left_to_a_person(self):
        self.step_second.write({"channel": "letter", "trigger_mode": "auto"})
        engine = self.engine.with_context(force_report_rendering=True)
        with self.mock_mail_gateway(), \
                patch.object(IrActionsReport, "get_wkhtmltopdf_state", return_value="ok"), \
                patch.object(IrActionsReport, "_run_wkhtmltopdf", side_effect=OSError("wkhtmltopdf crashed")):
            moments = ["2026-04-01 07:00:00", "2026-04-01 07:30:00", "2026-04-01 09:30:00", "2026-04-01 17:30:00"]
            for attempt, moment in enumerate(moments, start=1):
                with freeze_time(moment):
                    engine._run_company(self.company, today=D(2026, 4, 1))
                letters = self._actions(self.customer).filtered(lambda a: a.channel == "letter")
                self.assertEqual(len(letters), 1)
                self.assertEqual(letters.state, "error")
                self.assertEqual(letters.attempt_count, attempt)
                self.assertIn("wkhtmltopdf crashed", letters.error_message)
            self.assertFalse(letters.next_retry, "given up after the last attempt")
            self.assertIn("Given up after 4 attempts", letters.message_ids[0].body)
            self.assertEqual(letters.activity_ids.summary, "Dunning action in error")
            self.assertFalse(letters.attachment_ids)
            # a later run does not try again: the collector clicks Retry once the engine is fixed
            with freeze_time("2026-04-02 07:00:00"):
                engine._run_company(self.company, today=D(2026, 4, 1))
            self.assertEqual(letters.attempt_count, 4)

    def test_pdf_engine_missing_is_not_retried(self):
        self.step_second.write({"channel": "letter", "trigger_mode": "auto"})
        with self.mock_mail_gateway(), freeze_time("2026-04-01 07:00:00"), \
                patch.object(IrActionsReport, "get_wkhtmltopdf_state", return_value="install"):
            self.engine.with_context(force_report_rendering=True)._run_company(self.company, today=D(2026, 4, 1))
        letter = self._actions(self.customer).filtered(lambda a: a.channel == "letter")
        self.assertEqual(letter.state, "error")
        self.assertFalse(letter.next_retry)
        self.assertIn("fix the cause, then click Retry", letter.message_ids[0].body)

    def test_sms_gateway_errors(self):
        """Out of credit and server error: retried later; a number the gateway refuses: a person looks."""
        self.customer.mobile = "06 12 34 56 71"
        errors = {"+33612345671": "credit", "+33612345672": "server_error", "+33612345673": "wrong_number_format"}
        with self.mock_mail_gateway(), self.mockSMSGateway(nbr_t_error=errors):
            self._run(D(2026, 3, 17), hour=10)
            sms_actions = self._actions().filtered(lambda a: a.channel == "sms")
            self.assertEqual(set(sms_actions.mapped("state")), {"done"})
            with freeze_time("2026-03-17 09:05:00"):
                self.env["sms.sms"].search([("state", "=", "outgoing")])._send()
        by_customer = {action.partner_id: action for action in sms_actions}
        for customer, reason, retried in [(self.customer, "Insufficient Credit", True),
                                          (self.beta, "Server Error", True),
                                          (self.gamma, "Wrong Number Format", False)]:
            action = by_customer[customer]
            with self.subTest(customer=customer.name):
                self.assertEqual(action.state, "error")
                self.assertEqual(action.error_message, f"The SMS could not be delivered: {reason}")
                self.assertEqual(bool(action.next_retry), retried)
        # the retry sends one new SMS to each retried customer, none to the refused number
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 17), hour=11)
            self.assertEqual(by_customer[self.customer].state, "done")
            self.assertEqual(by_customer[self.beta].state, "done")
            self.assertEqual(by_customer[self.gamma].state, "error")
            self.assertEqual(len(self.env["sms.sms"].search([("state", "=", "outgoing")])), 2)
