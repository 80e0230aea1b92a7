from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCompanyWithoutChart(TransactionCase):
    """A company without any chart of accounts (no journals, no accounts) breaks nothing."""

    def test_daily_run_groups_agenda_and_kpis_on_a_company_without_chart(self):
        company = self.env["res.company"].create({"name": "No Chart SARL"})
        self.assertFalse(company.chart_template)
        self.env.user.company_ids = [Command.link(company.id)]
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        today = fields.Date.today()
        result = env["credit.relance.engine"]._run_company(company, today)
        self.assertEqual((result["planned"], result["executed"]), (0, 0))
        env["credit.relance.group"]._recompute_all()
        agenda = env["credit.relance.agenda"].get_agenda({"user_id": False})
        self.assertTrue(agenda["sections"])
        self.assertFalse(env["credit.relance.action"].search_count([("company_id", "=", company.id)]))
        env["credit.relance.kpi"].read_group([("company_id", "=", company.id)], ["receivable_amount:sum"], [])
