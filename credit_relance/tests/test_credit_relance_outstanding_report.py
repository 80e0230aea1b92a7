from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-03-15")
class TestCreditRelanceOutstandingReport(CreditRelanceCommon):
    """Hand-computed fixture, company currency USD (EUR at 2 EUR for 1 USD):

    ========  =========================  ==========================  ========
    customer  document                   status / sub-status         residual
    ========  =========================  ==========================  ========
    Alpha     invoice 1000, 400 paid     Promise / Partial promise        600
    Alpha     invoice 300                Dispute                          300
    Alpha     credit note 100            (none)                          -100
    Beta      invoice 2000               Promise                         2000
    Beta      invoice 1000 EUR           Dispute                          500
    Beta      invoice 500, fully paid    -                          (excluded)
    Beta      draft invoice 700          -                          (excluded)
    Alpha     invoice 999, other company -                    (other company)
    ========  =========================  ==========================  ========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.setup_other_company()["company"]
        cls.eur = cls.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        Status = cls.env["credit.relance.status"]
        cls.promise = Status.create({"code": "T_PROMISE", "name": "Promise", "category": "promise"})
        cls.partial = Status.create({
            "code": "T_PARTIAL", "name": "Partial promise", "parent_id": cls.promise.id, "category": "promise",
        })
        cls.dispute = Status.create({"code": "T_DISPUTE", "name": "Dispute", "category": "dispute"})
        cls.rep = new_test_user(
            cls.env, "out_rep", groups="base.group_user,credit_relance.credit_relance_group_salesrep",
        )
        cls.collector = new_test_user(
            cls.env, "out_col", groups="base.group_user,credit_relance.credit_relance_group_collector",
            company_ids=[Command.set((cls.company | cls.other_company).ids)],
        )
        cls.alpha, cls.beta = cls._create_customers(["Alpha", "Beta"])
        cls.alpha.user_id = cls.rep
        inv1 = cls._create_invoice(cls.alpha, 1000, "2025-01-10", "2025-02-10",
                                   credit_status_id=cls.promise.id, credit_substatus_id=cls.partial.id)
        cls._pay(inv1, amount=400, date="2025-03-01")
        cls.inv1 = inv1
        cls._create_invoice(cls.alpha, 300, "2025-02-01", "2025-03-01", credit_status_id=cls.dispute.id)
        cls._create_invoice(cls.alpha, 100, "2025-02-05", move_type="out_refund")
        cls._create_invoice(cls.beta, 2000, "2025-03-01", "2025-04-01", credit_status_id=cls.promise.id)
        cls._create_invoice(cls.beta, 1000, "2025-02-01", "2025-03-03", currency_id=cls.eur.id,
                            credit_status_id=cls.dispute.id)
        paid = cls._create_invoice(cls.beta, 500, "2025-01-01", credit_status_id=cls.dispute.id)
        cls._pay(paid, date="2025-01-20")
        cls._create_invoice(cls.beta, 700, "2025-03-01", post=False)
        cls._create_invoice(cls.alpha, 999, "2025-02-01", company=cls.other_company)
        cls.Report = cls.env["credit.relance.outstanding.report"].with_company(cls.company)

    def _sums(self, groupby, user=None, domain=None):
        Report = self.Report.with_user(user) if user else self.Report
        return {
            tuple(keys) if len(keys) > 1 else keys[0]: total
            for *keys, total in Report._read_group(domain or [], groupby, ["residual:sum"])
        }

    def test_outstanding_by_status_and_substatus(self):
        self.assertEqual(self._sums(["status_id"]), {
            self.promise: 2600.0, self.dispute: 800.0, self.env["credit.relance.status"]: -100.0,
        })
        by_sub = self._sums(["status_id", "substatus_id"])
        self.assertEqual(by_sub[self.promise, self.partial], 600.0)
        self.assertEqual(by_sub[self.promise, self.env["credit.relance.status"]], 2000.0)
        self.assertEqual(self._sums(["category"]), {"promise": 2600.0, "dispute": 800.0, False: -100.0})
        customers = dict(self.Report._read_group([], ["status_id"], ["partner_ref:count_distinct"]))
        self.assertEqual(customers[self.promise], 2)
        self.assertEqual(customers[self.dispute], 2)

    def test_outstanding_by_customer_in_company_currency(self):
        self.assertEqual(self._sums(["partner_id"]), {self.alpha: 800.0, self.beta: 2500.0})
        rows = self.Report.search([("partner_id", "=", self.beta.id), ("status_id", "=", self.dispute.id)])
        self.assertEqual(rows.mapped("residual"), [500.0])
        self.assertEqual(rows.currency_id, self.company.currency_id)

    def test_click_opens_the_invoices_and_the_customers(self):
        rows = self.Report.search([("status_id", "=", self.promise.id)])
        invoices = self.env["account.move"].search(rows.action_open_invoices()["domain"])
        self.assertEqual(invoices.mapped("amount_residual"), [2000.0, 600.0])
        customers = self.env["res.partner"].search(rows.action_open_customers()["domain"])
        self.assertEqual(customers, self.alpha | self.beta)
        row = rows.filtered(lambda r: r.move_id == self.inv1)
        self.assertEqual(row.action_open_invoice()["res_id"], self.inv1.id)
        self.assertEqual(row.action_open_customer()["res_id"], self.alpha.id)

    def test_customer_card_shows_its_own_outstanding(self):
        action = self.alpha.action_credit_open_outstanding()
        self.assertEqual(action["res_model"], "credit.relance.outstanding.report")
        self.assertEqual(self._sums(["status_id"], domain=action["domain"]), {
            self.promise: 600.0, self.dispute: 300.0, self.env["credit.relance.status"]: -100.0,
        })

    def test_sales_rep_sees_own_customers_collector_all_companies(self):
        self.assertEqual(self._sums(["partner_id"], user=self.rep), {self.alpha: 800.0})
        both = self.env["credit.relance.outstanding.report"].with_user(self.collector).with_context(
            allowed_company_ids=(self.company | self.other_company).ids)
        totals = dict(both._read_group([], ["company_id"], ["residual:sum"]))
        self.assertEqual(totals, {self.company: 3300.0, self.other_company: 999.0})
        only_main = self.env["credit.relance.outstanding.report"].with_user(self.collector).with_context(
            allowed_company_ids=self.company.ids)
        self.assertEqual(dict(only_main._read_group([], ["company_id"], ["residual:sum"])), {self.company: 3300.0})

    def test_views_load(self):
        Report = self.env["credit.relance.outstanding.report"].with_user(self.rep)
        for view_type in ("graph", "pivot", "list", "search"):
            with self.subTest(view_type=view_type):
                self.assertTrue(Report.get_view(view_type=view_type)["arch"])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_relance.credit_relance_outstanding_report_action")
        self.assertEqual(action["view_mode"], "graph,pivot,list")
