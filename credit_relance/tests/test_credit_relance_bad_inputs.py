"""Bad inputs get a clear message and leave nothing half-written.

Cases already covered elsewhere (see SECURITY.md): customers without e-mail or mobile, unknown
template fields, malformed group domains, absurd offsets, credit notes, missing late-fee rates,
community payloads.
"""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..tools import phone
from .common_engine import CreditRelanceEngineCommon, D


class TestToolsPhoneCountries(BaseCase):
    """Mobile numbers of five countries, valid and invalid, as customers type them."""

    VALID = [
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("(201) 555-0123", "US", "+12015550123"),
        ("07400 123456", "GB", "+447400123456"),
        ("+44 7400 123456", "FR", "+447400123456"),
    ]
    INVALID = [
        ("06 12 34", "FR", "invalid"),
        ("0470 12", "BE", "invalid"),
        ("0151 2", "DE", "invalid"),
        ("555-0123", "US", "invalid"),
        ("07400 12", "GB", "invalid"),
        ("call me", "GB", "unparsable"),
        ("07400 123456", None, "unparsable"),
    ]

    def test_valid_numbers(self):
        for number, country, expected in self.VALID:
            with self.subTest(number=number, country=country):
                self.assertEqual(phone.to_e164(number, country), expected)

    def test_invalid_numbers_carry_their_reason(self):
        for number, country, reason in self.INVALID:
            with self.subTest(number=number, country=country), self.assertRaises(phone.InvalidPhoneError) as caught:
                phone.to_e164(number, country)
            self.assertEqual(caught.exception.reason, reason)


