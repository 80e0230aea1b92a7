import csv
import io
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import CreditLitigeCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditLitigeHandover(CreditLitigeCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["res.partner"].create({
            "name": "Recouvrement Express", "email": "files@agency.example.com", "is_company": True,
        })
        # a paid invoice of customer A, which must not be handed over
        cls.invoice_a_paid = cls._create_credit_invoice(cls.customer_a, 100.0)
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice_a_paid.ids,
        ).create({"payment_date": "2026-02-01"})._create_payments()
        Action = cls.env["credit.relance.action"]
        action_vals = {"partner_id": cls.customer_a.id, "company_id": cls.company.id}
        cls.letter_1 = Action.create({
            **action_vals, "planned_date": "2026-01-25", "channel": "email", "state": "done",
            "done_date": datetime(2026, 1, 25, 9, 0),
        })
        cls.letter_2 = Action.create({
            **action_vals, "planned_date": "2026-02-10", "channel": "formal_notice", "state": "done",
            "done_date": datetime(2026, 2, 10, 9, 0),
        })
        # not sent: planned, cancelled, or to another customer
        Action.create({**action_vals, "planned_date": "2026-03-10", "channel": "letter", "state": "planned"})
        Action.create({**action_vals, "planned_date": "2026-02-12", "channel": "sms", "state": "cancelled"})
        Action.create({
            "partner_id": cls.customer_b.id, "company_id": cls.company.id, "planned_date": "2026-02-01",
            "channel": "email", "state": "done", "done_date": datetime(2026, 2, 1, 9, 0),
        })

    def _new_handover(self, **vals):
        return self.env["credit.litige.handover"].with_user(self.collector).create({
            "partner_id": self.customer_a.id, "agency_id": self.agency.id, **vals,
        })

    def test_handover_file_has_open_invoices_and_history(self):
        rejected = self._open_dispute(self.invoice_a1, amounts={self.invoice_a1: 100.0})
        rejected.action_reject()
        self._open_dispute(self.invoice_b1)

        handover = self._new_handover(interest_rate=12.0)
        self.assertEqual(handover.move_ids, self.invoice_a1 | self.invoice_a2, "exactly the open invoices")
        self.assertAlmostEqual(handover.amount_principal, 1725.0)
        self.assertAlmostEqual(handover.amount_indemnity, 80.0, msg="40 per late invoice")
        # 46 days late at 12%/year on 1,725
        self.assertAlmostEqual(handover.amount_interest, 26.09, places=2)
        self.assertEqual(handover.state, "draft")

        handover.action_hand_over()
        self.assertEqual(handover.state, "sent")
        for move in handover.move_ids:
            self.assertEqual(move.credit_status_id, self.status_litigation)
            self.assertTrue(self._is_dunning_paused(move), "litigation stops automatic dunning")
        self.assertEqual(self.invoice_b1.credit_status_id, self.status_dispute, "other customers untouched")

        self.assertTrue(handover.pdf_attachment_id.raw)
        rows = list(csv.DictReader(io.StringIO(handover._csv_content())))
        by_record = {}
        for row in rows:
            by_record.setdefault(row["record"], []).append(row)
        self.assertEqual(
            [row["reference"] for row in by_record["invoice"]], [self.invoice_a1.name, self.invoice_a2.name],
        )
        self.assertEqual([row["residual"] for row in by_record["invoice"]], ["1150.00", "575.00"])
        self.assertEqual([row["days_late"] for row in by_record["invoice"]], ["46", "46"])
        self.assertEqual([row["date"] for row in by_record["letter"]], ["2026-01-25", "2026-02-10"],
                         "only what was sent to this customer")
        self.assertEqual([row["label"] for row in by_record["letter"]], ["E-mail", "Formal notice letter"])
        self.assertEqual([row["reference"] for row in by_record["dispute"]], [rejected.name])
        self.assertEqual(by_record["dispute"][0]["state"], "Rejected")

        pdf_text = handover.pdf_attachment_id.raw.decode()
        self.assertIn(self.invoice_a1.name, pdf_text)
        self.assertIn(rejected.name, pdf_text)
        self.assertNotIn(self.invoice_a_paid.name, pdf_text)

        with self.assertRaises(UserError):
            handover.action_hand_over()

    def test_send_file_by_email(self):
        handover = self._new_handover()
        handover.action_hand_over()
        with self.mock_mail_gateway():
            handover.with_user(self.collector).action_send_email()
        mail = self._find_mail_mail_wpartners(self.agency, None)
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            sorted([handover.pdf_attachment_id.name, handover.csv_attachment_id.name]),
        )
        self.assertIn(handover.name, mail.subject)

    def test_agency_status_and_recovery(self):
        handover = self._new_handover()
        handover.action_hand_over()
        handover.action_mark_received()
        self.assertEqual(handover.state, "received")
        handover.amount_recovered = 500.0
        self.assertEqual(handover.state, "recovered_partial")
        handover.amount_recovered = 1725.0
        self.assertEqual(handover.state, "recovered_full")
        handover.action_close()
        self.assertEqual(handover.state, "closed")
        self.assertEqual(handover.date_closed, date(2026, 3, 2))

    def test_handover_needs_invoices(self):
        handover = self._new_handover(partner_id=self.agency.id)
        with self.assertRaises(UserError):
            handover.action_hand_over()
