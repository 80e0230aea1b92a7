from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestResPartnerCredit(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = new_test_user(
            cls.env, "par_collector", groups="base.group_user,credit_relance.credit_relance_group_collector"
        )
        cls._archive_default_groups()
        cls._create_group("All", [], cls._create_scenario("S"), collector_id=cls.collector.id)

    def test_receivable_figures_are_computed_in_batch(self):
        late, partial, clean = self._create_customers(["Late", "Partial", "Clean"])
        self._create_invoice(late, 400, "2025-12-01", "2026-01-10")  # 50 days late
        self._create_invoice(late, 600, "2026-02-15", "2026-03-15")  # not due
        inv = self._create_invoice(partial, 1000, "2026-01-01", "2026-02-01")
        self._pay(inv, amount=300)
        self._recompute()
        self.assertRecordValues(late | partial | clean, [
            {"credit_open_amount": 1000, "credit_overdue_amount": 400, "credit_not_due_amount": 600,
             "credit_oldest_overdue_days": 50},
            {"credit_open_amount": 700, "credit_overdue_amount": 700, "credit_not_due_amount": 0,
             "credit_oldest_overdue_days": 28},
            {"credit_open_amount": 0, "credit_overdue_amount": 0, "credit_not_due_amount": 0,
             "credit_oldest_overdue_days": 0},
        ])

    def test_going_over_the_credit_limit_alerts_the_collector_once(self):
        customer = self._create_customers(["Over"])
        customer.credit_limit = 1000
        self._create_invoice(customer, 800, "2026-02-01", "2026-03-31")
        self._recompute()
        self.assertEqual(customer.credit_limit_use, 80)
        self.assertFalse(customer.activity_ids)
        self._create_invoice(customer, 400, "2026-02-10", "2026-03-31")
        self._recompute()
        self.assertEqual(customer.credit_limit_use, 120)
        self.assertEqual(customer.activity_ids.user_id, self.collector)
        self.assertEqual(customer.activity_ids.summary, "Credit limit exceeded")
        self._recompute()
        self.assertEqual(len(customer.activity_ids), 1, "no new alert while it stays over")

    def test_refresh_one_customer(self):
        customer = self._create_customers(["Refresh"])
        self._create_invoice(customer, 100, "2026-01-01", "2026-01-31")
        customer.action_credit_refresh()
        self.assertEqual(customer.credit_overdue_amount, 100)

    def test_invoices_by_status(self):
        customer = self._create_customers(["Statuses"])
        inv = self._create_invoice(customer, 100, "2026-01-01", "2026-01-31")
        self._create_invoice(customer, 200, "2026-01-01", "2026-01-31")
        inv.credit_status_id = self.env.ref("credit_relance.credit_relance_status_promise")
        self.assertEqual(customer.credit_invoice_count, 2)
        action = customer.action_credit_open_invoices_by_status()
        self.assertEqual(action["context"]["group_by"][0], "credit_status_id")
        groups = self.env["account.move"]._read_group(action["domain"], ["credit_status_id"], ["__count"])
        self.assertEqual(sorted((status.code or "", count) for status, count in groups), [("", 1), ("PROM", 1)])
