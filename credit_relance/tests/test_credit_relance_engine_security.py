from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestCreditRelanceEngineSecurity(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,credit_relance.credit_relance_group_salesrep"
        cls.rep_a = new_test_user(cls.env, "rep_a", groups=groups, company_id=cls.company.id,
                                  company_ids=cls.company.ids)
        cls.rep_b = new_test_user(cls.env, "rep_b", groups=groups, company_id=cls.company.id,
                                  company_ids=cls.company.ids)

    def _action(self, partner, company=None):
        return self.env["credit.relance.action"].create({
            "partner_id": partner.id, "company_id": (company or self.company).id, "planned_date": D(2026, 3, 2),
            "channel": "phone",
        })

    def test_sales_reps_read_only_their_customers_actions(self):
        self.customer.user_id = self.rep_a
        other = self._create_customer("Beta Dunned", user_id=self.rep_b.id)
        mine, theirs = self._action(self.customer), self._action(other)
        Action = self.env["credit.relance.action"]
        self.assertEqual(Action.with_user(self.rep_a).search([]), mine)
        self.assertEqual(Action.with_user(self.rep_b).search([]), theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep_a).read(["partner_id"])
        self.assertFalse(Action.with_user(self.rep_a).has_access("write"))
        self.assertEqual(Action.with_user(self.collector).search([]), mine | theirs)

    def test_sales_reps_read_only_their_customers_invoice_lines(self):
        self.customer.user_id = self.rep_a
        other = self._create_customer("Beta Dunned", user_id=self.rep_b.id)
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        Line = self.env["credit.relance.action.line"]
        self.assertEqual(Line.with_user(self.rep_a).search([]).action_id.partner_id, self.customer)
        self.assertEqual(Line.with_user(self.rep_b).search([]).action_id.partner_id, other)

    def test_only_collectors_run_a_customer_and_supervisors_the_company(self):
        with self.assertRaises(AccessError):
            self.engine.with_user(self.rep_a)._run_partners_now(self.customer)
        with self.assertRaises(AccessError):
            self.engine.with_user(self.collector).action_run_today()
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), freeze_time("2026-03-07 10:00:00"):
            result = self.engine.with_user(self.collector)._run_partners_now(self.customer)
            self.assertEqual(result, {"planned": 1, "executed": 1})
            notification = self.engine.action_run_today()
        self.assertEqual(notification["params"]["message"], "0 actions planned, 0 executed.")

    def test_companies_do_not_see_each_others_actions(self):
        other_company = self.setup_other_company()["company"]
        ours = self._action(self.customer)
        theirs = self._action(self._create_customer("Foreign"), company=other_company)
        Action = self.env["credit.relance.action"]
        self.assertEqual(Action.with_user(self.collector).search([]), ours)
        self.assertNotIn(theirs, Action.with_user(self.collector).search([]))
        # and the run of one company never touches the other
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        self.assertFalse(Action.search([("company_id", "=", other_company.id), ("id", "!=", theirs.id)]))


@tagged("post_install", "-at_install")
class TestCreditRelanceEnginePerformance(CreditRelanceEngineCommon):
    def _planning_queries(self, n_customers, n_invoices):
        customers = self.env["res.partner"]
        for i in range(n_customers):
            customers |= self._create_customer(f"Perf {n_customers} {i}")
        for customer in customers:
            for j in range(n_invoices):
                self._create_invoice(customer, 100 + j, D(2026, 3, 2))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        created = self.engine._plan(self.company, D(2026, 3, 7), partners=customers)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(created, n_customers)
        return queries

    def test_planning_queries_do_not_grow_with_invoices(self):
        self._planning_queries(1, 1)  # warm the caches (access rules, defaults)
        small = self._planning_queries(2, 1)
        large = self._planning_queries(8, 4)
        self.assertEqual(small, large)
