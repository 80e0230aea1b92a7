import base64
import pathlib

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

DATA_DIR = pathlib.Path(__file__).parent / "data"


class CreditKpiCommon(AccountTestInvoicingCommon):
    """Invoices, payments and history fixtures for the payment behaviour and KPI tests."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref("credit_relance.credit_relance_group_supervisor")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.receivable_account = cls.company_data["default_account_receivable"]
        cls.status_dispute = cls.env["credit.relance.status"].create(
            {"code": "KPI-DIS", "name": "Dispute", "category": "dispute"}
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(dict({"name": name, "is_company": True}, **values))

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date, currency=None, move_type="out_invoice", post=True):
        """A customer invoice (or credit note) of one untaxed line, due on ``due_date``."""
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "date": invoice_date,
            "invoice_date_due": due_date,
            "currency_id": (currency or cls.company.currency_id).id,
            "invoice_line_ids": [
                Command.create({"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []}),
            ],
        })
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, move, amount, payment_date, currency=None):
        """Register a payment of ``amount`` on ``payment_date`` (partial when below the residual)."""
        values = {"payment_date": payment_date, "amount": amount}
        if currency:
            values["currency_id"] = currency.id
        wizard = cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create(values)
        return wizard._create_payments()

    @classmethod
    def _reconcile(cls, *moves):
        lines = cls.env["account.move"].concat(*moves).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return lines.reconcile()

    @staticmethod
    def _csv(name):
        return (DATA_DIR / name).read_bytes()

    def _import_wizard(self, content, **values):
        return self.env["credit.relance.history.import"].create(dict({
            "file": base64.b64encode(content),
            "filename": "history.csv",
            "company_id": self.company.id,
        }, **values))

    @staticmethod
    def _d(text):
        return fields.Date.to_date(text)
