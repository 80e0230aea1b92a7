"""A database lock timeout in the middle of the daily run, on real connections.

A second connection holds a row lock while the run executes, on a data set committed by
:class:`CommittedDunningCase`.
"""

import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_committed import CommittedDunningCase


@tagged("post_install", "-at_install")
class TestCreditRelanceFaultsDatabase(CommittedDunningCase):
    _label = "Lock test"
    _customer_count = 2

    def _env(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(self.rec["company"])
        return env, env["credit.relance.engine"].with_company(company), company

    def _actions(self, env):
        return env["credit.relance.action"].search([("partner_id", "in", self.rec["partners"])], order="partner_id")

    def test_lock_timeout_mid_run_is_retried_and_sends_once(self):
        with self.registry.cursor() as cr:
            _env, engine, company = self._env(cr)
            engine._plan(company, self.today)
        start = datetime.datetime.now().replace(microsecond=0)
        # another worker holds the second customer's row while the run executes
        with self.registry.cursor() as locker:
            locker.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.rec["partners"][1]])
            with self.registry.cursor() as cr, freeze_time(start), mute_logger("odoo.sql_db"):
                cr.execute("SET LOCAL lock_timeout = '200ms'")
                env, engine, company = self._env(cr)
                engine._execute_due(company, self.today)
            locker.rollback()
        with self.registry.cursor() as cr:
            env, engine, company = self._env(cr)
            first, second = self._actions(env)
            self.assertEqual((first.state, second.state), ("done", "error"))
            self.assertIn("lock", second.error_message)
            self.assertEqual(second.attempt_count, 1)
            self.assertEqual(second.next_retry, start + datetime.timedelta(minutes=30))
            self.assertFalse(second.mail_message_ids, "nothing half-written for the locked customer")
        # the retry, once due, sends the second reminder; the first is not sent again
        with self.registry.cursor() as cr, freeze_time(start + datetime.timedelta(minutes=31)):
            env, engine, company = self._env(cr)
            engine._execute_due(company, self.today)
        with self.registry.cursor() as cr:
            env, _engine, _company = self._env(cr)
            first, second = self._actions(env)
            self.assertEqual((first.state, second.state), ("done", "done"))
            self.assertEqual((first.attempt_count, second.attempt_count), (1, 2))
            mails = env["mail.mail"].search([("mail_message_id", "in", (first | second).mail_message_ids.ids)])
            self.assertEqual(len(mails), 2, "one message per customer, none twice")
