from psycopg2 import IntegrityError

from odoo.tests import TransactionCase
from odoo.tools import mute_logger


class TestCreditLitigeReason(TransactionCase):
    def test_default_reasons_are_installed(self):
        codes = set(self.env["credit.litige.reason"].search([]).mapped("code"))
        self.assertLessEqual({"PRICE", "QTY", "QUALITY", "DELIVERY", "BILLING", "GESTURE", "DUPLICATE", "OTHER"}, codes)

    @mute_logger("odoo.sql_db")
    def test_negative_delay_refused(self):
        with self.assertRaises(IntegrityError):
            self.env["credit.litige.reason"].create({"code": "NEG", "name": "Negative", "sla_days": -1})
