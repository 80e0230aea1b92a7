"""A small dunning data set committed on real connections, for tests of concurrent workers.

A TransactionCase shares one transaction between all its cursors, so it cannot show what two
workers do. These tests commit their own data set in the main company (a one-step e-mail
scenario, customers with one overdue invoice each) and delete everything they created.
"""

import datetime

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import BaseCase
from odoo.tests.common import get_db_name


class CommittedDunningCase(BaseCase):
    _label = "Committed test"  # prefix of the names of the records created
    _customer_count = 1

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        self.today = fields.Date.today()
        slug = self._label.split()[0].lower()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            template = env["mail.template"].create({
                "name": f"{self._label} reminder", "model_id": env["ir.model"]._get_id("res.partner"),
                "subject": "Reminder", "body_html": "<p>Please pay.</p>",
            })
            scenario = env["credit.relance.scenario"].create({
                "name": f"{self._label} scenario", "company_id": company.id, "min_interval_days": 0,
                "step_ids": [Command.create({"name": "Reminder", "offset_days": 1, "channel": "email",
                                             "trigger_mode": "auto", "mail_template_id": template.id})],
            })
            partners = env["res.partner"].create([{
                "name": f"{self._label} customer {index}", "is_company": True,
                "email": f"{slug}{index}@customer.example.com", "credit_scenario_pinned_id": scenario.id,
            } for index in range(1, self._customer_count + 1)])
            invoices = env["account.move"].with_company(company).create([{
                "move_type": "out_invoice", "partner_id": partner.id,
                "invoice_date": self.today - datetime.timedelta(days=30),
                "invoice_date_due": self.today - datetime.timedelta(days=2),
                "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 100,
                                                     "tax_ids": [Command.clear()]})],
            } for partner in partners])
            invoices.action_post()
            self.rec = {"company": company.id, "template": template.id, "scenario": scenario.id,
                        "partners": partners.ids, "invoices": invoices.ids,
                        "last_trigger": env["ir.cron.trigger"].search([], order="id desc", limit=1).id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].browse(self.rec["partners"])
            actions = env["credit.relance.action"].search([("partner_id", "in", partners.ids)])
            messages = actions.mail_message_ids
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            env["mail.message"].search(
                [("model", "=", "credit.relance.action"), ("res_id", "in", actions.ids)]).unlink()
            actions.unlink()
            invoices = env["account.move"].browse(self.rec["invoices"])
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)]).unlink()
            partners.unlink()
            env["credit.relance.scenario"].browse(self.rec["scenario"]).unlink()
            env["mail.template"].browse(self.rec["template"]).unlink()
            # a retry planned by a test must not wake the cron of a server serving this database
            env["ir.cron.trigger"].search([("id", ">", self.rec["last_trigger"])]).unlink()
            env["res.company"].browse(self.rec["company"]).credit_run_prepared_date = False