@tagged("post_install", "-at_install")
class TestCreditRelanceBadInputs(CreditRelanceEngineCommon):
    def test_invalid_mobile_of_a_foreign_customer(self):
        customer = self._create_customer("Bavaria GmbH", mobile="0151 2", country_id=self.env.ref("base.de").id)
        self._create_invoice(customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._run(D(2026, 3, 17))
        action = self._actions(customer)
        self.assertEqual(action.state, "error")
        self.assertEqual(action.error_message, "The mobile number 0151 2 of Bavaria GmbH is not valid.")
        self.assertFalse(action.next_retry, "bad data is not retried automatically")
        self.assertFalse(self._new_sms)

    def test_incomplete_address_for_a_letter(self):
        self.step_second.write({"channel": "letter", "trigger_mode": "auto"})
        self.customer.write({"street": False, "city": False})
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
        action = self._actions(self.customer)
        self.assertEqual(action.state, "error")
        self.assertEqual(action.error_message,
                         "The address of Acme Dunned is incomplete for a letter: Street, City is missing.")
        self.assertFalse(action.attachment_ids, "no letter half-made")

    def test_template_with_a_syntax_error(self):
        self.mail_template.body_html = "<p><t t-out=\"object.name(\"/></p>"
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        with self.mock_mail_gateway(), mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            self._run(D(2026, 3, 7))
        action = self._actions(self.customer)
        self.assertEqual(action.state, "error")
        self.assertIn("cannot be rendered", action.error_message)
        self.assertNotIn("Traceback", action.error_message)
        self.assertFalse(action.mail_message_ids)
        self.assertFalse(self._new_mails)

    def test_draft_and_cancelled_invoices_are_not_dunned(self):
        draft = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        draft.button_draft()
        cancelled = self._create_invoice(self.customer, 200, D(2026, 3, 2))
        cancelled.button_draft()
        cancelled.button_cancel()
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        self.assertFalse(self._actions(self.customer))
        self.assertFalse(self._new_mails)

    def test_invoice_cancelled_or_paid_before_validation_is_left_out(self):
        first = self._create_invoice(self.customer, 100, D(2026, 3, 2))
        second = self._create_invoice(self.customer, 200, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
        action = self._actions(self.customer)
        self.assertEqual(action.state, "to_validate")
        second.button_draft()
        second.button_cancel()
        with self.mock_mail_gateway(), freeze_time("2026-04-01 10:00:00"):
            action.action_validate()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.move_ids, first, "the cancelled invoice is left out of the reminder")
        self.assertIn(first.name, action.mail_message_ids.body)
        self.assertNotIn(second.name, action.mail_message_ids.body)
        # everything paid before the validation: nothing is sent, the action says why
        other = self._create_customer("Beta Dunned")
        invoice = self._create_invoice(other, 100, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 4, 1))
        queued = self._actions(other)
        with self.mock_mail_gateway():
            self._pay(invoice, D(2026, 4, 1))
            self.assertFalse(self._new_mails)
        # the payment itself cancels the queued reminder, which can no longer be validated
        self.assertEqual(queued.state, "cancelled")
        self.assertIn("paid", queued.reject_reason)
        with self.assertRaises(UserError):
            queued.action_validate()

    def test_invoice_in_another_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "currency_id": eur.id,
            "invoice_date": D(2026, 2, 1), "invoice_date_due": D(2026, 3, 2),
            "invoice_line_ids": [(0, 0, {"name": "Export", "quantity": 1, "price_unit": 300, "tax_ids": []})],
        })
        invoice.action_post()
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        action = self._actions(self.customer)
        self.assertEqual(action.state, "done")
        self.assertEqual(action.currency_id, self.company.currency_id)
        self.assertAlmostEqual(action.amount_total, 150.0, msg="the company currency amount, at the invoice's rate")
        line = action.line_ids.filtered(lambda line: not line.skipped)
        self.assertAlmostEqual(line.amount_residual, invoice.amount_residual_signed)

    def test_merged_customers_keep_actions_and_disputes_on_the_survivor(self):
        duplicate = self._create_customer("Acme Dunned (duplicate)")
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        self._create_invoice(duplicate, 50, D(2026, 3, 2))
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
        moved = self._actions(duplicate)
        self.assertEqual(len(moved), 1)
        dispute = self.env["credit.litige"]
        if "credit.litige" in self.env:
            reason = self.env["credit.litige.reason"].create({"code": "MRG", "name": "Merge reason"})
            dispute = self.env["credit.litige"].create({
                "partner_id": duplicate.id, "reason_id": reason.id,
                "line_ids": [(0, 0, {"move_id": moved.move_ids.id, "amount": 10.0})],
            })
        wizard = self.env["base.partner.merge.automatic.wizard"].with_context(
            active_model="res.partner", active_ids=(self.customer | duplicate).ids,
        ).create({"dst_partner_id": self.customer.id})
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(moved.partner_id, self.customer)
        self.assertEqual(len(self._actions(self.customer)), 2)
        if dispute:
            self.assertEqual(dispute.partner_id, self.customer)
        # the next run does not dun the merged invoices twice
        with self.mock_mail_gateway():
            self._run(D(2026, 3, 7))
            self.assertFalse(self._new_mails)
        self.assertEqual(len(self._actions(self.customer)), 2)

    def test_group_referencing_a_removed_field_keeps_its_customers(self):
        self._create_invoice(self.customer, 100, D(2026, 3, 2))
        group = self.env["credit.relance.group"].create({
            "name": "Big customers", "scenario_id": self.scenario.id, "company_id": self.company.id,
            "domain": "[('name', 'ilike', 'Acme')]", "sequence": 1,
        })
        group._recompute_all()
        self.assertEqual(self.customer.credit_group_id, group)
        # the field the criteria used has gone (its module was uninstalled)
        self.env.cr.execute("UPDATE credit_relance_group SET domain = %s WHERE id = %s",
                            ["[('x_removed_field', '=', 1)]", group.id])
        group.invalidate_recordset()
        with self.assertLogs("odoo.addons.credit_relance.models.credit_relance_group", "WARNING") as logs:
            group._recompute_all()
        self.assertIn("x_removed_field", logs.output[0])
        self.assertEqual(self.customer.credit_group_id, group, "nothing moved half-way")
