from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestCreditRoutingRule(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._archive_default_groups()
        cls.normal = cls._create_scenario("Normal")
        cls.big = cls._create_scenario("Big invoices", offsets=(-10, 1))
        cls._create_group("All", [], cls.normal)
        cls.rule = cls.env["credit.relance.routing.rule"].create({
            "name": "Above 5000", "domain": "[('amount_total', '>', 5000)]", "scenario_id": cls.big.id,
        })

    def test_invoices_follow_rules_else_their_customer(self):
        customer = self._create_customers(["Router"])
        small = self._create_invoice(customer, 100, "2026-02-01", "2026-03-01")
        large = self._create_invoice(customer, 9000, "2026-02-01", "2026-03-01")
        paid = self._create_invoice(customer, 50, "2026-02-01", "2026-03-01")
        self._pay(paid)
        self._recompute()
        self.assertEqual(small.credit_scenario_id, self.normal)
        self.assertEqual(large.credit_scenario_id, self.big)
        self.assertFalse(paid.credit_scenario_id, "closed invoices are left alone")
        customer.credit_scenario_pinned_id = self.big
        self.rule.active = False
        self._recompute()
        self.assertEqual(small.credit_scenario_id, self.big)

    def test_broken_invoice_domain_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.rule.domain = "[('amount_totally', '>', 5)]"
        self.assertIn("amount_totally", str(caught.exception))
        self.assertIn("Above 5000", str(caught.exception))
