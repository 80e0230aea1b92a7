"""Fixtures shared by the credit addons' tests: customers, posted invoices with chosen dates, payments.

Subclass ``CreditRelanceCommon`` and freeze the date (``freezegun``) around the class or test
that creates invoices, so that due dates and days late are deterministic.
"""

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditRelanceCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accounting test user also configures dunning
        cls.env.user.groups_id |= cls.env.ref("credit_relance.credit_relance_group_supervisor")
        cls.Partner = cls.env["res.partner"]
        cls.Group = cls.env["credit.relance.group"]
        cls.Scenario = cls.env["credit.relance.scenario"]
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")

    # ------------------------------------------------------------------
    # Customers and invoices
    # ------------------------------------------------------------------

    @classmethod
    def _create_customers(cls, names, **vals):
        """Create customer companies in one ``create`` call.

        :param names: list of names, or an int (that many customers named "Customer <n>")
        :param vals: extra values for every customer (``category_id``, ``user_id``, ``company_id``...)
        """
        if isinstance(names, int):
            names = [f"Customer {index}" for index in range(names)]
        return cls.Partner.create([
            {"name": name, "is_company": True, "customer_rank": 1, "email": f"c{index}@example.com", **vals}
            for index, name in enumerate(names)
        ])

    @classmethod
    def _create_invoice(cls, partner, amount, invoice_date, due_date=None, post=True, company=None, **vals):
        """A customer invoice of one untaxed line, with explicit invoice and due dates.

        Dates are ``date`` objects or ISO strings; ``due_date`` defaults to the invoice date.
        """
        company = company or cls.env.company
        move = cls.env["account.move"].with_company(company).create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.to_date(invoice_date),
            "invoice_date_due": fields.Date.to_date(due_date or invoice_date),
            "invoice_line_ids": [
                Command.create({"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []})
            ],
            **vals,
        })
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount=None, date=None):
        """Register a payment on ``invoices`` (the full residual unless ``amount`` is given)."""
        vals = {"payment_date": fields.Date.to_date(date) if date else fields.Date.context_today(invoices)}
        if amount is not None:
            vals["amount"] = amount
        return cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create(vals)._create_payments()

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------

    @classmethod
    def _create_scenario(cls, name, offsets=(1, 15), **vals):
        """A scenario of phone steps (no template needed) at the given offsets."""
        return cls.Scenario.create({
            "name": name,
            "step_ids": [
                Command.create({"name": f"Call J{offset:+d}", "offset_days": offset, "channel": "phone",
                                "trigger_mode": "manual", "sequence": index})
                for index, offset in enumerate(offsets)
            ],
            **vals,
        })

    @classmethod
    def _create_group(cls, name, domain, scenario, sequence=10, **vals):
        return cls.Group.create({
            "name": name, "domain": str(domain), "scenario_id": scenario.id, "sequence": sequence, **vals
        })

    @classmethod
    def _archive_default_groups(cls):
        """Tests build their own groups: the default ones (catch-all included) would interfere."""
        cls.Group.search([]).write({"active": False})

    def _recompute(self):
        self.Group._recompute_all()
