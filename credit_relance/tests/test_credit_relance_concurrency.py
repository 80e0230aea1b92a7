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
