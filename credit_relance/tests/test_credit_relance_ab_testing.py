from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from ..tools.ab_testing import ab_variant
from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-03-03")
class TestCreditRelanceAbTesting(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._archive_default_groups()
        cls.scenario_a = cls._create_scenario("Standard", offsets=(1, 15))
        cls.scenario_b = cls._create_scenario("Early call", offsets=(0, 7))
        cls.scenario_pinned = cls._create_scenario("Key accounts", offsets=(30,))
        cls.group = cls._create_group(
            "SMB", [("name", "like", "AB customer")], cls.scenario_a,
            ab_scenario_id=cls.scenario_b.id, ab_share=30,
        )
        cls.customers = cls._create_customers([f"AB customer {index}" for index in range(1000)])

    def test_split_is_deterministic_and_proportional(self):
        self._recompute()
        in_b = self.customers.filtered(lambda p: p.credit_ab_variant == "b")
        in_a = self.customers.filtered(lambda p: p.credit_ab_variant == "a")
        expected_b = [pid for pid in self.customers.ids if ab_variant(pid, self.group.id, 30) == "b"]
        self.assertEqual(sorted(in_b.ids), sorted(expected_b))
        self.assertEqual(len(in_a) + len(in_b), 1000)
        self.assertTrue(250 <= len(in_b) <= 350, f"{len(in_b)} customers in B for a share of 30 %")
        self.assertEqual(set(in_b.mapped("credit_scenario_id")), {self.scenario_b})
        self.assertEqual(set(in_a.mapped("credit_scenario_id")), {self.scenario_a})
        self.assertEqual(self.group.ab_partner_count, len(in_b))
        self.assertEqual(self.group.partner_count, 1000)
        # a second recomputation changes nothing
        self._recompute()
        self.assertEqual(self.customers.filtered(lambda p: p.credit_ab_variant == "b"), in_b)

    def test_invoices_follow_the_variant_scenario(self):
        self._recompute()
        customer_b = self.customers.filtered(lambda p: p.credit_ab_variant == "b")[:1]
        customer_a = self.customers.filtered(lambda p: p.credit_ab_variant == "a")[:1]
        invoice_b = self._create_invoice(customer_b, 100, "2025-02-01", "2025-03-01")
        invoice_a = self._create_invoice(customer_a, 100, "2025-02-01", "2025-03-01")
        self._recompute()
        self.assertEqual(invoice_b.credit_scenario_id, self.scenario_b)
        self.assertEqual(invoice_a.credit_scenario_id, self.scenario_a)

    def test_engine_duns_each_variant_with_its_scenario(self):
        self._recompute()
        customer_a = self.customers.filtered(lambda p: p.credit_ab_variant == "a")[:1]
        customer_b = self.customers.filtered(lambda p: p.credit_ab_variant == "b")[:1]
        for customer in customer_a | customer_b:
            self._create_invoice(customer, 100, "2025-02-01", "2025-03-01")
        self._recompute()
        self.env["credit.relance.engine"]._run_company(self.env.company, today=fields.Date.to_date("2025-03-03"))
        actions = self.env["credit.relance.action"].search([("partner_id", "in", (customer_a | customer_b).ids)])
        by_customer = {action.partner_id: action for action in actions}
        self.assertEqual(len(actions), 2)
        self.assertEqual(by_customer[customer_a].scenario_id, self.scenario_a)
        self.assertEqual(by_customer[customer_a].ab_variant, "a")
        self.assertEqual(by_customer[customer_b].scenario_id, self.scenario_b)
        self.assertEqual(by_customer[customer_b].ab_variant, "b")
        self.assertEqual(by_customer[customer_b].credit_group_id, self.group)

    def test_pinned_customers_stay_out_of_the_test(self):
        pinned = self.customers[:50]
        pinned.credit_scenario_pinned_id = self.scenario_pinned
        self._recompute()
        self.assertEqual(set(pinned.mapped("credit_scenario_id")), {self.scenario_pinned})
        self.assertEqual(set(pinned.mapped("credit_ab_variant")), {False})
        self.assertEqual(set(pinned.mapped("credit_group_id")), {self.group})
        others_b = (self.customers - pinned).filtered(lambda p: p.credit_ab_variant == "b")
        self.assertTrue(others_b)
        # pinning a customer in B after the split: its pinned scenario wins at once
        others_b[0].credit_scenario_pinned_id = self.scenario_pinned
        self.assertEqual(others_b[0].credit_scenario_id, self.scenario_pinned)
        self._recompute()
        self.assertFalse(others_b[0].credit_ab_variant)

    def test_ending_the_test_puts_everyone_back_on_the_group_scenario(self):
        self._recompute()
        self.group.write({"ab_share": 0})
        # applied at once, without waiting for the daily recomputation
        self.assertEqual(set(self.customers.mapped("credit_ab_variant")), {"a"})
        self.assertEqual(set(self.customers.mapped("credit_scenario_id")), {self.scenario_a})
        self.group.write({"ab_share": 100})
        self.assertEqual(set(self.customers.mapped("credit_ab_variant")), {"b"})
        self.group.write({"ab_scenario_id": False})
        self.assertEqual(set(self.customers.mapped("credit_scenario_id")), {self.scenario_a})

    def test_customers_leaving_the_group_lose_their_variant(self):
        self._recompute()
        leaving = self.customers[:10]
        leaving.write({"name": "Moved away"})
        self._recompute()
        self.assertEqual(set(leaving.mapped("credit_ab_variant")), {False})
        self.assertFalse(leaving.credit_group_id)

    def test_recomputation_is_set_based(self):
        self._recompute()
        # changed behind the ORM's back, so that only the recomputation applies it
        self.env.cr.execute(SQL("UPDATE credit_relance_group SET ab_share = 60 WHERE id = %s", self.group.id))
        self.group.invalidate_recordset(["ab_share"])
        with self.assertQueryCount(4):
            self.Group._recompute_ab_variants()
        self.assertEqual(
            len(self.customers.filtered(lambda p: p.credit_ab_variant == "b")),
            len([pid for pid in self.customers.ids if ab_variant(pid, self.group.id, 60) == "b"]),
        )

    def test_a_b_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._create_group("Too many", [], self.scenario_a, ab_scenario_id=self.scenario_b.id, ab_share=120)
        with self.assertRaisesRegex(ValidationError, "must differ"):
            self._create_group("Same", [], self.scenario_a, ab_scenario_id=self.scenario_a.id, ab_share=10)
        empty = self.Scenario.create({"name": "No step"})
        with self.assertRaisesRegex(ValidationError, "has no step"):
            self._create_group("Empty", [], self.scenario_a, ab_scenario_id=empty.id, ab_share=10)

    def test_supervisor_sets_a_test_in_the_group_form(self):
        with Form(self.group) as form:
            form.ab_scenario_id = self.scenario_pinned
            form.ab_share = 10
        self.assertEqual(self.group.ab_share, 10)
        action = self.group.action_open_ab_results()
        self.assertEqual(action["res_model"], "credit.relance.effectiveness.report")
        self.assertEqual(action["domain"], [("group_id", "=", self.group.id)])
