from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.credit_litige import PRIORITIES, RESOLUTIONS, SOURCES


class CreditLitigeReport(models.Model):
    """Dispute analysis: counts, amounts, age and time to resolve by reason, stage, owner."""

    _name = "credit.litige.report"
    _description = "Dispute analysis"
    _auto = False
    _order = "date_open desc"

    litige_id = fields.Many2one("credit.litige", string="Dispute", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    reason_id = fields.Many2one("credit.litige.reason", readonly=True)
    stage_id = fields.Many2one("credit.litige.stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    team_id = fields.Many2one("credit.litige.team", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    resolution = fields.Selection(RESOLUTIONS, readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    date_open = fields.Date(string="Opened on", readonly=True)
    date_closed = fields.Date(string="Closed on", readonly=True)
    date_deadline = fields.Date(string="Deadline", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="avg")
    age_bucket = fields.Selection(
        [("0_15", "0-15 days"), ("16_30", "16-30 days"), ("31_60", "31-60 days"), ("61_plus", "Over 60 days")],
        string="Age", readonly=True,
    )
    resolution_days = fields.Integer(string="Days to resolve", readonly=True, aggregator="avg")
    amount_disputed = fields.Monetary(string="Disputed amount", readonly=True)
    resolution_amount = fields.Monetary(readonly=True)
    nbr = fields.Integer(string="# Disputes", readonly=True)

    def _query(self):
        age = SQL("(COALESCE(l.date_closed, CURRENT_DATE) - l.date_open)")
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS litige_id,
                   l.partner_id,
                   p.user_id AS salesperson_id,
                   l.company_id,
                   c.currency_id,
                   l.reason_id,
                   l.stage_id,
                   l.user_id,
                   l.team_id,
                   l.source,
                   l.priority,
                   l.resolution,
                   COALESCE(l.is_closed, FALSE) AS is_closed,
                   (l.date_deadline < CURRENT_DATE AND NOT COALESCE(l.is_closed, FALSE)) AS is_overdue,
                   l.date_open,
                   l.date_closed,
                   l.date_deadline,
                   %(age)s AS age_days,
                   CASE WHEN %(age)s <= 15 THEN '0_15'
                        WHEN %(age)s <= 30 THEN '16_30'
                        WHEN %(age)s <= 60 THEN '31_60'
                        ELSE '61_plus' END AS age_bucket,
                   CASE WHEN l.date_closed IS NOT NULL THEN l.date_closed - l.date_open END AS resolution_days,
                   l.amount_disputed,
                   l.resolution_amount,
                   1 AS nbr
              FROM credit_litige l
              JOIN res_company c ON c.id = l.company_id
              JOIN res_partner p ON p.id = l.partner_id
            """,
            age=age,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
