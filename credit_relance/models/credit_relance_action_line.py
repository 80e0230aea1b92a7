from odoo import api, fields, models


class CreditRelanceActionLine(models.Model):
    """An invoice at a scenario step: the snapshot of what was dunned, and the dedup key."""

    _name = "credit.relance.action.line"
    _description = "Dunning action invoice"
    _order = "action_id, date_maturity, id"

    _sql_constraints = [
        ("move_step_uniq", "unique(move_id, step_id)", "An invoice goes through a scenario step only once."),
    ]

    action_id = fields.Many2one("credit.relance.action", required=True, index=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    step_id = fields.Many2one("credit.relance.step", index=True, ondelete="set null",
                              help="Empty for actions added by hand.")
    company_id = fields.Many2one(related="action_id.company_id", store=True)
    currency_id = fields.Many2one("res.currency")
    date_maturity = fields.Date(string="Due date")
    days_late = fields.Integer()
    amount_residual = fields.Monetary(string="Residual at the step", currency_field="currency_id")
    skipped = fields.Boolean(help="The step was due but a more advanced one ran instead.")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered("step_id").move_id._credit_refresh_next_step()
        return lines

    def unlink(self):
        moves = self.filtered("step_id").move_id
        result = super().unlink()
        moves.exists()._credit_refresh_next_step()
        return result
