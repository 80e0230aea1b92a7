import datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..tools import kpi
from .common_kpi import CreditKpiCommon

D = datetime.date
COLLECTOR = "base.group_user,credit_relance.credit_relance_group_collector"
SALESREP = "base.group_user,credit_relance.credit_relance_group_salesrep"


@tagged("post_install", "-at_install")
@freeze_time("2026-04-20")
class TestCreditRelanceKpi(CreditKpiCommon):
    """Hand-computed fixture, company currency, months of 2026:

    - I1: P1, 1,000 invoiced 01-10, due 02-09, paid 02-19 (10 days late, 40 days to pay);
    - I2: P1, 600 invoiced 02-05, due 03-07, status dispute, credited 100 (credit note 02-20, reconciled),
      paid 200 on 03-10 (partial): 300 open from March;
    - I3: P2, 2,000 EUR = 1,000 in company currency (rate 2), invoiced 03-15, due 04-14.

    January (31 d): receivables 1,000 all current, sales 1,000: DSO 31, best 31, ADD 0, CEI undefined.
    February (28 d): receivables 500 current, sales 600 - 100 = 500, opening 1,000: DSO 28, CEI 100;
    I1 paid late: late rate 100 %, average days late 10.
    March (31 d): receivables 300 (overdue 24 days) + 1,000 (current) = 1,300, sales 1,000, opening 500:
    DSO 40.3, best 31, ADD 9.3, CEI (500 + 1,000 - 1,300) / (500 + 1,000 - 1,000) = 40 %,
    dispute share 300 / 1,300.
    April (30 d, no sales): receivables 1,300, I2 54 days overdue, I3 16 days: DSO undefined, CEI 0 %.
    Quarter Q1 (90 d): average receivables (1,000 + 500 + 1,300) / 3, sales 2,500: DSO 33.6, best 30,
    ADD 3.6, CEI (0 + 2,500 - 1,300) / (0 + 2,500 - 1,000) = 80 %, countback 31 + 300 / 500 x 28 = 47.8.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        cls.p1 = cls._customer("KPI customer one")
        cls.p2 = cls._customer("KPI customer two")
        cls.i1 = cls._invoice(cls.p1, 1000, "2026-01-10", "2026-02-09")
        cls.i2 = cls._invoice(cls.p1, 600, "2026-02-05", "2026-03-07")
        cls.i2.credit_status_id = cls.status_dispute
        cls._pay(cls.i1, 1000, "2026-02-19")
        cls.r1 = cls._invoice(cls.p1, 100, "2026-02-20", "2026-02-20", move_type="out_refund")
        cls._reconcile(cls.i2, cls.r1)
        cls._pay(cls.i2, 200, "2026-03-10")
        cls.i3 = cls._invoice(cls.p2, 2000, "2026-03-15", "2026-04-14", currency=cls.eur)
        cls.env.flush_all()
        cls.domain = [("company_id", "=", cls.company.id), ("partner_id", "in", (cls.p1 | cls.p2).ids)]

    def _by_month(self, fnames):
        Kpi = self.env["credit.relance.kpi"]
        groups = Kpi._read_group(self.domain, ["month:month"], [f"{f}:sum" for f in fnames])
        return {month: dict(zip(fnames, values, strict=True)) for month, *values in groups}

    def test_monthly_sums(self):
        months = self._by_month(["receivable_amount", "opening_amount", "current_amount", "overdue_amount",
                                 "sales_amount", "dispute_amount", "aging_1_30", "aging_31_60", "paid_count"])
        jan, feb, mar, apr = (months[D(2026, m, 1)] for m in (1, 2, 3, 4))
        self.assertEqual(set(months), {D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)})
        self.assertEqual((jan["receivable_amount"], jan["current_amount"], jan["sales_amount"]), (1000, 1000, 1000))
        self.assertEqual((feb["receivable_amount"], feb["opening_amount"], feb["sales_amount"]), (500, 1000, 500))
        self.assertEqual((feb["current_amount"], feb["paid_count"]), (500, 1))
        self.assertEqual((mar["receivable_amount"], mar["current_amount"], mar["overdue_amount"]), (1300, 1000, 300))
        self.assertEqual((mar["sales_amount"], mar["opening_amount"], mar["aging_1_30"]), (1000, 500, 300))
        self.assertEqual(mar["dispute_amount"], 300)
        self.assertEqual((apr["sales_amount"], apr["aging_1_30"], apr["aging_31_60"]), (0, 1000, 300))

    def test_ratios_per_month_in_read_group(self):
        months = self._by_month(["dso", "best_dso", "add_days", "cei", "late_rate_count", "late_rate_amount",
                                 "avg_days_late", "avg_days_to_pay", "dispute_share"])
        jan, feb, mar, apr = (months[D(2026, m, 1)] for m in (1, 2, 3, 4))
        self.assertAlmostEqual(jan["dso"], 31)
        self.assertAlmostEqual(jan["add_days"], 0)
        self.assertIs(jan["cei"], False)  # undefined: read_group gives False for NULL
        self.assertAlmostEqual(feb["dso"], 28)
        self.assertAlmostEqual(feb["cei"], 100)
        self.assertAlmostEqual(feb["late_rate_count"], 100)
        self.assertAlmostEqual(feb["late_rate_amount"], 100)
        self.assertAlmostEqual(feb["avg_days_late"], 10)
        self.assertAlmostEqual(feb["avg_days_to_pay"], 40)
        self.assertAlmostEqual(mar["dso"], 40.3)
        self.assertAlmostEqual(mar["best_dso"], 31)
        self.assertAlmostEqual(mar["add_days"], 9.3)
        self.assertAlmostEqual(mar["cei"], 40)
        self.assertAlmostEqual(mar["dispute_share"], 300 / 1300 * 100)
        self.assertIs(mar["late_rate_count"], False)
        # no sales in April: no DSO, CEI 0 (nothing collected of the 1,300 collectable)
        self.assertIs(apr["dso"], False)
        self.assertAlmostEqual(apr["cei"], 0)

    def test_ratios_over_a_quarter_in_read_group(self):
        Kpi = self.env["credit.relance.kpi"]
        [(dso, best, add_days, cei)] = Kpi._read_group(
            self.domain + [("month", "<", "2026-04-01")], [], ["dso:avg", "best_dso:avg", "add_days:avg", "cei:avg"]
        )
        self.assertAlmostEqual(dso, 33.6)
        self.assertAlmostEqual(best, 30)
        self.assertAlmostEqual(add_days, 3.6)
        # the months' terms added up: (1,500 + 2,500 - 2,800) / (1,500 + 2,500 - 2,500)
        self.assertAlmostEqual(cei, 80)

    def test_per_row_values_and_customer_grouping(self):
        rows = self.env["credit.relance.kpi"].search(self.domain + [("month", "=", "2026-03-01")])
        p2 = rows.filtered(lambda r: r.partner_id == self.p2)
        self.assertEqual((p2.receivable_amount, p2.sales_amount), (1000, 1000))
        self.assertEqual(p2.currency_id, self.company.currency_id)
        self.assertAlmostEqual(p2.dso, 31)
        self.assertEqual(rows.filtered(lambda r: r.partner_id == self.p1).status_id, self.status_dispute)
        every_row = self.env["credit.relance.kpi"].search(self.domain)
        self.assertEqual(len(set(every_row.ids)), len(every_row))  # ids are unique

    def test_period_kpis_service(self):
        Kpi = self.env["credit.relance.kpi"]
        months = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
        figures = Kpi._get_period_kpis(self.domain, months)
        quarter = figures["period"]
        self.assertAlmostEqual(quarter["dso"], 33.6)
        self.assertAlmostEqual(quarter["best_dso"], 30)
        self.assertAlmostEqual(quarter["add_days"], 3.6)
        self.assertAlmostEqual(quarter["cei"], 80)
        self.assertAlmostEqual(quarter["dso_countback"], 31 + 300 / 500 * 28)
        self.assertEqual((quarter["late_rate_count"], quarter["late_rate_amount"], quarter["avg_days_late"]),
                         (100, 100, 10))
        self.assertEqual((quarter["receivable_amount"], quarter["sales_amount"]), (1300, 2500))
        self.assertEqual([round(m["dso"], 1) for m in figures["months"]], [31, 28, 40.3])
        self.assertIsNone(figures["months"][0]["cei"])
        top = Kpi._get_top_overdue(self.domain, D(2026, 4, 1))
        self.assertEqual([(partner, overdue) for partner, overdue, _rec in top], [(self.p2, 1000), (self.p1, 300)])
        by_status = Kpi._get_overdue_by_status(self.domain, D(2026, 3, 1))
        self.assertEqual(by_status, [(self.status_dispute, 300)])

    def _monthly(self, scope, **where):
        domain = [("company_id", "=", self.company.id), ("scope", "=", scope)]
        domain += [(field, "=", value) for field, value in where.items()]
        return {row.month: row for row in self.env["credit.relance.kpi.monthly"].search(domain)}

    def test_monthly_kpis_per_company_with_countback(self):
        months = self._monthly("company")
        jan, feb, mar, apr = (months[D(2026, m, 1)] for m in (1, 2, 3, 4))
        self.assertEqual((mar.receivable_amount, mar.sales_amount, mar.period_days), (1300, 1000, 31))
        # countback: January 1,000 / 1,000 x 31; February 500 / 500 x 28; March 31 + 300 / 500 x 28
        self.assertAlmostEqual(jan.dso_countback, 31)
        self.assertAlmostEqual(feb.dso_countback, 28)
        self.assertAlmostEqual(mar.dso_countback, 47.8)
        # April has no sales: its 30 days, then March's 31, then 300 of February's 500
        self.assertAlmostEqual(apr.dso_countback, 30 + 31 + 300 / 500 * 28)
        self.assertAlmostEqual(mar.dso, 40.3)
        self.assertFalse(apr.dso)
        self.assertAlmostEqual(mar.cei, 40)
        self.assertAlmostEqual(feb.avg_days_late, 10)
        # the countback of a month equals the service's (quarterly review) for the quarter ending then
        quarter = self.env["credit.relance.kpi"]._get_period_kpis(
            [("company_id", "=", self.company.id)], [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)])
        self.assertAlmostEqual(mar.dso_countback, quarter["period"]["dso_countback"])

    def test_monthly_kpis_per_customer(self):
        p1, p2 = self._monthly("customer", partner_id=self.p1.id), self._monthly("customer", partner_id=self.p2.id)
        # P1 in March: 300 open, no sale in March, February's sales net of the credit note 600 - 100
        self.assertEqual((p1[D(2026, 3, 1)].receivable_amount, p1[D(2026, 3, 1)].sales_amount), (300, 0))
        self.assertAlmostEqual(p1[D(2026, 3, 1)].dso_countback, 31 + 300 / 500 * 28)
        self.assertFalse(p1[D(2026, 3, 1)].dso)  # no sales: the standard DSO is undefined
        self.assertAlmostEqual(p2[D(2026, 3, 1)].dso_countback, 31)
        # P2 in April: nothing sold, March's 1,000 cover the 1,000 open
        self.assertAlmostEqual(p2[D(2026, 4, 1)].dso_countback, 30 + 31)
        self.assertNotIn(D(2026, 2, 1), p2)  # nothing open nor sold yet
        # customers without collector nor group: those scopes add up the same as the company
        self.assertAlmostEqual(self._monthly("collector")[D(2026, 3, 1)].dso_countback, 47.8)
        self.assertAlmostEqual(self._monthly("group")[D(2026, 3, 1)].receivable_amount, 1300)

    def test_monthly_countback_agrees_with_the_pure_function(self):
        self._invoice(self.p2, 400, "2026-04-02", "2026-05-02")
        self._invoice(self.p1, 900, "2026-04-05", "2026-04-05", move_type="out_refund")  # more credit than sales
        self.env.flush_all()
        rows = self.env["credit.relance.kpi.monthly"].search([("company_id", "=", self.company.id)])
        sales = {(row.scope, row.partner_id, row.month): row.sales_amount for row in rows}
        self.assertLess(sales[("customer", self.p1, D(2026, 4, 1))], 0)
        for row in rows:
            history = []
            for back in range(13):
                month = (row.month - relativedelta(months=back))
                days = ((month + relativedelta(months=1)) - month).days
                history.append((sales.get((row.scope, row.partner_id, month), 0.0), days))
            expected = kpi.dso_countback(row.receivable_amount, history)
            if expected is None:
                self.assertFalse(row.dso_countback, (row.scope, row.partner_id.name, row.month))
            else:
                self.assertAlmostEqual(row.dso_countback, expected, 6, (row.scope, row.partner_id.name, row.month))
        self.assertEqual(len(set(rows.ids)), len(rows))

    def test_monthly_kpis_graph_and_export(self):
        Monthly = self.env["credit.relance.kpi.monthly"]
        groups = Monthly._read_group([("company_id", "=", self.company.id), ("scope", "=", "company")],
                                     ["month:month"], ["dso_countback:avg", "dso:avg"])
        self.assertAlmostEqual({month: cb for month, cb, _dso in groups}[D(2026, 3, 1)], 47.8)
        # over the quarter, the standard DSO of the sums (33.6), the average of the months' countbacks
        [(dso, countback)] = Monthly._read_group(
            [("company_id", "=", self.company.id), ("scope", "=", "company"), ("month", "<", "2026-04-01")],
            [], ["dso:avg", "dso_countback:avg"])
        self.assertAlmostEqual(dso, 33.6)
        self.assertAlmostEqual(countback, (31 + 28 + 47.8) / 3)
        rows = Monthly.search([("company_id", "=", self.company.id), ("scope", "=", "company")], order="month")
        exported = rows.export_data(["month", "receivable_amount", "dso_countback"])["datas"]
        self.assertEqual([round(line[2], 1) for line in exported], [31, 28, 47.8, 77.8])
        views = Monthly.get_views([(False, "list"), (False, "graph"), (False, "pivot"), (False, "search")])
        self.assertIn("dso_countback", views["views"]["graph"]["arch"])
        collector = new_test_user(self.env, "kpi_monthly_col", groups=COLLECTOR)
        salesrep = new_test_user(self.env, "kpi_monthly_rep", groups=SALESREP)
        self.assertTrue(Monthly.with_user(collector).search_count([]))
        self.assertFalse(Monthly.with_user(salesrep).has_access("read"))

    def test_collector_and_salesrep_scope(self):
        collector = new_test_user(self.env, "kpi_col", groups=COLLECTOR)
        salesrep = new_test_user(self.env, "kpi_rep", groups=SALESREP)
        self.p1.user_id = salesrep
        self.env.flush_all()
        Kpi = self.env["credit.relance.kpi"]
        self.assertEqual(Kpi.with_user(salesrep).search(self.domain).partner_id, self.p1)
        self.assertEqual(Kpi.with_user(collector).search(self.domain).partner_id, self.p1 | self.p2)
        self.assertFalse(Kpi.with_user(salesrep).has_access("write"))

    def _review(self, **values):
        return self.env["credit.relance.review.wizard"].create(dict({
            "year": 2026, "quarter": "1", "company_id": self.company.id,
        }, **values))

    def test_quarterly_review_defaults_to_last_quarter(self):
        review = self.env["credit.relance.review.wizard"].create({})
        self.assertEqual((review.year, review.quarter, review.company_id), (2026, "1", self.env.company))
        self.assertEqual(review.display_name, f"Credit review Q1 2026 - {self.env.company.name}")

    def test_quarterly_review_report(self):
        review = self._review()
        values = self.env["report.credit_relance.report_quarterly_review"]._get_review(review)
        self.assertEqual((values["date_from"], values["date_to"]), (D(2026, 1, 1), D(2026, 3, 31)))
        self.assertAlmostEqual(values["figures"]["period"]["cei"], 80)
        # at the end of March only I2 (300) is overdue; I3 is due in April
        self.assertEqual([(row[0], row[1]) for row in values["top_overdue"]], [(self.p1, 300)])
        self.assertEqual(values["scenarios"], [])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "credit_relance.credit_relance_quarterly_review_report", review.ids
        )[0].decode()
        self.assertIn("Quarterly credit review: Q1 2026", html)
        self.assertIn("KPI customer one", html)
        self.assertIn("33.6", html)  # DSO of the quarter
        self.assertIn("47.8", html)  # countback DSO
        self.assertIn("No dunning action done in the quarter.", html)
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = review.with_company(self.company).action_print()
        self.assertEqual(action["report_name"], "credit_relance.report_quarterly_review")

    def test_quarterly_review_per_collector(self):
        collector = new_test_user(self.env, "kpi_col2", groups=COLLECTOR)
        scenario = self.env["credit.relance.scenario"].create({"name": "KPI scenario", "step_ids": [Command.create(
            {"name": "Call", "offset_days": 10, "channel": "phone", "trigger_mode": "manual"}
        )]})
        group = self.env["credit.relance.group"].create(
            {"name": "KPI group", "scenario_id": scenario.id, "collector_id": collector.id}
        )
        self.p2.credit_group_id = group
        review = self._review(collector_id=collector.id, quarter="2")
        values = self.env["report.credit_relance.report_quarterly_review"]._get_review(review)
        self.assertEqual([row[0] for row in values["top_overdue"]], [self.p2])
        april = values["figures"]["months"][0]
        self.assertEqual((april["receivable_amount"], april["overdue_amount"]), (1000, 1000))
        self.assertEqual(values["figures"]["months"][1]["receivable_amount"], 0)  # May: not reported yet
        # a collector can print the review of their portfolio
        html = self.env["ir.actions.report"].with_user(collector)._render_qweb_html(
            "credit_relance.credit_relance_quarterly_review_report", review.ids
        )[0].decode()
        self.assertIn("KPI customer two", html)
        self.assertNotIn("KPI customer one", html)
