"""The optional queue_job path of the daily run.

These tests need OCA's queue_job installed: they are not part of the standard run and are
selected with ``--test-tags credit_queue_job`` on a database with ``credit_relance,queue_job``
(``setup/test.sh`` does it).
"""

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import Form, tagged
from odoo.tests import common as odoo_test_common
from odoo.tools import mute_logger

from .common_engine import CreditRelanceEngineCommon, D

DAY = D(2026, 3, 9)  # a Monday
CRON_TIME = datetime.datetime(2026, 3, 9, 4, 0)  # 05:00 in Paris


@tagged("-standard", "credit_queue_job", "post_install", "-at_install")
class TestCreditRelanceQueueJob(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
            # queue_job 18.0.4.x's test helpers register in this table of Odoo 18 builds from mid-2025 on,
            # which allows their patches; older 18.0 builds check no patch: an empty table is the same
            odoo_test_common.SETATTR_SOURCES = {}
        # queue_job is optional: its test helpers exist only where these (selected) tests run
        from odoo.addons.queue_job.job import Job
        from odoo.addons.queue_job.tests.common import trap_jobs

        cls.JobClass = Job

        cls.trap_jobs = staticmethod(trap_jobs)
        cls.company.credit_batch_size = 2
        customers = cls.customer | cls.env["res.partner"].concat(
            *(cls._create_customer(f"Customer {index}") for index in range(4)))
        cls.customers = customers
        for customer in customers:  # the first reminder, by e-mail, automatic
            cls._create_invoice(customer, 100, DAY - datetime.timedelta(days=5))
        cls._create_invoice(customers[1], 200, DAY - datetime.timedelta(days=30))  # second reminder: validate
        cls._create_invoice(customers[2], 300, DAY - datetime.timedelta(days=45))  # a call: manual
        customers[3].email = False  # no address: its e-mail goes to error, with an alert

    def _cron(self):
        # the cron commits per batch (and after enqueuing); the test keeps its one transaction.
        # It runs as its user, the superuser, over every company.
        with freeze_time(CRON_TIME), patch.object(self.env.cr, "commit"):
            self.env(user=SUPERUSER_ID)["credit.relance.engine"]._cron_daily_run()

    def _snapshot(self):
        """What a run leaves: the actions, their lines, messages, mails and activities."""
        actions = self._actions()
        return sorted(
            (action.partner_id.name, action.step_id.name, action.channel, action.state, action.error_message or "",
             tuple(sorted((line.move_id.name, line.skipped) for line in action.line_ids)),
             tuple(sorted(action.mail_message_ids.mapped("subject"))),
             tuple(sorted(action.mail_message_ids.mail_ids.recipient_ids.mapped("email"))),
             tuple(sorted(action.activity_ids.mapped("summary"))))
            for action in actions
        )

    def test_cron_enqueues_one_job_per_batch(self):
        self.company.credit_use_queue_job = True
        engine = self.env["credit.relance.engine"]
        with self.trap_jobs() as trap:
            self._cron()
        self.assertFalse(self._actions(), "the cron plans nothing itself")
        ids = sorted(self.customers.ids)
        batches = [ids[0:2], ids[2:4], ids[4:5]]
        trap.assert_jobs_count(3, only=engine._job_run_batch)
        for chunk in batches:
            trap.assert_enqueued_job(
                engine._job_run_batch,
                args=(self.company, DAY, chunk),
                properties={
                    "channel": "root.credit_relance",
                    "identity_key": f"credit_relance_batch-{self.company.id}-{DAY}-{chunk[0]}-{chunk[-1]}-{len(chunk)}",
                },
            )

    def test_second_cron_run_enqueues_nothing_more(self):
        """Stored for real: the identity key keeps the waiting jobs from being enqueued twice."""
        self.company.credit_use_queue_job = True
        Job = self.env["queue.job"].sudo()  # sudo: the jobs are read by queue_job's managers only
        self._cron()
        jobs = Job.search([("method_name", "=", "_job_run_batch")])
        self.assertEqual(len(jobs), 3)
        self.assertEqual(set(jobs.mapped("channel")), {"root.credit_relance"})
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self._cron()
        self.assertEqual(Job.search([("method_name", "=", "_job_run_batch")]), jobs)
        # a stored job, read back from the database as the job runner does, runs its batch
        first = jobs.sorted("id")[0]
        with freeze_time(CRON_TIME), self.mock_mail_gateway():
            self.JobClass.load(self.env, first.uuid).perform()
        batch = self.env["res.partner"].browse(sorted(self.customers.ids)[:2])
        self.assertEqual(self._actions().partner_id, batch)
        self.assertEqual(set(self._actions().mapped("state")), {"done", "to_validate"})

    def test_jobs_give_the_same_actions_as_the_cron(self):
        savepoint = self.env.cr.savepoint()
        with self.mock_mail_gateway(), self.trap_jobs() as trap:
            self._cron()
        trap.assert_jobs_count(0)
        in_cron = self._snapshot()
        self.assertEqual(len(in_cron), 7, "five first reminders, a second reminder, a call")
        self.assertIn("error", {row[3] for row in in_cron})
        self.env.flush_all()
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.assertFalse(self._actions())

        self.company.credit_use_queue_job = True
        with self.mock_mail_gateway(), self.trap_jobs() as trap:
            self._cron()
            self.assertFalse(self._actions())
            with freeze_time(CRON_TIME):
                trap.perform_enqueued_jobs()
        self.assertEqual(self._snapshot(), in_cron)

    def test_job_run_twice_creates_nothing_more(self):
        self.company.credit_use_queue_job = True
        with self.mock_mail_gateway(), self.trap_jobs() as trap:
            self._cron()
            jobs = list(trap.enqueued_jobs)
            with freeze_time(CRON_TIME):
                trap.perform_enqueued_jobs()
            done = self._snapshot()
            counts = (self.env["mail.mail"].search_count([]), self.env["mail.message"].search_count([]),
                      self.env["mail.activity"].search_count([]))
            with freeze_time(CRON_TIME):
                for job in jobs:
                    job.perform()
        self.assertEqual(self._snapshot(), done)
        self.assertEqual((self.env["mail.mail"].search_count([]), self.env["mail.message"].search_count([]),
                          self.env["mail.activity"].search_count([])), counts)


@tagged("post_install", "-at_install")
class TestCreditRelanceQueueJobAbsent(CreditRelanceEngineCommon):
    """queue_job is optional: without it the setting cannot be switched on and changes nothing."""

    def setUp(self):
        super().setUp()
        if "queue.job" in self.env:
            self.skipTest("queue_job is installed on this database")

    def test_setting_is_readonly_without_queue_job(self):
        with mute_logger("odoo.tests.form.onchange"):  # accounting's own settings warn about the test taxes
            settings = Form(self.env["res.config.settings"])
        self.assertFalse(settings.credit_queue_job_installed)
        with self.assertRaises(AssertionError):
            settings.credit_use_queue_job = True

    def test_cron_runs_the_batches_itself(self):
        self.company.credit_use_queue_job = True  # set by hand, or before queue_job was uninstalled
        self._create_invoice(self.customer, 100, DAY - datetime.timedelta(days=5))
        with freeze_time(CRON_TIME), patch.object(self.env.cr, "commit"), self.mock_mail_gateway():
            self.env(user=SUPERUSER_ID)["credit.relance.engine"]._cron_daily_run()
        action = self._actions()
        self.assertEqual(action.step_id, self.step_first)
        self.assertEqual(action.state, "done")
