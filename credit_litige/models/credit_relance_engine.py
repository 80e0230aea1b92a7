from odoo import models


class CreditRelanceEngine(models.AbstractModel):
    """Dun only the undisputed part of partly disputed invoices, when the company chooses so.

    Fully disputed invoices never reach the engine: their dispute status pauses dunning. With
    the company option ``credit_dun_undisputed_part`` a partly disputed invoice keeps its status
    and is dunned for its residual minus the open disputed amount.
    """

    _inherit = "credit.relance.engine"

    def _after_planning(self, actions):
        self._deduct_disputed_amounts(actions)
        return super()._after_planning(actions)

    def _deduct_disputed_amounts(self, actions):
        """Lower the dunned amount of each planned invoice by its open disputed amount (one query)."""
        companies = actions.company_id.filtered("credit_dun_undisputed_part")
        if not companies:
            return
        lines = actions.filtered(lambda action: action.company_id in companies).line_ids.filtered(
            lambda line: not line.skipped)
        disputed = lines.move_id._credit_disputed_amount()
        for line in lines.filtered(lambda line: line.move_id.id in disputed):
            line.amount_residual = max(line.amount_residual - disputed[line.move_id.id], 0.0)

    def _get_render_context(self, action, **kwargs):
        values = super()._get_render_context(action, **kwargs)
        if action.company_id.credit_dun_undisputed_part:
            disputed = values["credit_invoices"]._credit_disputed_amount()
            values["credit_disputed_amounts"] = disputed
            values["credit_total"] -= sum(disputed.values())
        return values
