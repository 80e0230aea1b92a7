from odoo import fields, models, tools
from odoo.tools import SQL


class CreditLitigeReceivableReport(models.Model):
    """Open receivables split into their disputed and undisputed parts.

    One row per posted customer invoice with an amount due; the disputed part is the sum of
    its open dispute lines, capped at the residual. Grouping by "In dispute" gives the share
    of receivables in dispute.
    """

    _name = "credit.litige.receivable.report"
    _description = "Receivables in dispute"
    _auto = False
    _order = "amount_residual desc"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    invoice_date_due = fields.Date(string="Due date", readonly=True)
    in_dispute = fields.Boolean(string="In dispute", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", readonly=True)
    amount_disputed = fields.Monetary(string="Disputed", readonly=True)
    amount_undisputed = fields.Monetary(string="Undisputed", readonly=True)

    def _query(self):
        disputed = SQL("LEAST(COALESCE(d.amount, 0), m.amount_residual_signed)")
        return SQL(
            """
            SELECT m.id AS id,
                   m.id AS move_id,
                   m.commercial_partner_id AS partner_id,
                   p.user_id AS salesperson_id,
                   m.company_id,
                   c.currency_id,
                   m.invoice_date_due,
                   d.amount IS NOT NULL AS in_dispute,
                   m.amount_residual_signed AS amount_residual,
                   %(disputed)s AS amount_disputed,
                   m.amount_residual_signed - %(disputed)s AS amount_undisputed
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              JOIN res_partner p ON p.id = m.commercial_partner_id
         LEFT JOIN (SELECT line.move_id, SUM(line.amount) AS amount
                      FROM credit_litige_line line
                     WHERE NOT COALESCE(line.is_closed, FALSE)
                  GROUP BY line.move_id) d ON d.move_id = m.id
             WHERE m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.amount_residual_signed > 0
            """,
            disputed=disputed,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
