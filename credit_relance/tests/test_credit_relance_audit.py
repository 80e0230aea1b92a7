"""Every message sent is traceable from the action, the invoice and the customer; supervisors export it all."""

import base64
import csv
import io

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common_engine import CreditRelanceEngineCommon, D


@tagged("post_install", "-at_install")
class TestCreditRelanceAudit(CreditRelanceEngineCommon):
    def _export(self, partner, user=None):
        Wizard = self.env["credit.relance.history.export"].with_context(
            active_model="res.partner", active_id=partner.id)
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create({})
        wizard.action_export()
        content = base64.b64decode(wizard.export_file).decode("utf-8-sig")
        return wizard, list(csv.reader(io.StringIO(content)))

    def test_email_traceable_from_action_invoice_and_customer(self):
        invoice = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        action = self._actions(self.customer)
        message = action.mail_message_ids
        self.assertEqual(len(message), 1)
        # who, when, what, which template in which version
        self.assertEqual(action.executed_by_id, self.env.user)
        self.assertTrue(action.done_date)
        self.assertEqual(action.mail_template_id, self.mail_template)
        self.assertEqual(action.template_version, self.mail_template.write_date)
        self.assertEqual(message.subject, "Reminder for Acme Dunned")
        # from the customer: the message is in its chatter; from the invoice: a note and the action
        self.assertIn(message, self.customer.message_ids)
        self.assertIn("Reminder sent by e-mail: Reminder for Acme Dunned",
                      " ".join(invoice.message_ids.mapped("body")))
        self.assertEqual(self.env["credit.relance.action"].search([("move_ids", "=", invoice.id)]), action)

    def test_sms_template_version_is_kept(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 17))
        action = self._actions(self.customer).filtered(lambda a: a.channel == "sms")
        self.assertEqual(action.state, "done")
        self.assertEqual(action.sms_template_id, self.sms_template)
        self.assertEqual(action.template_version, self.sms_template.write_date)
        self.assertEqual(action.sms_number, "+33612345678")

    def test_supervisor_exports_the_history_of_a_customer(self):
        invoice = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        other = self._create_customer("Other Dunned")
        self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        self.env["credit.relance.promise"].create({
            "partner_id": self.customer.id, "date": D(2026, 3, 20), "amount": 100,
            "move_ids": [(6, 0, invoice.ids)], "note": "Will pay on the 20th",
        })
        if "credit.litige" in self.env:
            reason = self.env["credit.litige.reason"].create({"code": "AUD", "name": "Audit reason"})
            self.env["credit.litige"].create({
                "partner_id": self.customer.id, "reason_id": reason.id, "description": "Contested quantity",
                "line_ids": [(0, 0, {"move_id": invoice.id, "amount": 50.0})],
            })
        with freeze_time("2026-03-21 10:00:00"):
            wizard, rows = self._export(self.customer)
        self.assertEqual(wizard.export_filename, f"credit-history-{self.customer.id}-2026-03-21.csv")
        header, body = rows[0], rows[1:]
        self.assertEqual(header[0], "Record")
        kinds = {row[0] for row in body}
        self.assertTrue({"action", "message", "promise"} <= kinds, kinds)
        action_row = next(row for row in body if row[0] == "action")
        self.assertEqual(action_row[header.index("Template")], "Dunning e-mail")
        self.assertTrue(action_row[header.index("Template version")])
        self.assertIn(invoice.name, action_row[header.index("Invoices")])
        self.assertIn("Reminder for Acme Dunned", [row[header.index("Subject")] for row in body])
        self.assertIn("Will pay on the 20th", [row[header.index("Text")] for row in body])
        if "credit.litige" in self.env:
            self.assertIn("Contested quantity", [row[header.index("Text")] for row in body])
        self.assertFalse([row for row in body if "Other Dunned" in " ".join(row)], "only this customer")
        self.assertIn("Credit history exported by", self.customer.message_ids[0].body)

    def test_only_supervisors_export(self):
        with self.assertRaises(AccessError):
            self._export(self.customer, user=self.collector)

    def test_export_form_opens_from_the_customer(self):
        form = Form(self.env["credit.relance.history.export"].with_context(
            active_model="res.partner", active_id=self.customer.id))
        self.assertEqual(form.partner_id, self.customer)
