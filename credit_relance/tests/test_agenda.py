import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@freeze_time("2026-05-20")
class TestAgenda(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("credit_relance.credit_relance_group_supervisor")
        cls.collector = new_test_user(cls.env, "agenda_col", groups="credit_relance.credit_relance_group_collector",
                                      company_ids=[Command.set(cls.env.company.ids)])
        cls.supervisor = new_test_user(cls.env, "agenda_sup", groups="credit_relance.credit_relance_group_supervisor",
                                       company_ids=[Command.set(cls.env.company.ids)])
        cls.scenario = cls.env["credit.relance.scenario"].create({"name": "Agenda scenario"})
        cls.step = cls.env["credit.relance.step"].create({
            "scenario_id": cls.scenario.id, "name": "Call", "offset_days": 30, "channel": "phone",
            "trigger_mode": "manual",
        })
        cls.dispute = cls.env["credit.relance.status"].create({"code": "AGD", "name": "Dispute", "category": "dispute"})
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.partner_a, amounts=[1000],
                                       invoice_date="2026-03-01", post=True)

    def _action(self, **vals):
        today = fields.Date.today()
        values = {
            "partner_id": self.partner_a.id, "channel": "email", "trigger_mode": "auto", "state": "to_do",
            "planned_date": today, "user_id": self.collector.id, "scenario_id": self.scenario.id,
        }
        values.update(vals)
        return self.env["credit.relance.action"].create(values)

    def _make_actions(self, n):
        today = fields.Date.today()
        for i in range(n):
            self._action(channel=["email", "sms", "phone", "letter"][i % 4],
                         trigger_mode=["auto", "validate", "manual"][i % 3],
                         state=["to_do", "to_validate", "error", "done", "planned"][i % 5],
                         planned_date=today + datetime.timedelta(days=(i % 7) - 3),
                         done_date=fields.Datetime.now() - datetime.timedelta(days=i % 15))

    def test_numbers_equal_the_lists_they_open(self):
        self._make_actions(40)
        follow = self._action(scenario_id=False, channel="phone", trigger_mode="manual", state="to_do")
        self.env["credit.relance.action.line"].create({"action_id": follow.id, "move_id": self.invoice.id})
        self.invoice.credit_status_id = self.dispute
        agenda = self.env["credit.relance.agenda"].with_user(self.collector).get_agenda({})
        seen = 0
        for section in agenda["sections"]:
            for row in section["rows"]:
                for column in agenda["columns"]:
                    cell = row["cells"][column["key"]]
                    records = self.env[cell["res_model"]].with_user(self.collector)
                    self.assertEqual(cell["count"], records.search_count(cell["domain"]), (row["key"], column["key"]))
                    seen += cell["count"]
        self.assertGreater(seen, 0)
        dispute_row = next(r for r in agenda["sections"][1]["rows"] if r["key"] == "dispute")
        self.assertEqual(dispute_row["cells"]["to_do"]["count"], 1)

    def test_query_count_does_not_grow_with_actions(self):
        Agenda = self.env["credit.relance.agenda"].with_user(self.collector)

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Agenda.get_agenda({})
            return self.cr.sql_log_count - before

        self._make_actions(5)
        queries()  # warm the caches
        small = queries()
        self._make_actions(60)
        self.assertEqual(queries(), small)
        self.assertLessEqual(small, 20)

    def test_only_supervisors_see_other_collectors(self):
        self._make_actions(5)
        with self.assertRaises(AccessError):
            self.env["credit.relance.agenda"].with_user(self.collector).get_agenda({"user_id": self.supervisor.id})
        everybody = self.env["credit.relance.agenda"].with_user(self.supervisor).get_agenda({"user_id": False})
        mine = self.env["credit.relance.agenda"].with_user(self.supervisor).get_agenda({})
        total = sum(r["cells"]["to_do"]["count"] for r in everybody["sections"][0]["rows"])
        self.assertGreater(total, 0)
        self.assertEqual(sum(r["cells"]["to_do"]["count"] for r in mine["sections"][0]["rows"]), 0)
        options = self.env["credit.relance.agenda"].with_user(self.supervisor).get_filter_options()
        self.assertIn(self.collector.id, [u["id"] for u in options["collectors"]])
