from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def _credit_customers(self):
        """Commercial partners of the customer invoices and credit notes these reconciliations touch."""
        moves = (self.debit_move_id | self.credit_move_id).move_id
        return moves.filtered(lambda m: m.is_sale_document(include_receipts=True)).commercial_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        """Payment behaviour is recomputed; invoices now paid are no longer dunned."""
        partials = super().create(vals_list)
        partials._credit_customers()._credit_mark_behaviour_dirty()
        moves = (partials.debit_move_id | partials.credit_move_id).move_id
        # sudo: whoever records the payment (a portal customer through a payment transaction,
        # an accountant) must stop the dunning of the paid invoices, which they may not read
        moves.sudo()._credit_after_payment()
        return partials

    def unlink(self):
        customers = self._credit_customers()
        result = super().unlink()
        customers._credit_mark_behaviour_dirty()
        return result
