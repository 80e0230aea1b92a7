import datetime

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon


@tagged("post_install", "-at_install")
class TestAgendaTour(AccountTestInvoicingHttpCommon):
    def test_agenda_cell_opens_its_list(self):
        user = self.env.user
        user.groups_id |= self.env.ref("credit_relance.credit_relance_group_collector")
        customer = self.env["res.partner"].create({
            "name": "Agenda Tour Customer", "email": "tour@example.com", "user_id": user.id,
        })
        scenario = self.env["credit.relance.scenario"].sudo().create({
            "name": "Tour scenario",
            "step_ids": [Command.create({"name": "Tour call", "offset_days": 0, "channel": "phone",
                                         "trigger_mode": "manual"})],
        })
        customer.credit_scenario_pinned_id = scenario
        today = fields.Date.today()
        Action = self.env["credit.relance.action"]
        base = {"partner_id": customer.id, "scenario_id": scenario.id, "planned_date": today, "user_id": user.id,
                "trigger_mode": "auto"}
        Action.create([
            {**base, "channel": "email", "state": "to_do"},
            {**base, "channel": "email", "state": "to_do"},
            {**base, "channel": "email", "state": "done"},
            {**base, "channel": "sms", "state": "to_do"},
        ])
        # due in 4 days: its call falls due then, the phone row's coming cell lists it
        invoice = self.init_invoice("out_invoice", partner=customer, amounts=[321.0], taxes=[])
        invoice.invoice_date_due = today + datetime.timedelta(days=4)
        invoice.action_post()
        self.assertEqual(invoice.credit_next_step_date, today + datetime.timedelta(days=4))
        self.start_tour("/odoo/action-credit_relance.credit_relance_agenda_action",
                        "credit_relance_agenda_tour", login=user.login)
