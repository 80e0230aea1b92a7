"""Shared helpers of the engine tests: a company with a five-step scenario, customers, invoices."""

import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import MailCommon
from odoo.addons.sms.tests.common import MockSMS

D = datetime.date


class CreditRelanceEngineCommon(AccountTestInvoicingCommon, MailCommon, MockSMS):
    """Company in Europe/Paris, templates on res.partner, a scenario of five steps:

    ====  ======  =======  ========
    step  offset  channel  mode
    ====  ======  =======  ========
    1     -3      email    auto
    2     +5      email    auto
    3     +15     sms      auto
    4     +30     email    validate
    5     +45     phone    manual
    ====  ======  =======  ========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("credit_relance.credit_relance_group_supervisor")
        cls.company = cls.company_data["company"]
        cls.company.write({"email": "credit@company.example.com"})
        cls.company.partner_id.tz = "Europe/Paris"
        cls.engine = cls.env["credit.relance.engine"]
        cls.collector = cls.env["res.users"].create({
            "name": "Colette Collector",
            "login": "colette.collector",
            "email": "colette@company.example.com",
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
            "groups_id": [Command.set([cls.env.ref("base.group_user").id,
                                       cls.env.ref("credit_relance.credit_relance_group_collector").id])],
        })
        cls.mail_template = cls.env["mail.template"].create({
            "name": "Dunning e-mail",
            "model_id": cls.env["ir.model"]._get_id("res.partner"),
            "subject": "Reminder for {{ object.name }}",
            "body_html": "<p>Dear <t t-out=\"object.name\"/>, invoices due: "
                         "<t t-foreach=\"credit_invoices\" t-as=\"inv\"><t t-out=\"inv.name\"/>; </t>"
                         "total <t t-out=\"credit_total\"/>.</p>",
        })
        cls.sms_template = cls.env["sms.template"].create({
            "name": "Dunning SMS",
            "model_id": cls.env["ir.model"]._get_id("res.partner"),
            "body": "{{ object.name }}, {{ len(credit_invoices) }} invoice(s) due.",
        })
        cls.scenario = cls.env["credit.relance.scenario"].create({
            "name": "Standard",
            "company_id": cls.company.id,
            "min_interval_days": 0,
            "step_ids": [
                Command.create({"name": "Preventive", "offset_days": -3, "channel": "email",
                                "trigger_mode": "auto", "mail_template_id": cls.mail_template.id}),
                Command.create({"name": "First reminder", "offset_days": 5, "channel": "email",
                                "trigger_mode": "auto", "mail_template_id": cls.mail_template.id}),
                Command.create({"name": "SMS", "offset_days": 15, "channel": "sms",
                                "trigger_mode": "auto", "sms_template_id": cls.sms_template.id}),
                Command.create({"name": "Second reminder", "offset_days": 30, "channel": "email",
                                "trigger_mode": "validate", "mail_template_id": cls.mail_template.id}),
                Command.create({"name": "Call", "offset_days": 45, "channel": "phone",
                                "trigger_mode": "manual", "responsible_type": "collector"}),
            ],
        })
        cls.step_pre, cls.step_first, cls.step_sms, cls.step_second, cls.step_call = \
            cls.scenario.step_ids.sorted("offset_days")
        cls.customer = cls._create_customer("Acme Dunned")

    @classmethod
    def _create_customer(cls, name, **values):
        return cls.env["res.partner"].create({
            "name": name,
            "is_company": True,
            "email": f"{name.lower().replace(' ', '.')}@customer.example.com",
            "mobile": "06 12 34 56 78",
            "country_id": cls.env.ref("base.fr").id,
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "credit_scenario_pinned_id": cls.scenario.id,
            **values,
        })

    @classmethod
    def _create_invoice(cls, partner, amount, due_date, invoice_date=None, company=None):
        company = company or cls.company
        move = cls.env["account.move"].with_company(company).create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date or due_date - datetime.timedelta(days=30),
            "invoice_date_due": due_date,
            "invoice_line_ids": [Command.create({
                "name": "Consulting", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        })
        move.action_post()
        return move

    def _pay(self, moves, day):
        with freeze_time(day):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves.ids,
            ).create({"payment_date": day})._create_payments()

    def _run(self, day, hour=10, **kwargs):
        """Run the company's dunning on ``day`` at ``hour`` (Paris time, UTC+1 in winter)."""
        moment = datetime.datetime.combine(day, datetime.time(hour)) - datetime.timedelta(hours=1)
        with freeze_time(moment):
            return self.engine._run_company(self.company, today=day, **kwargs)

    def _actions(self, partner=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["credit.relance.action"].search(domain, order="planned_date, id")

    @staticmethod
    def _days(start, end):
        day = start
        while day <= end:
            yield day
            day += datetime.timedelta(days=1)

    @staticmethod
    def _today():
        return fields.Date.today()
