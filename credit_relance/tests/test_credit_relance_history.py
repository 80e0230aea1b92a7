from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_kpi import CreditKpiCommon

COLLECTOR = "base.group_user,credit_relance.credit_relance_group_collector"
SALESREP = "base.group_user,credit_relance.credit_relance_group_salesrep"


@tagged("post_install", "-at_install")
class TestCreditRelanceHistory(CreditKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "History other company"})
        users = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.salesrep = new_test_user(cls.env, "hist_rep", groups=SALESREP, **users)
        cls.collector = new_test_user(cls.env, "hist_col", groups=COLLECTOR, **users)
        cls.mine = cls._customer("Rep's customer", user_id=cls.salesrep.id)
        cls.theirs = cls._customer("Someone else's customer")
        History = cls.env["credit.relance.history"]
        cls.h_mine = History.create(cls._values(cls.mine, "H-1"))
        cls.h_theirs = History.create(cls._values(cls.theirs, "H-2"))
        cls.h_other = History.with_company(cls.other_company).create(
            dict(cls._values(cls.theirs, "H-1"), company_id=cls.other_company.id)
        )

    @classmethod
    def _values(cls, partner, number):
        return {"partner_id": partner.id, "invoice_number": number, "invoice_date": "2026-01-01",
                "due_date": "2026-01-31", "settled_date": "2026-02-05", "amount": 100}

    def test_computed_days(self):
        self.assertEqual((self.h_mine.days_late, self.h_mine.days_to_settle, self.h_mine.paid_late), (5, 35, True))
        self.assertEqual(self.h_mine.amount_company, 100)

    def test_foreign_currency_is_converted_at_invoice_date(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        line = self.env["credit.relance.history"].create(dict(self._values(self.mine, "H-EUR"), currency_id=eur.id))
        self.assertEqual(line.amount_company, 50)

    def test_same_number_twice_in_a_company_is_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["credit.relance.history"].create(self._values(self.mine, "H-1"))
            self.env.flush_all()

    def test_salesrep_sees_own_customers_in_own_company(self):
        History = self.env["credit.relance.history"].with_user(self.salesrep)
        self.assertEqual(History.search([]), self.h_mine)
        with self.assertRaises(AccessError):
            History.create(self._values(self.mine, "H-3"))

    def test_collector_reads_company_history_only(self):
        History = self.env["credit.relance.history"].with_user(self.collector)
        self.assertEqual(History.search([]), self.h_mine | self.h_theirs)
        with self.assertRaises(AccessError):
            self.h_mine.with_user(self.collector).amount = 1
        self.assertFalse(self.env["credit.relance.history.import"].with_user(self.collector).has_access("create"))

    def test_risk_settings_write_the_company(self):
        self.env["res.config.settings"].create({"credit_behaviour_months": 6, "credit_risk_high_days": 45}).execute()
        self.assertEqual((self.env.company.credit_behaviour_months, self.env.company.credit_risk_high_days), (6, 45))

    def test_kpi_views_load_and_pivot_read_group(self):
        Kpi = self.env["credit.relance.kpi"]
        views = Kpi.get_views([(False, "list"), (False, "pivot"), (False, "graph"), (False, "search")])
        self.assertEqual(set(views["views"]), {"list", "pivot", "graph", "search"})
        # the public read_group the pivot calls goes through the ratio aggregation
        groups = Kpi.read_group(
            [("partner_id", "=", self.mine.id)], ["paid_count:sum", "late_rate_count:avg", "avg_days_late:avg"],
            ["month:month"], lazy=False,
        )
        self.assertEqual([(g["paid_count"], g["late_rate_count"], g["avg_days_late"]) for g in groups], [(1, 100, 5)])
