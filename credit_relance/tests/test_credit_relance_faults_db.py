"""A database lock timeout in the middle of the daily run, on real connections.

A TransactionCase shares one transaction, so it cannot show a lock held by another worker.
This test commits a small data set in the main company, holds a row lock from a second
connection while the run executes, checks, and deletes everything it created.
"""

import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditRelanceFaultsDatabase(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.today = fields.Date.today()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            template = env["mail.template"].create({
                "name": "Lock test reminder", "model_id": env["ir.model"]._get_id("res.partner"),
                "subject": "Reminder", "body_html": "<p>Please pay.</p>",
            })
            scenario = env["credit.relance.scenario"].create({
                "name": "Lock test scenario", "company_id": company.id, "min_interval_days": 0,
                "step_ids": [Command.create({"name": "Reminder", "offset_days": 1, "channel": "email",
                                             "trigger_mode": "auto", "mail_template_id": template.id})],
            })
            partners = env["res.partner"].create([{
                "name": f"Lock test customer {index}", "is_company": True,
                "email": f"lock{index}@customer.example.com", "credit_scenario_pinned_id": scenario.id,
            } for index in (1, 2)])
            invoices = env["account.move"].with_company(company).create([{
                "move_type": "out_invoice", "partner_id": partner.id,
                "invoice_date": self.today - datetime.timedelta(days=30),
                "invoice_date_due": self.today - datetime.timedelta(days=2),
                "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 100,
                                                     "tax_ids": [Command.clear()]})],
            } for partner in partners])
            invoices.action_post()
            self.rec = {"company": company.id, "template": template.id, "scenario": scenario.id,
                        "partners": partners.ids, "invoices": invoices.ids,
                        "last_trigger": env["ir.cron.trigger"].search([], order="id desc", limit=1).id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].browse(self.rec["partners"])
            actions = env["credit.relance.action"].search([("partner_id", "in", partners.ids)])
            messages = actions.mail_message_ids
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            env["mail.message"].search(
                [("model", "=", "credit.relance.action"), ("res_id", "in", actions.ids)]).unlink()
            actions.unlink()
            invoices = env["account.move"].browse(self.rec["invoices"])
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)]).unlink()
            partners.unlink()
            env["credit.relance.scenario"].browse(self.rec["scenario"]).unlink()
            env["mail.template"].browse(self.rec["template"]).unlink()
            # the retry planned by the test must not wake the cron of a server serving this database
            env["ir.cron.trigger"].search([("id", ">", self.rec["last_trigger"])]).unlink()

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
