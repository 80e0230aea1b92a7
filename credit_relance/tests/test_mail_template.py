from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestDunningTemplates(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customers(["Dupont SA"])
        cls.contact = cls.Partner.create({
            "name": "Jeanne Compta", "parent_id": cls.customer.id, "type": "invoice", "email": "j@dupont.example",
        })
        cls.inv_old = cls._create_invoice(cls.customer, 1000, "2026-01-01", "2026-01-30")  # 30 days late
        cls.inv_new = cls._create_invoice(cls.customer, 250, "2026-02-10", "2026-02-25")  # 4 days late
        cls.paid = cls._create_invoice(cls.customer, 99, "2026-01-05", "2026-01-20")
        cls._pay(cls.paid, date="2026-01-20")
        cls.env.user.signature = "<p>Signed Collector Bob</p>"
        cls.env.company.company_registry = "RCS 123 456 789"

    def _preview(self, template):
        preview = self.env["mail.template.preview"].create({
            "mail_template_id": template.id,
            "resource_ref": f"res.partner,{self.customer.id}",
        })
        self.assertFalse(preview.error_msg)
        return preview

    def test_preview_renders_invoices_table_on_a_real_customer(self):
        preview = self._preview(self.env.ref("credit_relance.mail_template_reminder_1"))
        body = preview.body_html
        self.assertIn("Jeanne Compta", body)
        self.assertIn(self.inv_old.name, body)
        self.assertIn(self.inv_new.name, body)
        self.assertNotIn(self.paid.name, body)
        self.assertIn(">30<", body.replace(" ", ""), "days late of the oldest invoice")
        self.assertIn("1,250.00", body, "total due")
        self.assertIn("access_token=", body, "payment link with the invoice's access token")
        self.assertIn("Signed Collector Bob", body)
        self.assertIn("RCS 123 456 789", body)
        self.assertNotIn("indemnity", body, "no late fees without the engine's figures")
        self.assertIn("payment reminder", preview.subject)
        self.assertEqual(preview.partner_ids, self.contact)

    def test_every_default_template_previews_without_error(self):
        templates = self.env["mail.template"].search([("is_credit_template", "=", True)])
        self.assertGreaterEqual(len(templates), 5)
        for template in templates:
            with self.subTest(template=template.name):
                self.assertIn(self.inv_old.name, self._preview(template).body_html)

    def test_late_fees_render_when_the_engine_gives_them(self):
        template = self.env.ref("credit_relance.mail_template_formal_notice")
        fees = {"interest": 12.5, "indemnity": 40.0, "rate": 12.15}
        body = template.with_context(credit_late_fees=fees)._render_field("body_html", self.customer.ids)[
            self.customer.id
        ]
        self.assertIn("40.00", body)
        self.assertIn("12.50", body)
        self.assertIn("L441-10", body)

    def test_engine_restricts_the_table_to_the_action_invoices(self):
        template = self.env.ref("credit_relance.mail_template_reminder_2")
        body = template.with_context(credit_move_ids=self.inv_new.ids)._render_field(
            "body_html", self.customer.ids
        )[self.customer.id]
        self.assertIn(self.inv_new.name, body)
        self.assertNotIn(self.inv_old.name, body)

    def test_sms_template_renders(self):
        template = self.env.ref("credit_relance.sms_template_reminder")
        body = template._render_field("body", self.customer.ids)[self.customer.id]
        self.assertIn("1,250.00", body)
        self.assertIn("30 days", body)
        self.assertIn("/my/invoices/", body)

    def test_menu_lists_only_dunning_templates(self):
        action = self.env.ref("credit_relance.mail_template_action_credit")
        listed = self.env["mail.template"].search(safe_eval(action.domain))
        self.assertTrue(listed)
        self.assertTrue(all(listed.mapped("is_credit_template")))
        self.assertNotIn(self.env.ref("account.email_template_edi_invoice"), listed)
        with Form(self.env["mail.template"].with_context(**safe_eval(action.context))) as form:
            form.name = "New dunning template"
        self.assertTrue(form.record.is_credit_template)
        self.assertEqual(form.record.model, "res.partner")

    def test_helpers(self):
        self.assertEqual(self.customer._credit_oldest_days_late(), 30)
        self.assertEqual(self.customer._credit_total_due(), 1250)
        self.assertEqual(self.customer._credit_contact(), self.contact)
        step = self.env.ref("credit_relance.credit_relance_step_standard_email_2")  # J+15
        self.assertEqual(self.customer._credit_overdue_invoices(step), self.inv_old)
        self.assertEqual(self.customer._credit_late_fees(), {})
        self.assertTrue(self.customer._credit_payment_link().startswith(self.customer.get_base_url()))
