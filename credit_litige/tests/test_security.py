from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CreditLitigeCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditLitigeSecurity(CreditLitigeCommon):
    """Who reads, opens, comments and deletes which disputes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispute_a = cls.env["credit.litige"].create({
            "partner_id": cls.customer_a.id, "reason_id": cls.reason_price.id, "user_id": cls.collector.id,
            "line_ids": [(0, 0, {"move_id": cls.invoice_a1.id, "amount": 100.0})],
        })
        cls.dispute_b = cls.env["credit.litige"].create({
            "partner_id": cls.customer_b.id, "reason_id": cls.reason_price.id, "user_id": cls.collector.id,
            "line_ids": [(0, 0, {"move_id": cls.invoice_b1.id, "amount": 100.0})],
        })
        cls.disputes = cls.dispute_a | cls.dispute_b

    def _visible(self, user, model="credit.litige"):
        return self.env[model].with_user(user).search([("id", "in", self.disputes.ids)]) if model == "credit.litige" \
            else self.env[model].with_user(user).search([("litige_id", "in", self.disputes.ids)]).litige_id

    def test_salesrep_sees_and_comments_own_customers_only(self):
        self.assertEqual(self._visible(self.salesrep), self.dispute_a)
        self.assertEqual(self._visible(self.salesrep, "credit.litige.line"), self.dispute_a)
        self.dispute_a.with_user(self.salesrep).message_post(
            body="The customer called me about it", message_type="comment", subtype_xmlid="mail.mt_comment",
        )
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.salesrep).message_post(body="Not mine", message_type="comment")
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.salesrep).read(["name"])
        with self.assertRaises(AccessError):
            self.dispute_a.with_user(self.salesrep).unlink()

    def test_salesrep_opens_disputes_for_own_customers_only(self):
        Litige = self.env["credit.litige"].with_user(self.salesrep)
        dispute = Litige.create({
            "partner_id": self.customer_a.id, "reason_id": self.reason_price.id,
            "line_ids": [(0, 0, {"move_id": self.invoice_a2.id, "amount": 50.0})],
        })
        self.assertEqual(dispute.source, "salesrep")
        self.assertEqual(self.invoice_a2.credit_status_id, self.status_dispute,
                         "the status is set although the sales rep cannot edit invoices")
        with self.assertRaises(AccessError):
            Litige.create({
                "partner_id": self.customer_b.id, "reason_id": self.reason_price.id,
                "line_ids": [(0, 0, {"move_id": self.invoice_b1.id, "amount": 50.0})],
            })

    def test_collector_works_all_disputes_but_cannot_delete(self):
        self.assertEqual(self._visible(self.collector), self.disputes)
        self.dispute_b.with_user(self.collector).write({"priority": "2"})
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.collector).unlink()
        with self.assertRaises(AccessError):
            self.env["credit.litige.stage"].with_user(self.collector).create({"name": "Mine"})

    def test_supervisor_configures_and_deletes(self):
        self.assertEqual(self._visible(self.supervisor), self.disputes)
        self.env["credit.litige.stage"].with_user(self.supervisor).create({"name": "Escalated"})
        self.dispute_b.with_user(self.supervisor).unlink()

    def test_portal_sees_own_company_disputes_only(self):
        self.assertEqual(self._visible(self.portal_a), self.dispute_a)
        self.assertEqual(self._visible(self.portal_b), self.dispute_b)
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.dispute_a.with_user(self.portal_a).write({"priority": "3"})
        with self.assertRaises(AccessError):
            self.env["credit.litige"].with_user(self.portal_a).create({
                "partner_id": self.customer_a.id, "reason_id": self.reason_price.id,
            })

    def test_internal_user_without_credit_group_sees_nothing(self):
        employee = self.env["res.users"].create({
            "name": "Employee", "login": "lit_employee", "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
        })
        with self.assertRaises(AccessError):
            self.env["credit.litige"].with_user(employee).search([])

    def test_handover_access(self):
        handover = self.env["credit.litige.handover"].with_user(self.collector).create({
            "partner_id": self.customer_b.id, "agency_id": self.partner_a.id,
        })
        self.assertFalse(self.env["credit.litige.handover"].with_user(self.salesrep).search([("id", "=", handover.id)]))
        self.assertTrue(self.env["credit.litige.handover"].with_user(self.other_salesrep).search(
            [("id", "=", handover.id)]))
        with self.assertRaises(AccessError):
            handover.with_user(self.other_salesrep).write({"amount_recovered": 1.0})

    def test_multi_company(self):
        other = self.setup_other_company()["company"]
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer_a, invoice_date=self.INVOICE_DATE, post=True, amounts=[100.0],
            company=other,
        )
        dispute = self.env["credit.litige"].with_company(other).create({
            "partner_id": self.customer_a.id, "reason_id": self.reason_price.id, "company_id": other.id,
            "line_ids": [(0, 0, {"move_id": invoice.id, "amount": 10.0})],
        })
        self.assertFalse(self.env["credit.litige"].with_user(self.collector).search([("id", "=", dispute.id)]),
                         "a collector of the first company does not see the second company's disputes")
        self.collector.company_ids |= other
        self.assertTrue(self.env["credit.litige"].with_user(self.collector).with_context(
            allowed_company_ids=[self.company.id, other.id]).search([("id", "=", dispute.id)]))
