from odoo.tests import TransactionCase, new_test_user


class TestSecurityGroups(TransactionCase):
    def test_groups_are_implied_in_order(self):
        supervisor = new_test_user(self.env, "cr_sup", groups="credit_relance.credit_relance_group_supervisor")
        collector = new_test_user(self.env, "cr_col", groups="credit_relance.credit_relance_group_collector")
        salesrep = new_test_user(self.env, "cr_rep", groups="credit_relance.credit_relance_group_salesrep")
        self.assertTrue(supervisor.has_group("credit_relance.credit_relance_group_collector"))
        self.assertTrue(supervisor.has_group("credit_relance.credit_relance_group_salesrep"))
        self.assertTrue(collector.has_group("credit_relance.credit_relance_group_salesrep"))
        self.assertFalse(collector.has_group("credit_relance.credit_relance_group_supervisor"))
        self.assertFalse(salesrep.has_group("credit_relance.credit_relance_group_collector"))

    def test_only_supervisors_configure_statuses(self):
        collector = new_test_user(self.env, "cr_col2", groups="credit_relance.credit_relance_group_collector")
        Status = self.env["credit.relance.status"]
        self.assertTrue(Status.with_user(collector).has_access("read"))
        self.assertFalse(Status.with_user(collector).has_access("create"))
        status = Status.create({"code": "T1", "name": "Test"})
        sub = Status.create({"code": "T1A", "name": "Sub", "parent_id": status.id})
        self.assertEqual(sub.display_name, "Test / Sub")
