from odoo import api, fields, models


class CreditRelanceDemo(models.AbstractModel):
    _inherit = "credit.relance.demo"

    @api.model
    def _generate_dispute(self):
        """One open dispute in the demo company: a customer contests the quality of a delivery
        on half of an overdue invoice; the collector works it."""
        company = self.env.ref("credit_relance.demo_company_credit", raise_if_not_found=False)
        if not company or self.env["credit.litige"].search_count([("company_id", "=", company.id)]):
            return
        invoice = self.env["account.move"].search([
            ("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("payment_state", "=", "not_paid"), ("invoice_date_due", "<", fields.Date.context_today(self)),
        ], order="invoice_date_due desc, id", limit=1)
        if not invoice:
            return
        Litige = self.env["credit.litige"].with_company(company).with_context(mail_notrack=True)
        reason = self.env.ref("credit_litige.credit_litige_reason_quality")
        vals = Litige._prepare_litige_vals(
            invoice.partner_id, invoice, reason, "collector",
            description="Le client signale deux palettes livrées abîmées et conteste la moitié de la facture.",
            amounts={invoice.id: round(invoice.amount_residual / 2, 2)},
        )
        collector = self.env["res.users"].search([("login", "=", "collector1")], limit=1)
        if collector:
            vals["user_id"] = collector.id
        Litige.create(vals)
