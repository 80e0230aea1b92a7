from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestCreditRelanceGroup(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._archive_default_groups()
        cls.collector = new_test_user(
            cls.env, "grp_collector", groups="base.group_user,credit_relance.credit_relance_group_collector"
        )
        cls.tag_strategic = cls.env.ref("credit_relance.res_partner_category_strategic")
        cls.tag_high_risk = cls.env.ref("credit_relance.res_partner_category_high_risk")
        cls.manual = cls._create_scenario("Manual")
        cls.risky = cls._create_scenario("Risky", offsets=(1, 3))
        cls.standard = cls._create_scenario("Std", offsets=(-5, 1, 15))
        cls.g_strategic = cls._create_group(
            "Strategic", [("category_id", "in", [cls.tag_strategic.id])], cls.manual, sequence=10
        )
        cls.g_risk = cls._create_group(
            "Risk", ["|", ("category_id", "in", [cls.tag_high_risk.id]), ("credit_oldest_overdue_days", ">", 60)],
            cls.risky, sequence=20, collector_id=cls.collector.id,
        )
        cls.g_standard = cls._create_group("Everybody", [], cls.standard, sequence=100)

    def test_customers_join_first_matching_group_by_priority(self):
        strategic_and_late, late, fine, tagged_risky = self._create_customers(
            ["Strategic late", "Late", "Fine", "Tagged risky"]
        )
        strategic_and_late.category_id = self.tag_strategic
        tagged_risky.category_id = self.tag_high_risk
        self._create_invoice(strategic_and_late, 500, "2025-11-01", "2025-12-01")
        self._create_invoice(late, 1200, "2025-11-01", "2025-12-01")  # 90 days late
        self._create_invoice(fine, 300, "2026-02-20", "2026-03-20")  # not due
        self._recompute()
        self.assertEqual(strategic_and_late.credit_group_id, self.g_strategic, "priority 10 beats 20")
        self.assertEqual(late.credit_group_id, self.g_risk)
        self.assertEqual(late.credit_oldest_overdue_days, 90)
        self.assertEqual(late.credit_overdue_amount, 1200)
        self.assertEqual(tagged_risky.credit_group_id, self.g_risk)
        self.assertEqual(fine.credit_group_id, self.g_standard)
        self.assertEqual(fine.credit_overdue_amount, 0)
        self.assertEqual(fine.credit_not_due_amount, 300)
        self.assertEqual(late.credit_scenario_id, self.risky)
        self.assertEqual(late.credit_collector_id, self.collector)
        self.assertEqual(self.g_risk.partner_count, 2)

    def test_priority_tie_goes_to_the_group_created_first(self):
        first = self._create_group("Tie A", [("name", "like", "Tie")], self.manual, sequence=5)
        self._create_group("Tie B", [("name", "like", "Tie")], self.risky, sequence=5)
        customer = self._create_customers(["Tie customer"])
        self._recompute()
        self.assertEqual(customer.credit_group_id, first)

    def test_pinned_scenario_wins_over_the_group(self):
        customer = self._create_customers(["Pinned"], category_id=[Command.set(self.tag_strategic.ids)])
        customer.credit_scenario_pinned_id = self.standard
        self._recompute()
        self.assertEqual(customer.credit_group_id, self.g_strategic, "the group still gives the collector")
        self.assertEqual(customer.credit_scenario_id, self.standard)
        customer.credit_scenario_pinned_id = False
        self.assertEqual(customer.credit_scenario_id, self.manual)

    def test_archived_group_is_ignored(self):
        customer = self._create_customers(["Strategic"], category_id=[Command.set(self.tag_strategic.ids)])
        self._recompute()
        self.assertEqual(customer.credit_group_id, self.g_strategic)
        self.g_strategic.active = False
        self._recompute()
        self.assertEqual(customer.credit_group_id, self.g_standard)

    def test_group_of_a_company_only_matches_its_customers_and_shared_ones(self):
        other = self.setup_other_company()["company"]
        group_b = self._create_group("Company B", [], self.manual, sequence=1, company_id=other.id)
        own_a, own_b, shared = self._create_customers(["Own A", "Own B", "Shared"])
        own_a.company_id = self.env.company
        own_b.company_id = other
        self._recompute()
        self.assertEqual(own_a.credit_group_id, self.g_standard)
        self.assertEqual(own_b.credit_group_id, group_b)
        self.assertEqual(shared.credit_group_id, group_b, "shared customers are customers of every company")

    def test_change_of_behaviour_moves_customer_and_alerts_collector(self):
        customer = self._create_customers(["Slips"])
        self._create_invoice(customer, 800, "2026-01-01", "2026-02-01")
        self._recompute()
        self.assertEqual(customer.credit_group_id, self.g_standard)
        self.assertFalse(customer.activity_ids)
        with freeze_time("2026-04-15"):  # now 73 days late
            self._recompute()
            self.assertEqual(customer.credit_group_id, self.g_risk)
            self.assertEqual(customer.credit_scenario_id, self.risky)
            activity = customer.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.collector)
            self.assertEqual(activity.activity_type_id, self.todo_type)
            self.assertIn("Risk", activity.summary)
            note = customer.message_ids[0]
            self.assertIn("Everybody", note.body)
            self.assertIn("Risk", note.body)
            # nothing changes on the next run: no new alert
            self._recompute()
            self.assertEqual(len(customer.activity_ids), 1)

    def test_invalid_domains_are_refused_with_the_field_named(self):
        cases = {
            "[('no_such_field', '=', 1)]": "no_such_field",
            "[('category_id.no_such', '=', 1)]": "category_id.no_such",
            "[('name', 'resembles', 'x')]": "resembles",
            "[('name', '=')": "not a valid domain",
            "__import__('os').system('true')": "not a valid domain",
            "[('name', '=', 1), 'x']": "not a valid domain",
        }
        for domain, expected in cases.items():
            with self.subTest(domain=domain), self.assertRaises(ValidationError) as caught:
                self.g_standard.domain = domain
            self.assertIn(expected, str(caught.exception))
            self.assertIn("Everybody", str(caught.exception))

    def test_domain_failing_at_search_time_is_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(ValidationError) as caught:
            self.g_standard.domain = "[('credit_oldest_overdue_days', '>', 'not a number')]"
        self.assertIn("cannot be applied", str(caught.exception))
        self.assertEqual(self.g_standard.domain, "[]")

    def test_group_needs_a_scenario_with_steps(self):
        empty = self.Scenario.create({"name": "Empty"})
        with self.assertRaises(ValidationError) as caught:
            self._create_group("Broken", [], empty)
        self.assertIn("Empty", str(caught.exception))
        self.assertIn("no step", str(caught.exception))

    def test_recompute_button_is_for_supervisors_and_notifies(self):
        customer = self._create_customers(["Button"])
        action = self.g_standard.action_recompute()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(customer.credit_group_id, self.g_standard)

    def test_cron_recomputes(self):
        customer = self._create_customers(["Cron"])
        self.env.ref("credit_relance.ir_cron_recompute_groups").method_direct_trigger()
        self.assertEqual(customer.credit_group_id, self.g_standard)

    def test_recompute_query_count_does_not_grow_with_customers(self):
        self._recompute()  # warm caches (ir.model ids, refs) so both measures compare like with like
        counts = []
        for size in (50, 500):
            # half strategic, half standard: both groups get members in each run
            customers = self._create_customers(
                [f"Batch {size} {index}" for index in range(size)]
            )
            customers[: size // 2].write({"category_id": [Command.set(self.tag_strategic.ids)]})
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._recompute()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(set(customers.mapped("credit_group_id")), {self.g_strategic, self.g_standard})
        self.assertEqual(counts[0], counts[1], f"queries for 50 vs 500 customers: {counts}")
        self.assertLessEqual(counts[1], 20)

    def test_moving_many_customers_alerts_in_a_bounded_number_of_queries(self):
        self._recompute()
        self.g_strategic.collector_id = self.collector
        counts = []
        for size in (50, 500):
            customers = self._create_customers([f"Move {size} {index}" for index in range(size)])
            self._recompute()
            self.assertEqual(customers.credit_group_id, self.g_standard)
            customers.write({"category_id": [Command.set(self.tag_strategic.ids)]})
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._recompute()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(customers.credit_group_id, self.g_strategic)
            self.assertEqual(len(customers.activity_ids), size)
        # notes, followers and activities are inserted by the ORM in chunks of 100 rows: a few
        # queries per 100 moved customers, never one per customer
        self.assertLessEqual(counts[1] - counts[0], 4 * 5, f"queries for moving 50 vs 500 customers: {counts}")
        self.assertLess(counts[1], 60)
