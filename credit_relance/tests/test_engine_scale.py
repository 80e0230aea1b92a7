import datetime
import itertools

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .bench_data import BenchDataGenerator

TODAY = datetime.date(2026, 3, 31)
BATCH_SIZE = 5


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestEngineScale(AccountTestInvoicingCommon):
    """The planning's queries per batch of customers depend neither on the invoices in the batch
    nor on the size of the run (data from the benchmark's SQL generator)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("credit_relance.credit_relance_group_supervisor")
        cls.company = cls.env.company
        cls.company.credit_batch_size = BATCH_SIZE
        cls.collector = cls.env["res.users"].create({
            "name": "Scale collector", "login": "scale_collector",
            "groups_id": [Command.link(cls.env.ref("credit_relance.credit_relance_group_collector").id)],
        })
        template = cls.env["mail.template"].create({
            "name": "Scale reminder", "model_id": cls.env["ir.model"]._get_id("res.partner"),
            "subject": "Reminder", "body_html": "<p>Please pay.</p>",
        })
        # one automatic e-mail step: every batch does the same kinds of work (a batch holding a
        # phone step also creates activities: a few queries more, whatever its number of actions)
        cls.scenario = cls.env["credit.relance.scenario"].create({
            "name": "Scale scenario",
            "step_ids": [Command.create({
                "name": "Reminder", "offset_days": 1, "channel": "email", "trigger_mode": "auto",
                "mail_template_id": template.id,
            })],
        })
        cls.env["credit.relance.group"].create({
            "sequence": 1, "name": "Everybody (scale)", "domain": "[('customer_rank', '>', 0)]",
            "scenario_id": cls.scenario.id, "collector_id": cls.collector.id,
        })

    def _queries_per_batch(self, customers, invoices):
        """Generate the data, plan, return the queries of each batch after the first; roll back."""
        savepoint = self.env.cr.savepoint()
        try:
            BenchDataGenerator(self.env, today=TODAY, salesperson_ids=self.collector.ids).generate(customers, invoices)
            self.env["credit.relance.group"]._recompute_all()
            self.env.flush_all()
            marks = []

            def on_batch(count, remaining):
                self.env.flush_all()
                marks.append(self.env.cr.sql_log_count)

            planned = self.engine._plan(self.company, TODAY, on_batch=on_batch)
            self.assertGreater(planned, 0)
            return [after - before for before, after in itertools.pairwise(marks)]
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def setUp(self):
        super().setUp()
        self.engine = self.env["credit.relance.engine"]

    def test_queries_per_batch_do_not_grow_with_n(self):
        # 2 invoices per customer over 15 customers, then 10 per customer over 60 customers
        small = self._queries_per_batch(customers=15, invoices=30)
        large = self._queries_per_batch(customers=60, invoices=600)
        self.assertEqual(len(small), 2)
        self.assertEqual(len(large), 11)
        # a fixed number of queries per batch: none per invoice, action or customer
        self.assertEqual(len(set(small + large)), 1, f"queries per batch: small {small}, large {large}")
        self.assertLessEqual(large[0], 30, f"queries per batch: {large}")
