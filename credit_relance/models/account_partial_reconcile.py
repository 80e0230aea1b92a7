from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def _credit_customers(self):
        """Commercial partners of the customer invoices and credit notes these reconciliations touch."""
        moves = (self.debit_move_id | self.credit_move_id).move_id
        return moves.filtered(lambda m: m.is_sale_document(include_receipts=True)).commercial_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._credit_customers()._credit_mark_behaviour_dirty()
        return partials

    def unlink(self):
        customers = self._credit_customers()
        result = super().unlink()
        customers._credit_mark_behaviour_dirty()
        return result
