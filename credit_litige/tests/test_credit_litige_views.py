from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import CreditLitigeCommon

VIEW_TYPES = ("kanban", "list", "form", "pivot", "graph", "calendar", "activity", "search")


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestCreditLitigeViews(CreditLitigeCommon):
    def test_views_load_for_each_role(self):
        for user in (self.salesrep, self.collector, self.supervisor):
            views = self.env["credit.litige"].with_user(user).get_views([(False, vt) for vt in VIEW_TYPES])
            self.assertEqual(set(views["views"]), set(VIEW_TYPES))
            self.env["credit.litige.handover"].with_user(user).get_views(
                [(False, "list"), (False, "form"), (False, "pivot"), (False, "graph")])
            self.env["credit.litige.report"].with_user(user).get_views([(False, "pivot"), (False, "graph")])
        form_arch = self.env["account.move"].with_user(self.salesrep).get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_open_credit_litige", form_arch["arch"])

    def test_open_from_invoice_as_salesrep(self):
        action = self.invoice_a1.with_user(self.salesrep).action_open_credit_litige()
        form = Form(self.env["credit.litige"].with_user(self.salesrep).with_context(**action["context"]))
        form.reason_id = self.reason_price
        with form.line_ids.edit(0) as line:
            line.amount = 100.0
        dispute = form.save()
        self.assertEqual(dispute.partner_id, self.customer_a)
        self.assertEqual(dispute.source, "salesrep")
        self.assertEqual(dispute.line_ids.amount, 100.0)
        self.assertTrue(self._is_dunning_paused(self.invoice_a1))
        self.assertEqual(self.invoice_a1.with_user(self.salesrep).action_view_credit_litiges()["domain"],
                         [("move_ids", "in", self.invoice_a1.ids)])
