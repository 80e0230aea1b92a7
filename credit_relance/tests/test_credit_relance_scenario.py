from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase


class TestCreditRelanceScenario(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scenario = cls.env["credit.relance.scenario"]
        cls.mail_template = cls.env.ref("credit_relance.mail_template_reminder_1")
        cls.sms_template = cls.env.ref("credit_relance.sms_template_reminder")
        cls.scenario = cls.Scenario.create({
            "name": "Test",
            "step_ids": [
                Command.create({"name": "Mail", "offset_days": 1, "sequence": 1, "channel": "email",
                                "mail_template_id": cls.mail_template.id}),
                Command.create({"name": "SMS", "offset_days": 1, "sequence": 2, "channel": "sms",
                                "sms_template_id": cls.sms_template.id}),
                Command.create({"name": "Call", "offset_days": 30, "sequence": 3, "channel": "phone",
                                "trigger_mode": "manual"}),
            ],
        })

    def test_default_scenarios_follow_the_seed(self):
        standard = self.env.ref("credit_relance.credit_relance_scenario_standard")
        self.assertEqual(
            [(s.offset_days, s.channel, s.trigger_mode) for s in standard.step_ids],
            [(-5, "email", "auto"), (1, "email", "auto"), (15, "email", "auto"), (30, "phone", "manual"),
             (45, "formal_notice", "validate")],
        )
        self.assertEqual(standard.step_ids[2].position_label, "3 / 5")
        recurring = self.env.ref("credit_relance.credit_relance_scenario_recurring")
        self.assertEqual(set(recurring.step_ids.mapped("trigger_mode")), {"auto"})
        sensitive = self.env.ref("credit_relance.credit_relance_scenario_sensitive")
        self.assertEqual(set(sensitive.step_ids.mapped("trigger_mode")), {"manual"})
        standard_group = self.env.ref("credit_relance.credit_relance_customer_group_standard")
        self.assertEqual(standard_group.domain, "[]")
        self.assertEqual(standard_group.sequence, max(self.env["credit.relance.group"].search([]).mapped("sequence")))

    def test_same_offset_steps_are_allowed_and_numbered(self):
        self.assertEqual(self.scenario.step_ids.mapped("position_label"), ["1 / 3", "2 / 3", "3 / 3"])

    def test_channel_without_template_is_refused(self):
        for channel, message in (("email", "e-mail / letter template"), ("letter", "e-mail / letter template"),
                                 ("formal_notice", "e-mail / letter template"), ("sms", "SMS template")):
            with self.subTest(channel=channel), self.assertRaises(ValidationError) as caught:
                self.scenario.write({"step_ids": [Command.create({
                    "name": "No template", "offset_days": 40, "sequence": 9, "channel": channel,
                })]})
            self.assertIn('Step "No template"', str(caught.exception))
            self.assertIn(message, str(caught.exception))

    def test_removing_the_template_of_a_step_is_refused(self):
        with self.assertRaises(ValidationError):
            self.scenario.step_ids[0].mail_template_id = False

    def test_decreasing_offsets_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.scenario.write({"step_ids": [Command.create({
                "name": "Late preventive", "offset_days": -5, "sequence": 10, "channel": "phone",
            })]})
        self.assertIn("Late preventive", str(caught.exception))
        self.assertIn("never decrease", str(caught.exception))

    def test_absurd_offsets_are_refused(self):
        for offset in (-61, 731, 10000):
            with self.subTest(offset=offset), self.assertRaises(ValidationError) as caught:
                self.scenario.step_ids[2].offset_days = offset
            self.assertIn(str(offset), str(caught.exception))

    def test_fixed_responsible_needs_a_user(self):
        with self.assertRaises(ValidationError):
            self.scenario.step_ids[2].responsible_type = "user"

    def test_scenario_used_by_a_group_keeps_a_step(self):
        self.env["credit.relance.group"].create({"name": "Users", "scenario_id": self.scenario.id})
        with self.assertRaises(ValidationError) as caught:
            self.scenario.write({"step_ids": [Command.clear()]})
        self.assertIn('"Test"', str(caught.exception))
        self.scenario.step_ids[1:].unlink()
        with self.assertRaises(ValidationError) as caught:
            self.scenario.step_ids.unlink()
        self.assertIn("at least one step", str(caught.exception))

    def test_scenario_min_interval_defaults_to_company_setting(self):
        self.env.company.credit_min_interval_days = 5
        self.assertEqual(self.Scenario.create({"name": "New"}).min_interval_days, 5)
        with self.assertRaises(ValidationError):
            self.scenario.min_interval_days = -1

    def test_scenario_form_edits_steps(self):
        with Form(self.Scenario) as form:
            form.name = "From the form"
            with form.step_ids.new() as step:
                step.name = "Call"
                step.offset_days = 5
                step.channel = "phone"
        self.assertEqual(form.record.step_ids.position_label, "1 / 1")
