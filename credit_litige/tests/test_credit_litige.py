from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditLitigeCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditLitige(CreditLitigeCommon):
    def test_open_from_back_office_pauses_dunning(self):
        self.assertFalse(self._is_dunning_paused(self.invoice_a1))
        form = Form(self.env["credit.litige"].with_user(self.collector))
        form.partner_id = self.customer_a
        form.reason_id = self.reason_quality
        form.description = "Broken parts"
        with form.line_ids.new() as line:
            line.move_id = self.invoice_a1
        self.assertEqual(form.date_deadline, date(2026, 3, 22), "opening date + the reason's 20 days")
        dispute = form.save()

        self.assertRegex(dispute.name, r"^DSP/2026/\d{5}$")
        self.assertEqual(dispute.source, "collector")
        self.assertEqual(dispute.user_id, self.collector)
        self.assertEqual(dispute.stage_id, self.env.ref("credit_litige.credit_litige_stage_new"))
        self.assertEqual(dispute.line_ids.amount, 1150.0, "the full residual by default")
        self.assertEqual(dispute.amount_disputed, 1150.0)
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_dispute)
        self.assertEqual(self.invoice_a1.credit_substatus_id, self.substatus_quality, "sub-status from the reason")
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))
        self.assertEqual(dispute.line_ids.previous_status_id, self.status_in_progress)
        self.assertFalse(self._is_dunning_paused(self.invoice_a2), "the other invoice is still dunned")
        self.assertEqual(self.invoice_a1.credit_litige_count, 1)
        self.assertEqual(self.invoice_a1._credit_disputed_amount(), {self.invoice_a1.id: 1150.0})

        activity = dispute.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.date_deadline, date(2026, 3, 22))

    def test_full_lifecycle_with_credit_note(self):
        """Open, assign, comment, credit the disputed half: invoice half paid, dunning resumes."""
        dispute = self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 575.0})
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))

        dispute.with_user(self.collector).action_start()
        self.assertEqual(dispute.stage_id, self.env.ref("credit_litige.credit_litige_stage_in_progress"))
        dispute.with_user(self.collector).user_id = self.collector_2
        self.assertIn(self.collector_2.partner_id, dispute.message_partner_ids, "the assignee follows the dispute")
        notification = self.env["mail.message"].sudo().search([
            ("model", "=", "credit.litige"), ("res_id", "=", dispute.id),
            ("partner_ids", "in", self.collector_2.partner_id.ids),
        ])
        self.assertTrue(notification, "the new assignee is notified")
        self.assertEqual(dispute.activity_ids.user_id, self.collector_2, "the to-do follows the assignee")

        message = dispute.with_user(self.collector_2).message_post(
            body="Checked with the warehouse: half of the parts are broken.",
            message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=self.collector.partner_id.ids,
        )
        self.assertEqual(message.author_id, self.collector_2.partner_id)

        dispute.with_user(self.collector_2).action_create_credit_note()
        refund = dispute.credit_note_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.reversed_entry_id, self.invoice_a1)
        self.assertAlmostEqual(refund.amount_total, 575.0)
        self.assertAlmostEqual(self.invoice_a1.amount_residual, 575.0, msg="credit note reconciled with the invoice")
        self.assertEqual(self.invoice_a1.payment_state, "partial")
        self.assertEqual(refund.payment_state, "paid")
        self.assertEqual(dispute.resolution, "credit_note")
        self.assertAlmostEqual(dispute.resolution_amount, 575.0)
        self.assertEqual(dispute.resolution_date, date(2026, 3, 2))
        self.assertEqual(dispute.stage_id, self.env.ref("credit_litige.credit_litige_stage_resolved"))
        self.assertEqual(dispute.date_closed, date(2026, 3, 2))
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_in_progress, "previous status back")
        self.assertFalse(self._is_dunning_paused(self.invoice_a1), "dunning resumes on the rest")
        self.assertEqual(self.invoice_a1._credit_disputed_amount(), {})
        self.assertFalse(dispute.activity_ids, "the to-do is done")

    def test_full_credit_note_pays_the_invoice(self):
        dispute = self._open_dispute(self.invoice_a2)
        dispute.action_create_credit_note()
        self.assertEqual(self.invoice_a2.payment_state, "reversed")
        self.assertTrue(self.invoice_a2.currency_id.is_zero(self.invoice_a2.amount_residual))
        with self.assertRaises(UserError):
            dispute.action_create_credit_note()

    def test_reject_resumes_dunning(self):
        dispute = self._open_dispute(self.invoice_a1)
        dispute.action_reject()
        self.assertEqual(dispute.stage_id, self.env.ref("credit_litige.credit_litige_stage_rejected"))
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_in_progress)
        self.assertFalse(self._is_dunning_paused(self.invoice_a1))
        dispute.action_reopen()
        self.assertTrue(self._is_dunning_paused(self.invoice_a1), "reopening pauses again")
        self.assertFalse(dispute.date_closed)

    def test_deleting_an_open_dispute_resumes_dunning(self):
        dispute = self._open_dispute(self.invoice_a1)
        dispute.unlink()
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_in_progress)
        self.assertFalse(self._is_dunning_paused(self.invoice_a1))

    def test_removing_an_invoice_from_a_dispute_resumes_its_dunning(self):
        dispute = self._open_dispute(self.invoice_a1 | self.invoice_a2)
        dispute.line_ids.filtered(lambda line: line.move_id == self.invoice_a2).unlink()
        self.assertFalse(self._is_dunning_paused(self.invoice_a2))
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))

    def test_write_off_ends_dunning(self):
        dispute = self._open_dispute(self.invoice_a1, resolution="write_off")
        dispute.action_resolve()
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_in_progress)
        self.assertTrue(self.invoice_a1.credit_dunning_blocked, "a written-off invoice is never dunned again")

    def test_closing_needs_a_resolution(self):
        dispute = self._open_dispute(self.invoice_a1)
        with self.assertRaises(UserError):
            dispute.action_resolve()
        with self.assertRaises(ValidationError):
            dispute.stage_id = self.env.ref("credit_litige.credit_litige_stage_closed")
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))

    def test_disputed_amount_cannot_exceed_residual(self):
        with self.assertRaisesRegex(ValidationError, "exceeds the amount due"):
            self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 1200.0})
        with self.assertRaisesRegex(ValidationError, "not an invoice of"):
            self.env["credit.litige"].create({
                "partner_id": self.customer_a.id, "reason_id": self.reason_price.id,
                "line_ids": [(0, 0, {"move_id": self.invoice_b1.id, "amount": 10.0})],
            })

    def test_dispute_on_contact_goes_to_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer_a.id})
        dispute = self.env["credit.litige"].create({
            "partner_id": contact.id, "reason_id": self.reason_price.id,
            "line_ids": [(0, 0, {"move_id": self.invoice_a1.id, "amount": 10.0})],
        })
        self.assertEqual(dispute.partner_id, self.customer_a)

    def test_partial_dispute_keeps_dunning_undisputed_part(self):
        self.company.credit_dun_undisputed_part = True
        partial = self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 300.0})
        full = self._open_dispute(self.invoice_a2)
        self.assertFalse(self._is_dunning_paused(self.invoice_a1), "the undisputed 850 is still dunned")
        self.assertFalse(partial.line_ids.status_applied)
        self.assertTrue(self._is_dunning_paused(self.invoice_a2), "a fully disputed invoice is paused")
        amounts = (self.invoice_a1 | self.invoice_a2 | self.invoice_b1)._credit_disputed_amount()
        self.assertEqual(amounts, {self.invoice_a1.id: 300.0, self.invoice_a2.id: 575.0})
        self.assertEqual(self.invoice_a1.credit_disputed_amount, 300.0)
        full.write({"resolution": "payment"})
        full.action_resolve()
        self.assertEqual(self.invoice_a2._credit_disputed_amount(), {})

    def test_partial_dispute_pauses_without_company_option(self):
        self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 300.0})
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))

    def test_two_disputes_on_one_invoice(self):
        first = self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 100.0})
        second = self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 200.0})
        self.assertEqual(second.line_ids.previous_status_id, self.status_in_progress)
        first.action_reject()
        self.assertTrue(self._is_dunning_paused(self.invoice_a1), "still in dispute through the second one")
        second.action_reject()
        self.assertEqual(self.invoice_a1.credit_status_id, self.status_in_progress)

    def test_create_from_call(self):
        dispute = self.env["credit.litige"].with_user(self.collector)._create_from_call(
            self.customer_a, self.invoice_a1 | self.invoice_a2, self.reason_price, "Customer says prices are wrong",
        )
        self.assertEqual(dispute.source, "call")
        self.assertEqual(dispute.user_id, self.collector)
        self.assertEqual(dispute.description, "Customer says prices are wrong")
        self.assertEqual(dispute.amount_disputed, 1725.0)
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))
        self.assertTrue(self._is_dunning_paused(self.invoice_a2))
        with self.assertRaises(UserError):
            self.env["credit.litige"]._create_from_call(
                self.customer_a, self.env["account.move"], self.reason_price, "nothing",
            )

    def test_overdue_deadline(self):
        dispute = self._open_dispute(self.invoice_a1)
        self.assertFalse(dispute.is_overdue)
        dispute.date_deadline = date(2026, 3, 1)
        self.assertTrue(dispute.is_overdue)
        self.assertEqual(self.env["credit.litige"].search([("is_overdue", "=", True)]), dispute)
        self.assertNotIn(dispute, self.env["credit.litige"].search([("is_overdue", "=", False)]))
        self.assertEqual(dispute.activity_ids.date_deadline, date(2026, 3, 1), "the to-do follows the deadline")
        dispute.write({"resolution": "payment"})
        dispute.action_resolve()
        self.assertFalse(dispute.is_overdue)

    def test_kanban_groups_all_stages(self):
        groups = self.env["credit.litige"].read_group([], ["stage_id"], ["stage_id"])
        stages = self.env["credit.litige.stage"].search([])
        self.assertEqual(len(groups), len(stages), "empty stages are shown as columns")
        folded = self.env["credit.litige.stage"].search([("fold", "=", True)])
        self.assertIn(self.env.ref("credit_litige.credit_litige_stage_closed"), folded)

    def test_ensure_statuses_is_idempotent(self):
        Status = self.env["credit.relance.status"]
        count = Status.search_count([("category", "in", ("dispute", "litigation"))])
        self.env["credit.litige"]._ensure_credit_statuses()
        self.assertEqual(Status.search_count([("category", "in", ("dispute", "litigation"))]), count)
        self.assertTrue(self.status_dispute.pause_dunning)
        self.assertTrue(self.status_litigation.pause_dunning)
