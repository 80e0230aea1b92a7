from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
class TestCreditRelanceConfigAccess(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = new_test_user(
            cls.env, "sec_col", groups="base.group_user,credit_relance.credit_relance_group_collector"
        )
        cls.rep = new_test_user(
            cls.env, "sec_rep", groups="base.group_user,credit_relance.credit_relance_group_salesrep"
        )
        cls.scenario = cls._create_scenario("Access")

    def test_collectors_read_configuration_supervisors_configure(self):
        for model in ("credit.relance.scenario", "credit.relance.step", "credit.relance.group",
                      "credit.relance.routing.rule", "credit.relance.status"):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.collector)
                self.assertTrue(Model.has_access("read"))
                self.assertFalse(Model.has_access("write"))
                self.assertFalse(Model.has_access("create"))
        self.assertEqual(self.scenario.with_user(self.collector).name, "Access")
        with self.assertRaises(AccessError):
            self.scenario.with_user(self.collector).name = "Changed"
        self.assertFalse(self.env["credit.relance.routing.rule"].with_user(self.rep).has_access("read"))

    def test_groups_of_another_company_are_hidden(self):
        other = self.setup_other_company()["company"]
        hidden = self._create_group("Other company", [], self.scenario, company_id=other.id)
        shared = self._create_group("Shared", [], self.scenario)
        visible = self.env["credit.relance.group"].with_user(self.collector).search([])
        self.assertIn(shared, visible)
        self.assertNotIn(hidden, visible)

    def test_supervisor_edits_a_group_in_its_form(self):
        with Form(self.env["credit.relance.group"]) as form:
            form.name = "From the form"
            form.scenario_id = self.scenario
            form.domain = "[('customer_rank', '>', 0)]"
        self.assertEqual(form.record.domain, "[('customer_rank', '>', 0)]")

    def test_sales_rep_opens_the_customer_credit_tab(self):
        customer = self._create_customers(["Rep's card"], user_id=self.rep.id)
        form = Form(customer.with_user(self.rep))
        self.assertEqual(form.credit_overdue_amount, 0)
        self.assertFalse(form.credit_next_action_id)
        self.assertEqual(form.credit_limit_amount, 0)

    def test_configuration_views_load_for_their_users(self):
        actions = {
            "credit_relance.credit_relance_scenario_action": self.env.user,
            "credit_relance.credit_relance_group_action": self.collector,
            "credit_relance.credit_relance_routing_rule_action": self.collector,
            "credit_relance.credit_relance_limit_request_action": self.rep,
            "credit_relance.mail_template_action_credit": self.env.user,
            "credit_relance.sms_template_action_credit": self.env.user,
        }
        for xmlid, user in actions.items():
            with self.subTest(action=xmlid):
                action = self.env.ref(xmlid)
                views = [(False, mode) for mode in action.view_mode.split(",")] + [(False, "search")]
                result = self.env[action.res_model].with_user(user).get_views(views)
                self.assertIn("form", result["views"])
        partner_form = self.env["res.partner"].with_user(self.rep).get_views([(False, "form")])
        self.assertIn('name="credit"', partner_form["views"]["form"]["arch"])
