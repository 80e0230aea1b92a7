from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from . import test_agenda_tour
from .common_portal import CreditPortalCommon


@tagged("post_install", "-at_install")
class TestBackofficeTours(CreditPortalCommon, HttpCase):
    """In Chromium: the supervisor configures, the collector works the queue and calls, a rep looks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal_data()
        cls.supervisor = new_test_user(
            cls.env, login="credit_tour_supervisor", name="Tour Supervisor",
            groups="base.group_user,account.group_account_invoice,credit_relance.credit_relance_group_supervisor")
        cls.collector = new_test_user(
            cls.env, login="credit_tour_collector", name="Tour Collector",
            groups="base.group_user,account.group_account_invoice,credit_relance.credit_relance_group_collector")
        cls.rep = new_test_user(
            cls.env, login="credit_tour_rep", name="Tour Rep",
            groups="base.group_user,account.group_account_readonly,credit_relance.credit_relance_group_salesrep")
        cls.scenario = cls.env["credit.relance.scenario"].create({"name": "Back office scenario"})

    def _phone_action(self, partner, invoice, state, **vals):
        return self.env["credit.relance.action"].create({
            "partner_id": partner.id, "scenario_id": self.scenario.id, "planned_date": self.today,
            "channel": "phone", "state": state, "trigger_mode": "validate", "user_id": self.collector.id,
            "line_ids": [Command.create({"move_id": invoice.id, "amount_residual": invoice.amount_residual,
                                         "date_maturity": invoice.invoice_date_due})],
            **vals,
        })

    def test_supervisor_creates_scenario_and_group(self):
        self.start_tour("/odoo/action-credit_relance.credit_relance_scenario_action",
                        "credit_relance_scenario_tour", login="credit_tour_supervisor")
        scenario = self.env["credit.relance.scenario"].search([("name", "=", "Tour scenario")])
        self.assertRecordValues(scenario.step_ids, [
            {"name": "First call", "offset_days": 10, "channel": "phone", "trigger_mode": "manual"}])
        self.start_tour("/odoo/action-credit_relance.credit_relance_group_action",
                        "credit_relance_group_tour", login="credit_tour_supervisor")
        group = self.env["credit.relance.group"].search([("name", "=", "Tour group")])
        self.assertEqual(group.scenario_id, scenario)

    def test_collector_validates_the_queue_in_bulk(self):
        customer = self.env["res.partner"].create({"name": "Queue Customer", "phone": "+33 4 72 00 00 01"})
        invoices = [self._create_portal_invoice(customer, amount, days_late=40) for amount in (10.0, 20.0)]
        actions = self.env["credit.relance.action"].concat(
            *[self._phone_action(customer, invoice, "to_validate") for invoice in invoices])
        self.start_tour("/odoo/action-credit_relance.credit_relance_action_action_validation",
                        "credit_relance_validation_tour", login="credit_tour_collector")
        self.assertFalse(actions.filtered(lambda a: a.state == "to_validate"))
        self.assertFalse(actions.filtered(lambda a: a.state in ("cancelled", "error")))

    def test_collector_logs_a_call_with_a_promise(self):
        customer = self.env["res.partner"].create({"name": "Call Customer", "phone": "+33 4 72 00 00 02"})
        invoice = self._create_portal_invoice(customer, 150.0, days_late=12)
        action = self._phone_action(customer, invoice, "to_do")
        self.start_tour(f"/odoo/action-credit_relance.credit_relance_action_action/{action.id}",
                        "credit_relance_call_tour", login="credit_tour_collector")
        self.assertEqual(action.state, "done")
        promise = action.promise_ids
        self.assertRecordValues(promise, [{"source": "call", "amount": 80.0, "state": "open"}])
        self.assertEqual(promise.move_ids, invoice)
        self.assertEqual(str(promise.date), "2099-12-31")

    def test_salesrep_sees_own_customers_only(self):
        other_rep = new_test_user(self.env, login="credit_tour_rep2", name="Other Rep",
                                  groups="base.group_user,credit_relance.credit_relance_group_salesrep")
        own = self.env["res.partner"].create({"name": "Rep Own Customer", "user_id": self.rep.id})
        other = self.env["res.partner"].create({"name": "Rep Other Customer", "user_id": other_rep.id})
        for partner in (own, other):
            invoice = self._create_portal_invoice(partner, 90.0, days_late=5)
            self._phone_action(partner, invoice, "to_do", planned_date=self.today - timedelta(days=1))
        self.start_tour("/odoo/action-credit_relance.credit_relance_action_action",
                        "credit_relance_salesrep_tour", login="credit_tour_rep")


@tagged("post_install", "-at_install")
class TestAgendaTourTablet(test_agenda_tour.TestAgendaTour):
    """The agenda tour again, at a tablet's width."""

    browser_size = "768x1024"

    def test_agenda_at_tablet_width(self):
        self.test_agenda_cell_opens_its_list()
