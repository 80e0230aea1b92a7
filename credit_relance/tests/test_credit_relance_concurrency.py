"""Two dunning runs at once, on two real database connections.

Two engines run on two independent cursors interleaved step by step, on a data set committed
by :class:`CommittedDunningCase`.
"""


from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_committed import CommittedDunningCase


@tagged("post_install", "-at_install")
class TestCreditRelanceConcurrency(CommittedDunningCase):
    _label = "Concurrency test"

    def _engine(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(self.rec["company"])
        partner = env["res.partner"].browse(self.rec["partners"][0])
        return env["credit.relance.engine"].with_company(company), company, partner

    def _check_exactly_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            actions = env["credit.relance.action"].search([("partner_id", "=", self.rec["partners"][0])])
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
            company = env["res.company"].browse(self.rec["company"])
            self.rec["batch_size"] = company.credit_batch_size
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
            env["res.company"].browse(self.rec["company"]).credit_batch_size = self.rec["batch_size"]


@tagged("post_install", "-at_install")
class TestCreditRelanceSecondWorker(CommittedDunningCase):
    """The daily run wakes a second cron worker once a company's run is prepared; both share the
    batches, each customer dunned once."""

    _label = "Second worker test"
    _customer_count = 2

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            company = api.Environment(cr, SUPERUSER_ID, {})["res.company"].browse(self.rec["company"])
            self.rec["batch_size"] = company.credit_batch_size
            company.credit_batch_size = 1  # one customer per batch: two batches to share
        self.addCleanup(self._restore_company)

    def _restore_company(self):
        with self.registry.cursor() as cr:
            company = api.Environment(cr, SUPERUSER_ID, {})["res.company"].browse(self.rec["company"])
            company.credit_batch_size = self.rec["batch_size"]

    def _dunned(self):
        """{customer id: (actions, their states, mails queued)}"""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = {}
            for partner_id in self.rec["partners"]:
                actions = env["credit.relance.action"].search([("partner_id", "=", partner_id)])
                mails = env["mail.mail"].search_count([("mail_message_id", "in", actions.mail_message_ids.ids)])
                result[partner_id] = (len(actions), actions.mapped("state"), mails)
            return result

    def test_second_worker_takes_the_batches_the_first_does_not_hold(self):
        first, second = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(first, SUPERUSER_ID, {})
            company = env_a["res.company"].browse(self.rec["company"])
            engine_a = env_a["credit.relance.engine"].with_company(company)
            today = engine_a._get_company_today(company)
            engine_a._prepare_run(company, today)
            engine_a._share_run(company, today)  # commits: the second worker may start
            self.assertEqual(company.credit_run_prepared_date, today)
            cron = env_a.ref("credit_relance.ir_cron_daily_run_second_worker")
            self.assertTrue(env_a["ir.cron.trigger"].search(
                [("cron_id", "=", cron.id), ("id", ">", self.rec["last_trigger"])]), "the second worker is woken")
            # the first worker holds the first customer's batch (planned, not committed yet)
            domain = engine_a._get_dunnable_invoices_domain(company, today)
            self.assertEqual(engine_a._plan_chunk(company, today, domain, [self.rec["partners"][0]]), 1)
            # the second worker's share: it leaves the held batch, plans and sends the other one
            with mute_logger("odoo.addons.credit_relance.models.credit_relance_engine"):
                api.Environment(second, SUPERUSER_ID, {})["credit.relance.engine"]._cron_share_daily_run()
            first.commit()
            self.assertEqual(self._dunned(), {self.rec["partners"][0]: (1, ["planned"], 0),
                                              self.rec["partners"][1]: (1, ["done"], 1)})
            # the first worker goes on with every batch: only its own action is left to send
            engine_a._run_batches(company, today)
            first.commit()
        finally:
            first.close()
            second.close()
        done = {partner_id: (1, ["done"], 1) for partner_id in self.rec["partners"]}
        self.assertEqual(self._dunned(), done)
        # woken again, or run on its own schedule, the second worker finds nothing left
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["credit.relance.engine"]._cron_share_daily_run()
        self.assertEqual(self._dunned(), done)
