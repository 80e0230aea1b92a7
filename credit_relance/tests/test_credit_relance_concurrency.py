"""Two dunning runs at once, on two real database connections.

A TransactionCase shares one transaction between all its cursors, so it cannot show what two
cron workers do. This test commits its own small data set in the main company, runs two engines
on two independent cursors interleaved step by step, checks, and deletes everything it created.
"""

import datetime

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditRelanceConcurrency(BaseCase):
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
                "name": "Concurrency test reminder",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "subject": "Reminder",
                "body_html": "<p>Please pay.</p>",
            })
            scenario = env["credit.relance.scenario"].create({
                "name": "Concurrency test scenario", "company_id": company.id, "min_interval_days": 0,
                "step_ids": [Command.create({"name": "Reminder", "offset_days": 1, "channel": "email",
                                             "trigger_mode": "auto", "mail_template_id": template.id})],
            })
            partner = env["res.partner"].create({
                "name": "Concurrency test customer", "is_company": True,
                "email": "concurrency@customer.example.com", "credit_scenario_pinned_id": scenario.id,
            })
            invoice = env["account.move"].with_company(company).create({
                "move_type": "out_invoice", "partner_id": partner.id,
                "invoice_date": self.today - datetime.timedelta(days=30),
                "invoice_date_due": self.today - datetime.timedelta(days=2),
                "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 100,
                                                     "tax_ids": [Command.clear()]})],
            })
            invoice.action_post()
            self.rec_ids = {"company": company.id, "template": template.id, "scenario": scenario.id,
                        "partner": partner.id, "invoice": invoice.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.rec_ids["partner"])
            env["credit.relance.action"].search([("partner_id", "=", partner.id)]).unlink()
            invoice = env["account.move"].browse(self.rec_ids["invoice"])
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)]).unlink()
            partner.unlink()
            env["credit.relance.scenario"].browse(self.rec_ids["scenario"]).unlink()
            env["mail.template"].browse(self.rec_ids["template"]).unlink()

    def _engine(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(self.rec_ids["company"])
        partner = env["res.partner"].browse(self.rec_ids["partner"])
        return env["credit.relance.engine"].with_company(company), company, partner

    def _check_exactly_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            actions = env["credit.relance.action"].search([("partner_id", "=", self.rec_ids["partner"])])
            self.assertEqual(len(actions), 1)
            self.assertEqual(actions.state, "done")
            self.assertEqual(actions.attempt_count, 1)
            self.assertEqual(len(actions.line_ids), 1)
            mails = env["mail.mail"].search([("mail_message_id", "in", actions.mail_message_ids.ids)])
            self.assertEqual(len(mails), 1)
            self.assertEqual(len(actions.mail_message_ids), 1)

    def test_two_runs_planning_and_sending_at_once(self):
        """Run B starts while A holds its batch: B plans nothing and claims nothing; after A
        commits, B (still on its old snapshot) meets the unique key and skips."""
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            engine_a, company_a, partner_a = self._engine(cr_a)
            engine_b, company_b, partner_b = self._engine(cr_b)
            self.assertEqual(engine_a._plan(company_a, self.today, partners=partner_a), 1)
            with mute_logger("odoo.addons.credit_relance.models.credit_relance_engine"):
                self.assertEqual(engine_b._plan(company_b, self.today, partners=partner_b), 0)
            self.assertEqual(engine_a._execute_due(company_a, self.today, partners=partner_a), 1)
            self.assertEqual(engine_b._execute_due(company_b, self.today, partners=partner_b), 0)
            cr_a.commit()
            # B's snapshot predates A's commit: the unique (invoice, step) key stops it
            with mute_logger("odoo.sql_db", "odoo.addons.credit_relance.models.credit_relance_engine"):
                self.assertEqual(engine_b._plan(company_b, self.today, partners=partner_b), 0)
            self.assertEqual(engine_b._execute_due(company_b, self.today, partners=partner_b), 0)
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self._check_exactly_once()

    def test_two_runs_claiming_the_same_planned_actions(self):
        """Actions planned and committed; two runs execute at once: each action is sent once."""
        with self.registry.cursor() as cr:
            engine, company, partner = self._engine(cr)
            self.assertEqual(engine._plan(company, self.today, partners=partner), 1)
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            engine_a, company_a, partner_a = self._engine(cr_a)
            engine_b, company_b, partner_b = self._engine(cr_b)
            # B takes its snapshot now, before A does anything
            self.assertEqual(engine_b._plan(company_b, self.today, partners=partner_b), 0)
            self.assertEqual(engine_a._execute_due(company_a, self.today, partners=partner_a), 1)
            # A holds the row lock: SKIP LOCKED gives B nothing
            self.assertEqual(engine_b._execute_due(company_b, self.today, partners=partner_b), 0)
            cr_a.commit()
            # A committed after B's snapshot: B's claim meets a serialization failure and skips
            self.assertEqual(engine_b._execute_due(company_b, self.today, partners=partner_b), 0)
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self._check_exactly_once()

    def test_cron_entry_point_commits_per_batch_and_reruns_idempotently(self):
        """The cron plans and sends in committed batches; rerunning it the same day does nothing."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(self.rec_ids["company"])
            self.rec_ids["batch_size"] = company.credit_batch_size
            company.credit_batch_size = 1
        self.addCleanup(self._restore_batch_size)
        for _run in range(2):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["credit.relance.engine"]._cron_daily_run()
        self._check_exactly_once()

    def _restore_batch_size(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.rec_ids["company"]).credit_batch_size = self.rec_ids["batch_size"]
