from odoo import api, fields, models


class CreditRelanceActionLine(models.Model):
    """An invoice at a scenario step: the snapshot of what was dunned, and the dedup key."""

    _name = "credit.relance.action.line"
    _description = "Dunning action invoice"
    _order = "action_id, date_maturity, id"
    # A daily run writes tens of thousands of lines, each a snapshot the engine takes and never
    # edits: who and when are the action's, and each audit column would cost a foreign-key
    # check per line.
    _log_access = False

    _sql_constraints = [
        ("move_step_uniq", "unique(move_id, step_id)", "An invoice goes through a scenario step only once."),
    ]

    action_id = fields.Many2one("credit.relance.action", required=True, index=True, ondelete="cascade")
    # searched by invoice through the (invoice, step) key, whose index leads with the invoice
    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    # not indexed: searched with its invoice (the key's index), and a step is seldom deleted
    step_id = fields.Many2one("credit.relance.step", ondelete="set null", help="Empty for actions added by hand.")
    # the action's, not stored: a stored copy would cost a column and a foreign-key check per line
    company_id = fields.Many2one(related="action_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_maturity = fields.Date(string="Due date")
    days_late = fields.Integer()
    amount_residual = fields.Monetary(string="Residual at the step", currency_field="currency_id")
    skipped = fields.Boolean(
        string="Set aside",
        help="The invoice was settled or put on hold before the action ran: it is not dunned by it.")

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
