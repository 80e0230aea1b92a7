from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon


@tagged("post_install", "-at_install")
class TestCreditRelanceOutstandingTour(AccountTestInvoicingHttpCommon):
    def test_pivot_cell_opens_the_invoices_then_the_customer(self):
        self.env.user.groups_id |= self.env.ref("credit_relance.credit_relance_group_collector")
        # configuration by a supervisor; the tour runs as a collector
        status = self.env["credit.relance.status"].sudo().create({"code": "T_TOUR", "name": "Tour status"})
        customer = self.env["res.partner"].create({"name": "Tour Outstanding Customer", "customer_rank": 1})
        other = self.env["res.partner"].create({"name": "Tour Other Customer", "customer_rank": 1})
        for partner, amount in ((customer, 1234.0), (other, 99.0)):
            invoice = self.init_invoice("out_invoice", partner=partner, amounts=[amount], taxes=[], post=True)
            invoice.credit_status_id = status
        self.start_tour("/odoo/action-credit_relance.credit_relance_outstanding_report_action",
                        "credit_relance_outstanding_tour", login=self.env.user.login)
