from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        """A payment matched with invoices stops their dunning once they are paid."""
        partials = super().create(vals_list)
        moves = (partials.debit_move_id | partials.credit_move_id).move_id
        # sudo: whoever records the payment (a portal customer through a payment transaction,
        # an accountant) must stop the dunning of the paid invoices, which they may not read
        moves.sudo()._credit_after_payment()
        return partials
