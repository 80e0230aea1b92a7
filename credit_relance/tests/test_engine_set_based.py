from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.credit_relance.models.credit_relance_engine import CreditRelanceEngine

from .common_engine import CreditRelanceEngineCommon, D

TODAY = D(2026, 4, 20)


@tagged("post_install", "-at_install")
class TestEngineSetBased(CreditRelanceEngineCommon):
    """The daily run plans set-based (SQL) and gives exactly what the ORM path gives, which
    still runs when an extension overrides a planning hook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.salesperson = users.create({
            "name": "Sam Salesperson", "login": "sam.salesperson", "email": "sam@company.example.com",
            "company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)],
            "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
        })
        cls.lawyer = users.create({
            "name": "Lea Lawyer", "login": "lea.lawyer", "email": "lea@company.example.com", "tz": "Europe/Paris",
            "company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)],
            "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
        })
        cls.step_sms.responsible_type = "salesperson"
        cls.step_second.write({"responsible_type": "user", "responsible_user_id": cls.lawyer.id})
        cls.step_first.min_residual = 100
        cls.dispute = cls.env["credit.relance.status"].create({
            "code": "SETDISPUTE", "name": "Disputed (set-based)", "category": "dispute",
        })
        cls.group = cls.env["credit.relance.group"].create({
            "sequence": 1, "name": "Everybody (set-based)", "domain": "[('customer_rank', '>', 0)]",
            "company_id": cls.company.id,
            "scenario_id": cls.scenario.id, "collector_id": cls.collector.id,
        })
        # Acme: the most advanced step runs, the earlier ones are passed over; one invoice not due yet
        cls.customer.user_id = cls.salesperson
        cls.invoices = cls._create_invoice(cls.customer, 1200, D(2026, 3, 1))
        cls.invoices |= cls._create_invoice(cls.customer, 300.5, D(2026, 4, 2))
        cls.invoices |= cls._create_invoice(cls.customer, 80, D(2026, 4, 22))
        cls.invoices |= cls._create_invoice(cls.customer, 90, D(2026, 6, 1))
        # Beta, with a salesperson: an invoice in dispute (category) and one at the SMS step
        cls.beta = cls._create_customer("Beta & Sons", phone="01 02 03 04 05")
        cls.beta.user_id = cls.salesperson
        disputed = cls._create_invoice(cls.beta, 400, D(2026, 3, 10))
        disputed.credit_status_id = cls.dispute
        cls.invoices |= disputed | cls._create_invoice(cls.beta, 250, D(2026, 3, 25))
        # Gamma: below the first reminder's minimum, its step stays due
        cls.gamma = cls._create_customer("Gamma")
        cls.invoices |= cls._create_invoice(cls.gamma, 50, D(2026, 4, 10))
        # Delta, following its group's scenario: a call three days ago, too soon for a preventive
        # reminder today
        cls.delta = cls._create_customer("Delta", credit_scenario_pinned_id=False)
        cls.invoices |= cls._create_invoice(cls.delta, 700, D(2026, 2, 1))
        cls.invoices |= cls._create_invoice(cls.delta, 150, D(2026, 4, 23))
        cls.env["credit.relance.group"]._recompute_all()

    def _plan(self, day=TODAY, partners=None):
        # in a language, as the cron runs: labels are then read from the database
        with freeze_time(day):
            return self.engine.with_context(lang="en_US")._plan(self.company, day, partners=partners)

    def _snapshot(self):
        """Every stored column of the actions, their lines, activities and followers, with the
        actions named by (customer, step) instead of their ids."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("SELECT * FROM credit_relance_action WHERE company_id = %s ORDER BY partner_id, step_id",
                       self.company.id))
        actions = cr.dictfetchall()
        keys = {row["id"]: (row["partner_id"], row["step_id"]) for row in actions}
        volatile = {"id", "create_date", "write_date"}

        def clean(rows, *links):
            result = []
            for row in rows:
                row = {key: value for key, value in row.items() if key not in volatile}
                for link in links:
                    row[link] = keys.get(row[link], row[link])
                result.append(row)
            return sorted(result, key=repr)

        cr.execute(SQL("SELECT * FROM credit_relance_action_line WHERE action_id IN %s", tuple(keys) or (0,)))
        lines = clean(cr.dictfetchall(), "action_id")
        cr.execute(SQL("SELECT * FROM mail_activity WHERE res_model = 'credit.relance.action' AND res_id IN %s",
                       tuple(keys) or (0,)))
        # the ORM writes the computed fields of new activities at the next flush, as whoever flushes
        activities = [dict(row, write_uid=None) for row in clean(cr.dictfetchall(), "res_id")]
        cr.execute(SQL(
            """SELECT f.res_id, f.partner_id, array_agg(r.mail_message_subtype_id ORDER BY r.mail_message_subtype_id)
                 FROM mail_followers f
                 LEFT JOIN mail_followers_mail_message_subtype_rel r ON r.mail_followers_id = f.id
                WHERE f.res_model = 'credit.relance.action' AND f.res_id IN %s
                GROUP BY f.id""", tuple(keys) or (0,)))
        followers = sorted((keys[res_id], partner, subtypes) for res_id, partner, subtypes in cr.fetchall())
        cr.execute(SQL("SELECT count(*) FROM mail_message WHERE model = 'credit.relance.action' AND res_id IN %s",
                       tuple(keys) or (0,)))
        messages = cr.fetchone()[0]
        return {"actions": clean(actions), "lines": lines, "activities": activities, "followers": followers,
                "messages": messages}

    def _extension_calling_super(self):
        """What an extension of the engine overriding a hook of the planning and of its
        activities (calling super) looks like to the registry."""
        engine_class = type(self.engine)

        def _get_responsible(engine, step, partner):
            return CreditRelanceEngine._get_responsible(engine, step, partner)

        def _get_activity_note(engine, action):
            return CreditRelanceEngine._get_activity_note(engine, action)

        return patch.multiple(engine_class, _get_responsible=_get_responsible, _get_activity_note=_get_activity_note)

    def test_set_based_without_extensions(self):
        self.assertTrue(self.engine._plan_is_set_based())
        self.assertTrue(self.engine._is_set_based(self.engine._ACTIVITY_ORM_HOOKS, self.engine._ACTIVITY_SQL_FIELDS))
        with self._extension_calling_super():
            self.assertFalse(self.engine._plan_is_set_based())
            self.assertFalse(self.engine._is_set_based(self.engine._ACTIVITY_ORM_HOOKS,
                                                       self.engine._ACTIVITY_SQL_FIELDS))
        # a stored field with a default beyond those the SQL fills needs the ORM
        filled = dict(self.engine._PLANNING_SQL_FIELDS)
        filled["credit.relance.action"] = filled["credit.relance.action"] - {"state"}
        self.assertFalse(self.engine._is_set_based((), filled))

    def test_sql_planning_gives_what_the_orm_gives(self):
        # Delta's call three days ago
        self.scenario.min_interval_days = 5
        self.assertEqual(self._plan(D(2026, 4, 17), partners=self.delta), 1)
        self.env.flush_all()
        savepoint = self.env.cr.savepoint()
        # a worker's first run: nothing cached (labels, selections) between its statements
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        planned = self._plan()
        by_sql = self._snapshot()
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        with self._extension_calling_super():
            self.assertEqual(self._plan(), planned)
        by_orm = self._snapshot()
        self.assertEqual(by_sql, by_orm)
        # what was compared: Acme's call passing over 4 steps, SMS (its salesperson) and preventive
        # reminder, Beta's second reminder (dispute category, fixed user) and SMS, Gamma below
        # the minimum, Delta too soon
        self.assertEqual(planned, 5)
        new = self.env["credit.relance.action"].search(
            [("company_id", "=", self.company.id), ("planned_date", "=", TODAY)])
        self.assertEqual(
            sorted((a.partner_id.name, a.step_id.name, a.state, a.user_id.name, a.followup_category) for a in new),
            [("Acme Dunned", "Call", "to_do", "Colette Collector", "in_progress"),
             ("Acme Dunned", "Preventive", "planned", "Colette Collector", "in_progress"),
             ("Acme Dunned", "SMS", "planned", "Sam Salesperson", "in_progress"),
             ("Beta & Sons", "SMS", "planned", "Sam Salesperson", "in_progress"),
             ("Beta & Sons", "Second reminder", "to_validate", "Lea Lawyer", "dispute")])
        call = new.filtered(lambda a: a.step_id == self.step_call)
        self.assertEqual(call.name, "Acme Dunned - Call")
        self.assertEqual(call.line_ids.step_id, self.step_call, "one line, at the step run")
        self.assertEqual(call.line_ids.move_id, self.invoices[0])
        self.assertFalse(call.line_ids.skipped)
        self.assertEqual(call.amount_total, 1200)
        self.assertEqual(call.credit_group_id, self.group)
        self.assertEqual(call.activity_ids.user_id, self.collector)
        self.assertIn("Acme Dunned", call.activity_ids.note)
        self.assertEqual(call.message_partner_ids, self.collector.partner_id)
        self.assertFalse(by_sql["messages"], "no creation message, like the ORM path")

    def test_sql_planning_twice_the_same_day_adds_nothing(self):
        first = self._plan()
        self.assertGreater(first, 0)
        lines = self.env["credit.relance.action.line"].search_count([])
        self.assertEqual(self._plan(), 0)
        self.assertEqual(self.env["credit.relance.action.line"].search_count([]), lines)

    def test_extension_choosing_the_responsible_is_followed(self):
        """An extension overriding a hook of the planning plans through the ORM, with its hook."""
        lawyer = self.lawyer

        def _get_responsible(engine, step, partner):
            return lawyer

        with patch.object(type(self.engine), "_get_responsible", _get_responsible):
            self.assertGreater(self._plan(), 0)
        actions = self.env["credit.relance.action"].search([("company_id", "=", self.company.id)])
        self.assertEqual(actions.user_id, lawyer)
