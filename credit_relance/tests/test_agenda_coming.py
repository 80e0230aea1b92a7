import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form

from .common_engine import CreditRelanceEngineCommon

D = datetime.date


class TestAgendaComing(CreditRelanceEngineCommon):
    """The agenda's "coming" column: the next scenario step of open invoices, projected.

    The scenario of the common fixture: -3 e-mail, +5 e-mail, +15 SMS, +30 e-mail, +45 phone.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.collector
        # the coming steps are invoices: the collector reads them
        cls.collector.groups_id += cls.env.ref("account.group_account_invoice")
        cls.Agenda = cls.env["credit.relance.agenda"].with_user(cls.collector)

    def _invoice(self, amount, due, partner=None):
        with freeze_time("2026-03-01"):
            return self._create_invoice(partner or self.customer, amount, due)

    def _coming(self, agenda, row):
        rows = {r["key"]: r for section in agenda["sections"] for r in section["rows"]}
        return rows[row]["cells"]["coming"]

    def _agenda(self, day, **filters):
        with freeze_time(day):
            return self.Agenda.get_agenda(filters)

    def _check_counts_equal_lists(self, agenda, day):
        with freeze_time(day):
            for section in agenda["sections"]:
                for row in section["rows"]:
                    for key, cell in row["cells"].items():
                        records = self.env[cell["res_model"]].with_user(self.collector).search(cell["domain"])
                        self.assertEqual(cell["count"], len(records), (row["key"], key))

    def test_projection_follows_the_run_and_the_payment(self):
        inv = self._invoice(100, D(2026, 3, 10))
        self.assertEqual((inv.credit_next_step_id, inv.credit_next_step_date), (self.step_pre, D(2026, 3, 7)))
        self.assertEqual(inv.credit_next_user_id, self.collector)
        self._run(D(2026, 3, 7))
        self.assertEqual((inv.credit_next_step_id, inv.credit_next_step_date), (self.step_first, D(2026, 3, 15)))
        # the run skips a pause: the steps fallen due meanwhile are taken on its last day, at once
        with freeze_time("2026-03-08"):
            inv.credit_pause_until = D(2026, 3, 27)
        self.assertEqual((inv.credit_next_step_id, inv.credit_next_step_date), (self.step_sms, D(2026, 3, 27)))
        with freeze_time("2026-03-08"):
            inv.credit_pause_until = False
        self.assertEqual(inv.credit_next_step_date, D(2026, 3, 15))
        # a step moved by the supervisor moves the projection
        with freeze_time("2026-03-08"):
            self.step_first.offset_days = 6
        self.assertEqual(inv.credit_next_step_date, D(2026, 3, 16))
        self._pay(inv, D(2026, 3, 9))
        self.assertFalse(inv.credit_next_step_id)
        self.assertFalse(inv.credit_next_step_date)

    def test_routing_rule_moves_the_projection(self):
        inv = self._invoice(9000, D(2026, 3, 10))
        big = self.env["credit.relance.scenario"].create({
            "name": "Big invoices", "step_ids": [Command.create({
                "name": "Call first", "offset_days": -10, "channel": "phone", "trigger_mode": "manual"})],
        })
        self.env["credit.relance.routing.rule"].create({
            "name": "Above 5000", "domain": "[('amount_total', '>', 5000)]", "scenario_id": big.id,
        })
        with freeze_time("2026-02-20"):
            self.env["credit.relance.group"]._recompute_all()
        self.assertEqual(inv.credit_scenario_id, big)
        self.assertEqual((inv.credit_next_step_id, inv.credit_next_step_date), (big.step_ids, D(2026, 2, 28)))

    def test_invoice_form_shows_the_next_step(self):
        inv = self._invoice(100, D(2026, 3, 10))
        form = Form(inv)
        self.assertEqual(form.credit_next_step_id, self.step_pre)
        self.assertEqual(form.credit_next_step_date, "2026-03-07")

    def test_coming_column_lists_the_next_steps_in_ten_days(self):
        day = D(2026, 3, 20)
        # e-mail at +5 on March 22: coming
        email_soon = self._invoice(100, D(2026, 3, 17))
        # SMS at +15 on March 25 (the earlier steps ran): coming on the SMS row
        sms_soon = self._invoice(200, D(2026, 3, 10))
        # e-mail at -3 on April 7: beyond the window
        self._invoice(300, D(2026, 4, 10))
        # would be coming, but paused by a status, excluded from dunning, or paid
        paused_status = self.env["credit.relance.status"].create(
            {"code": "AGP", "name": "On hold", "category": "other", "pause_dunning": True})
        self._invoice(400, D(2026, 3, 27)).credit_status_id = paused_status
        self._invoice(500, D(2026, 3, 27)).credit_dunning_blocked = True
        self._pay(self._invoice(600, D(2026, 3, 27)), D(2026, 3, 19))
        # another collector's customer
        other = self._create_customer("Other Customer")
        self._invoice(700, D(2026, 3, 27), partner=other)
        self._run(D(2026, 3, 15))  # runs the -3 e-mail of the first and the +5 e-mail of the second
        self.assertEqual(sms_soon.credit_next_step_id, self.step_sms)
        # a promise to pay falling due in the window
        with freeze_time("2026-03-20"):
            self.env["credit.relance.promise"].create({
                "partner_id": self.customer.id, "date": D(2026, 3, 28), "amount": 50, "user_id": self.collector.id,
            })
        agenda = self._agenda(day)
        email, sms = self._coming(agenda, "email"), self._coming(agenda, "sms")
        self.assertEqual(email["res_model"], "account.move")
        moves = self.env["account.move"].search(email["domain"])
        self.assertEqual(moves, email_soon)
        self.assertEqual(self.env["account.move"].search(sms["domain"]), sms_soon)
        self.assertEqual(self._coming(agenda, "promise")["count"], 1)
        self.assertEqual(self._coming(agenda, "promise")["res_model"], "credit.relance.promise")
        self._check_counts_equal_lists(agenda, day)
        # the filters on top apply to the column
        self.assertEqual(self._coming(self._agenda(day, amount_min=150), "email")["count"], 0)
        self.assertEqual(self._coming(self._agenda(day, amount_min=150), "sms")["count"], 1)
        self.assertEqual(self._coming(self._agenda(day, due_to="2026-03-12"), "sms")["count"], 1)
        self.assertEqual(self._coming(self._agenda(day, due_to="2026-03-12"), "email")["count"], 0)
        other_scenario = self.env["credit.relance.scenario"].create({"name": "Other"})
        self.assertEqual(self._coming(self._agenda(day, scenario_id=other_scenario.id), "email")["count"], 0)
        self.assertEqual(self._coming(self._agenda(day, scenario_id=self.scenario.id), "email")["count"], 1)
        everybody = self.env["credit.relance.agenda"].with_context(allowed_company_ids=self.company.ids)
        with freeze_time(day):
            self.assertEqual(self._coming(everybody.get_agenda({"user_id": False}), "email")["count"], 2)

    def test_postponed_action_counts_in_its_channel(self):
        inv = self._invoice(100, D(2026, 3, 30))  # next: -3 e-mail on March 27
        with freeze_time("2026-03-20"):
            action = self.env["credit.relance.action"].create({
                "partner_id": self.customer.id, "scenario_id": self.scenario.id, "channel": "phone",
                "trigger_mode": "manual", "state": "to_do", "planned_date": D(2026, 3, 24),
                "user_id": self.collector.id, "line_ids": [(0, 0, {"move_id": inv.id})],
            })
        agenda = self._agenda(D(2026, 3, 20))
        phone = self._coming(agenda, "phone")
        self.assertEqual(self.env["account.move"].search(phone["domain"]), inv)
        self.assertEqual(self._coming(agenda, "email")["count"], 1)
        self._check_counts_equal_lists(agenda, D(2026, 3, 20))
        action.planned_date = D(2026, 4, 10)
        self.assertEqual(self._coming(self._agenda(D(2026, 3, 20)), "phone")["count"], 0)

    def test_query_count_does_not_grow_with_invoices(self):
        def queries():
            self.env.invalidate_all()
            with freeze_time("2026-03-20"):
                before = self.cr.sql_log_count
                self.Agenda.get_agenda({})
                return self.cr.sql_log_count - before

        for index in range(3):
            self._invoice(100 + index, D(2026, 3, 24 + index))
        queries()  # warm the caches
        small = queries()
        for index in range(30):
            self._invoice(100 + index, D(2026, 3, 24 + index % 7))
        self.assertEqual(queries(), small)
        self.assertEqual(self._coming(self._agenda(D(2026, 3, 20)), "email")["count"], 33)
