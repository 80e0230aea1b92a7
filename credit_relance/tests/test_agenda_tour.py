from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAgendaTour(HttpCase):
    def test_agenda_cell_opens_its_list(self):
        admin = self.env.ref("base.user_admin")
        customer = self.env["res.partner"].create({"name": "Agenda Tour Customer", "email": "tour@example.com"})
        scenario = self.env["credit.relance.scenario"].create({"name": "Tour scenario"})
        today = fields.Date.today()
        Action = self.env["credit.relance.action"]
        base = {"partner_id": customer.id, "scenario_id": scenario.id, "planned_date": today, "user_id": admin.id,
                "trigger_mode": "auto"}
        Action.create([
            {**base, "channel": "email", "state": "to_do"},
            {**base, "channel": "email", "state": "to_do"},
            {**base, "channel": "email", "state": "done"},
            {**base, "channel": "sms", "state": "to_do"},
        ])
        self.start_tour("/odoo/action-credit_relance.credit_relance_agenda_action",
                        "credit_relance_agenda_tour", login="admin")
