from odoo import api, fields, models
from odoo.tools import SQL

from .credit_relance_kpi import ratio_select, row_ratio_columns

SCOPES = [
    ("company", "Company"),
    ("collector", "Collector"),
    ("group", "Dunning group"),
    ("customer", "Customer"),
]
# how many months back the countback DSO looks for sales (the month itself and the 12 before)
COUNTBACK_MONTHS = 13


class CreditRelanceKpiMonthly(models.Model):
    """Monthly KPIs per scope: one row per month and company, collector, dunning group or customer.

    Built live from the rows of ``credit.relance.kpi`` (summed per scope with grouping sets), so
    that the figures that cannot be added up across customers, the countback DSO first, are
    computed for the scope itself. The countback DSO of a row walks back from the month through
    the scope's sales of the 12 months before, as :func:`~odoo.addons.credit_relance.tools.kpi.dso_countback`
    does. Pick one scope (the search view does it) before grouping: the scopes overlap.
    """

    _name = "credit.relance.kpi.monthly"
    _inherit = ["credit.relance.kpi.ratios"]
    _description = "Monthly KPIs per scope"
    _auto = False
    _rec_name = "month"
    _order = "month desc, scope, company_id, id"

    month = fields.Date(readonly=True, help="First day of the month.")
    scope = fields.Selection(
        SCOPES, readonly=True,
        help="What the row adds up: the company, the customers of a collector, of a dunning group, or one customer.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True, help="Collector rows, and the customer's collector.")
    group_id = fields.Many2one("credit.relance.group", string="Dunning group", readonly=True,
                               help="Dunning group rows, and the customer's group.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    period_days = fields.Integer(string="Days in period", readonly=True, aggregator="max")

    receivable_amount = fields.Monetary(
        string="Receivables", readonly=True, help="Open receivables of the scope at the end of the month.")
    opening_amount = fields.Monetary(
        string="Opening receivables", readonly=True, help="Receivables at the end of the previous month.")
    current_amount = fields.Monetary(
        string="Not yet due", readonly=True, help="Receivables whose due date is not before the month end.")
    overdue_amount = fields.Monetary(
        string="Overdue", readonly=True, help="Receivables whose due date is before the month end.")
    dispute_amount = fields.Monetary(
        string="In dispute", readonly=True, help="Receivables of invoices in a status of the Dispute category.")
    sales_amount = fields.Monetary(
        string="Sales", readonly=True, help="Customer invoices minus credit notes posted in the month.")
    paid_count = fields.Integer(string="Invoices paid", readonly=True)
    late_count = fields.Integer(string="Invoices paid late", readonly=True)
    paid_amount = fields.Monetary(string="Amount paid", readonly=True)
    late_amount = fields.Monetary(string="Amount paid late", readonly=True)
    days_late_amount = fields.Float(string="Amount x days late", readonly=True, aggregator="sum")
    days_to_pay_total = fields.Integer(string="Days to pay (total)", readonly=True)

    dso = fields.Float(
        string="DSO", digits=(16, 1), readonly=True, aggregator="avg",
        help="Days sales outstanding (standard) = receivables at month end / sales of the month x days of the "
        "month. Over several months: average month-end receivables / sales of the months x their days. Empty "
        "without sales.",
    )
    dso_countback = fields.Float(
        string="Countback DSO", digits=(16, 1), readonly=True, aggregator="avg",
        help="Days of the latest months whose sales make up the receivables at month end: the month's days if "
        "its sales are below the receivables, then the previous month's, and so on, the last month counted pro "
        "rata (receivables left / its sales x its days). Months without sales (or with more credit notes than "
        "invoices) count their full days. Looks back 13 months at most (then gives their days, a lower bound); "
        "empty without any sale in those months. Computed for each row's scope; over several rows, their average.",
    )

    @property
    def _table_query(self):
        return self._monthly_query(fields.Date.context_today(self))

    @api.model
    def _monthly_query(self, today):
        """The rows of the report: the KPI rows summed per month and scope, then the ratios.

        :param today: last month to report (as ``credit.relance.kpi``)
        """
        return SQL(
            """
            WITH kpi AS (%(kpi)s),
            scoped AS (
                SELECT k.month, k.company_id,
                       CASE WHEN GROUPING(k.partner_id) = 0 THEN 'customer'
                            WHEN GROUPING(k.collector_id) = 0 THEN 'collector'
                            WHEN GROUPING(k.group_id) = 0 THEN 'group'
                            ELSE 'company' END AS scope,
                       k.collector_id, k.group_id, k.partner_id,
                       SUM(k.receivable_amount) AS receivable_amount, SUM(k.opening_amount) AS opening_amount,
                       SUM(k.current_amount) AS current_amount, SUM(k.overdue_amount) AS overdue_amount,
                       SUM(k.dispute_amount) AS dispute_amount, SUM(k.sales_amount) AS sales_amount,
                       SUM(k.paid_count) AS paid_count, SUM(k.late_count) AS late_count,
                       SUM(k.paid_amount) AS paid_amount, SUM(k.late_amount) AS late_amount,
                       SUM(k.days_late_amount) AS days_late_amount, SUM(k.days_to_pay_total) AS days_to_pay_total
                  FROM kpi k
              GROUP BY GROUPING SETS ((k.month, k.company_id),
                                      (k.month, k.company_id, k.collector_id),
                                      (k.month, k.company_id, k.group_id),
                                      -- a customer has one collector and one group: they come along
                                      (k.month, k.company_id, k.partner_id, k.collector_id, k.group_id))
            ), history AS (
                -- the scope's months and sales of the 12 months before each row (months without a row
                -- have no sales)
                SELECT s.*,
                       ((s.month + interval '1 month')::date - s.month) AS period_days,
                       ARRAY_AGG(s.month) OVER w AS history_months,
                       ARRAY_AGG(s.sales_amount) OVER w AS history_sales
                  FROM scoped s
                WINDOW w AS (PARTITION BY s.scope, s.company_id, s.collector_id, s.group_id, s.partner_id
                             ORDER BY s.month RANGE BETWEEN make_interval(months => %(back)s) PRECEDING AND CURRENT ROW)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY h.month, h.scope, h.company_id, h.collector_id, h.group_id,
                                      h.partner_id) AS id,
                   h.month, h.scope, h.company_id, company.currency_id, h.collector_id, h.group_id, h.partner_id,
                   h.period_days, h.receivable_amount, h.opening_amount, h.current_amount, h.overdue_amount,
                   h.dispute_amount, h.sales_amount, h.paid_count, h.late_count, h.paid_amount, h.late_amount,
                   h.days_late_amount, h.days_to_pay_total,
                   countback.dso_countback,
                   %(ratios)s
              FROM history h
              JOIN res_company company ON company.id = h.company_id
         LEFT JOIN LATERAL (
                -- countback: the month at which the sales walked back from this one exceed the
                -- receivables counts pro rata, every more recent month counts its days
                SELECT CASE
                         WHEN NOT COALESCE(BOOL_OR(walk.sales > 0), FALSE) THEN NULL
                         WHEN h.receivable_amount <= 0 THEN 0
                         ELSE COALESCE(
                             MIN(walk.days_before + (h.receivable_amount - walk.sales_before) / walk.sales
                                 * walk.days) FILTER (WHERE walk.sales > 0
                                                       AND walk.sales_before < h.receivable_amount
                                                       AND walk.sales_before + walk.sales >= h.receivable_amount),
                             SUM(walk.days))
                       END AS dso_countback
                  FROM (
                      SELECT month_back.sales, month_back.days,
                             COALESCE(SUM(GREATEST(month_back.sales, 0)) OVER before, 0) AS sales_before,
                             COALESCE(SUM(month_back.days) OVER before, 0) AS days_before
                        FROM (
                            SELECT back.n,
                                   ((back.month + interval '1 month')::date - back.month) AS days,
                                   COALESCE((SELECT SUM(past.sales)
                                               FROM UNNEST(h.history_months, h.history_sales) AS past(month, sales)
                                              WHERE past.month = back.month), 0) AS sales
                              FROM (SELECT n, (h.month - make_interval(months => n))::date AS month
                                      FROM generate_series(0, %(months)s - 1) AS n) back
                        ) month_back
                      WINDOW before AS (ORDER BY month_back.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                  ) walk
            ) countback ON TRUE
            """,
            kpi=self.env["credit.relance.kpi"]._kpi_query(today),
            back=COUNTBACK_MONTHS - 1,
            months=COUNTBACK_MONTHS,
            ratios=row_ratio_columns("h", SQL.identifier("h", "period_days")),
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Ratios of sums at every grouping level, as ``credit.relance.kpi`` (the countback DSO, which
        cannot be rebuilt from sums, averages)."""
        return ratio_select(self, aggregate_spec, query) or super()._read_group_select(aggregate_spec, query)
