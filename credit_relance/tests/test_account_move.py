from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01")
class TestAccountMoveStatus(CreditRelanceCommon):
    def test_default_status_codes(self):
        statuses = self.env["credit.relance.status"].search([("parent_id", "=", False)])
        self.assertEqual(
            statuses.mapped("name"),
            ["In progress", "Promise to pay", "Promise with payment notice", "Dispute", "Commercial dispute",
             "Litigation", "Other"],
        )
        self.assertTrue(self.env.ref("credit_relance.credit_relance_status_litigation").child_ids)

    def test_status_is_tracked_and_substatus_must_belong_to_it(self):
        invoice = self._create_invoice(self._create_customers(["Tracked"]), 100, "2026-01-01", "2026-01-31")
        litigation = self.env.ref("credit_relance.credit_relance_status_litigation")
        agency = self.env.ref("credit_relance.credit_relance_status_litigation_agency")
        self.env.flush_all()
        self.env.cr.precommit.run()  # the invoice was created in this transaction: close its tracking
        # the test base disables tracking; dunning relies on it, so turn it back on here
        invoice.with_context(tracking_disable=False, mail_notrack=False).write(
            {"credit_status_id": litigation.id, "credit_substatus_id": agency.id}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        invoice.invalidate_recordset(["message_ids"])
        tracked = invoice.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name in ("credit_status_id", "credit_substatus_id")
        )
        self.assertEqual(set(tracked.mapped("new_value_char")), {"Litigation", "Litigation / With a collection agency"})
        with self.assertRaises(ValidationError):
            invoice.credit_status_id = self.env.ref("credit_relance.credit_relance_status_dispute")

    def test_bulk_edit_of_statuses_in_the_list(self):
        customer = self._create_customers(["Bulk"])
        invoices = self._create_invoice(customer, 100, "2026-01-01", "2026-01-31") | self._create_invoice(
            customer, 200, "2026-01-01", "2026-01-31"
        )
        promise = self.env.ref("credit_relance.credit_relance_status_promise")
        invoices.write({"credit_status_id": promise.id})
        self.assertEqual(invoices.credit_status_id, promise)
        arch = self.env["account.move"].get_view(self.env.ref("account.view_out_invoice_tree").id, "list")["arch"]
        self.assertIn('multi_edit="1"', arch)
        self.assertIn('name="credit_status_id"', arch)
