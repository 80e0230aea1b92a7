"""A collector cannot run code through a template, a message edited in the validation queue or a domain.

Templates follow Odoo's rule (``mail.group_mail_template_editor``): without that group, only
plain field placeholders may be written. Messages edited on an action are sent as sanitized
text, never rendered. Group domains are parsed as literals (``ast.literal_eval``), never evaluated.
"""

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common_engine import CreditRelanceEngineCommon, D

CODE_IN_QWEB = "<p><t t-out=\"object.env['res.users'].sudo().search([]).mapped('password')\"/></p>"
CODE_IN_INLINE = "{{ object.env.cr.execute('DELETE FROM res_partner') }}"
DOMAIN_ATTACKS = [
    "[('name', '=', __import__('os').getcwd())]",
    "[('id', 'in', [c for c in ().__class__.__base__.__subclasses__()])]",
    "[('name', '=', (lambda: 1)())]",
    "[('name', '=', 'x')] + [(1, '=', 1)]",
]


@tagged("post_install", "-at_install")
class TestCreditRelanceInjection(CreditRelanceEngineCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        editor = cls.env.ref("mail.group_mail_template_editor")
        # the "restrict template rendering" setting: only editors write code in templates
        cls.env["ir.config_parameter"].set_param("mail.restrict.template.rendering", True)
        cls.collector.groups_id -= editor
        cls.supervisor = cls.env["res.users"].create({
            "name": "Sam Supervisor", "login": "sam.supervisor", "email": "sam@company.example.com",
            "company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)],
            "groups_id": [Command.set([cls.env.ref("base.group_user").id, editor.id,
                                       cls.env.ref("credit_relance.credit_relance_group_supervisor").id])],
        })
        cls.mail_template.is_credit_template = True

    def test_collector_without_editor_group_cannot_write_code_in_templates(self):
        self.assertFalse(self.collector.has_group("mail.group_mail_template_editor"))
        template = self.mail_template.with_user(self.collector)
        for field, value in (("body_html", CODE_IN_QWEB), ("subject", CODE_IN_INLINE)):
            with self.subTest(field=field), self.assertRaises(AccessError):
                template.write({field: value})
                template.flush_recordset()
        with self.assertRaises(AccessError):
            self.sms_template.with_user(self.collector).write({"body": CODE_IN_INLINE})
        with self.assertRaises(AccessError):
            self.env["mail.template"].with_user(self.collector).create({
                "name": "Sneaky", "model_id": self.env["ir.model"]._get_id("res.partner"), "body_html": CODE_IN_QWEB,
            })
        self.assertNotIn("password", self.mail_template.body_html)
        # plain placeholders stay allowed in the collector's own templates; an editor may write code
        own = self.env["mail.template"].with_user(self.collector).create({
            "name": "Plain", "model_id": self.env["ir.model"]._get_id("res.partner"),
            "subject": "Reminder for {{ object.name }}",
        })
        own.flush_recordset()
        self.mail_template.with_user(self.supervisor).write({"body_html": "<p><t t-out=\"object.name\"/></p>"})

    def test_collector_cannot_swap_the_template_of_a_step(self):
        with self.assertRaises(AccessError):
            self.step_first.with_user(self.collector).write({"mail_template_id": False})

    def test_message_edited_in_the_queue_is_sent_as_text_not_rendered(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
            action = self._actions(self.customer).filtered(lambda a: a.state == "to_validate")
            action.with_user(self.collector).write({
                "subject_override": CODE_IN_INLINE,
                "body_override": f"<p>{CODE_IN_INLINE}</p>{CODE_IN_QWEB}<script>alert(1)</script>",
            })
            with freeze_time("2026-04-01 10:00:00"):
                action.with_user(self.collector).action_validate()
        self.assertEqual(action.state, "done")
        message = action.mail_message_ids
        self.assertEqual(message.subject, CODE_IN_INLINE, "the subject is sent as typed, never rendered")
        self.assertIn("{{ object.env.cr.execute", message.body)
        self.assertNotIn("<script", message.body)
        self.assertNotIn("t-out", message.body)
        self.assertTrue(self.customer.exists())

    def test_domain_injection_is_refused(self):
        group = self.env["credit.relance.group"].create({
            "name": "Injection target", "scenario_id": self.scenario.id, "domain": "[]",
            "company_id": self.company.id,
        })
        for domain in DOMAIN_ATTACKS:
            with self.subTest(domain=domain), self.assertRaises(ValidationError) as caught:
                group.with_user(self.supervisor).write({"domain": domain})
            self.assertIn("not a valid domain", str(caught.exception))
        self.assertEqual(group.domain, "[]")
        with self.assertRaises(AccessError):
            group.with_user(self.collector).write({"domain": "[('name', '=', 'x')]"})
