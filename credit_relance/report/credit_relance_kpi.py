from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import behaviour as bh
from ..tools import kpi

# Measures that are ratios: read_group aggregates them from the sums of their terms (see
# _read_group_select) instead of summing or averaging the per-row ratios.
RATIO_FIELDS = {
    "dso": ("receivable_amount", "sales_amount", True, 1),
    "best_dso": ("current_amount", "sales_amount", True, 1),
    "add_days": ("overdue_amount", "sales_amount", True, 1),
    "late_rate_count": ("late_count", "paid_count", False, 100),
    "late_rate_amount": ("late_amount", "paid_amount", False, 100),
    "avg_days_late": ("days_late_amount", "paid_amount", False, 1),
    "avg_days_to_pay": ("days_to_pay_total", "paid_count", False, 1),
    "dispute_share": ("dispute_amount", "receivable_amount", False, 100),
}


# Row ids are built from journal item ids; imported history rows start above any of them.
HISTORY_ID_OFFSET = 10**12

SUM_FIELDS = [
    "receivable_amount",
    "opening_amount",
    "current_amount",
    "overdue_amount",
    "aging_1_30",
    "aging_31_60",
    "aging_61_90",
    "aging_91_180",
    "aging_181_plus",
    "dispute_amount",
    "sales_amount",
    "paid_count",
    "late_count",
    "paid_amount",
    "late_amount",
    "days_late_amount",
    "days_to_pay_total",
]


def row_ratio_columns(alias, days):
    """The ratio columns of one row of a KPI report, ``CASE ... END AS <ratio>``: each ratio of
    :data:`RATIO_FIELDS` and the CEI from the row's own terms (table ``alias``), ``days`` being the
    SQL of the row's days. Empty when the denominator is not positive."""
    def col(name):
        return SQL.identifier(alias, name)

    columns = []
    for name, (numerator, denominator, per_days, factor) in RATIO_FIELDS.items():
        value = SQL("%s / %s * %s", col(numerator), col(denominator), days) if per_days else \
            SQL("%s * %s / %s", col(numerator), float(factor), col(denominator))
        columns.append(SQL("CASE WHEN %s > 0 THEN %s END AS %s", col(denominator), value, SQL.identifier(name)))
    collectable = SQL("%s + %s - %s", col("opening_amount"), col("sales_amount"), col("current_amount"))
    columns.append(SQL(
        "CASE WHEN %s > 0 THEN (%s + %s - %s) / (%s) * 100 END AS cei",
        collectable, col("opening_amount"), col("sales_amount"), col("receivable_amount"), collectable,
    ))
    return SQL(", ").join(columns)


def ratio_select(model, aggregate_spec, query):
    """SQL aggregating a ratio measure of a KPI report as a ratio of sums, or None for other measures.

    DSO-like ratios divide the sum of the month-end receivables by the number of months of the
    span grouped (average receivables) and multiply by the days of that span. The report needs
    the fields named in :data:`RATIO_FIELDS`, ``month`` and the terms of the CEI.
    """
    fname, __, func = models.parse_read_group_spec(aggregate_spec)
    if fname == "cei" and func in ("sum", "avg", "max", "min"):
        col = {name: model._field_to_sql(model._table, name, query)
               for name in ("opening_amount", "sales_amount", "receivable_amount", "current_amount")}
        collectable = SQL("SUM(%s) + SUM(%s) - SUM(%s)", col["opening_amount"], col["sales_amount"],
                          col["current_amount"])
        return SQL(
            "CASE WHEN %(collectable)s > 0 THEN (SUM(%(opening)s) + SUM(%(sales)s) - SUM(%(closing)s)) "
            "/ (%(collectable)s) * 100 END",
            collectable=collectable, opening=col["opening_amount"], sales=col["sales_amount"],
            closing=col["receivable_amount"],
        )
    if fname in RATIO_FIELDS and func in ("sum", "avg", "max", "min"):
        numerator, denominator, per_days, factor = RATIO_FIELDS[fname]
        num = model._field_to_sql(model._table, numerator, query)
        den = model._field_to_sql(model._table, denominator, query)
        if per_days:
            # sum of month-end figures / number of months x days of the months = average over the span
            month = model._field_to_sql(model._table, "month", query)
            scale = SQL(
                "((MAX(%(m)s) + interval '1 month')::date - MIN(%(m)s))::numeric"
                " / (EXTRACT(YEAR FROM AGE(MAX(%(m)s), MIN(%(m)s))) * 12"
                " + EXTRACT(MONTH FROM AGE(MAX(%(m)s), MIN(%(m)s))) + 1)",
                m=month,
            )
        else:
            scale = SQL("%s", factor)
        return SQL(
            "CASE WHEN SUM(%(den)s) > 0 THEN SUM(%(num)s) * 1.0 / SUM(%(den)s) * %(scale)s END",
            num=num, den=den, scale=scale,
        )
    return None


class CreditRelanceKpi(models.Model):
    """Receivable KPIs by month, company, customer, collector, group and follow-up status.

    One row per month, company, customer and invoice status, built live from the posted
    receivable journal items, their reconciliations (for the open amount at each month end)
    and the imported payment history. All amounts are in company currency. Ratios (DSO, CEI,
    rates) are recomputed from the sums of their terms at every grouping level of the pivot.
    """

    _name = "credit.relance.kpi"
    _inherit = ["credit.relance.kpi.ratios"]
    _description = "Receivable KPIs"
    _auto = False
    _rec_name = "month"
    _order = "month desc, company_id, partner_id"

    month = fields.Date(readonly=True, help="First day of the month.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    group_id = fields.Many2one("credit.relance.group", string="Dunning group", readonly=True)
    status_id = fields.Many2one("credit.relance.status", string="Follow-up status", readonly=True)
    period_days = fields.Integer(string="Days in period", readonly=True, aggregator="max")

    receivable_amount = fields.Monetary(
        string="Receivables", readonly=True,
        help="Open amount of the posted receivable items (invoices, credit notes, unapplied payments) at the "
        "end of the month: balance minus what was reconciled up to that day.",
    )
    opening_amount = fields.Monetary(
        string="Opening receivables", readonly=True, help="Receivables at the end of the previous month."
    )
    current_amount = fields.Monetary(
        string="Not yet due", readonly=True, help="Receivables whose due date is not before the month end."
    )
    overdue_amount = fields.Monetary(
        string="Overdue", readonly=True, help="Receivables whose due date is before the month end."
    )
    aging_1_30 = fields.Monetary(string="1-30 days", readonly=True, help="Overdue by 1 to 30 days at month end.")
    aging_31_60 = fields.Monetary(string="31-60 days", readonly=True, help="Overdue by 31 to 60 days.")
    aging_61_90 = fields.Monetary(string="61-90 days", readonly=True, help="Overdue by 61 to 90 days.")
    aging_91_180 = fields.Monetary(string="91-180 days", readonly=True, help="Overdue by 91 to 180 days.")
    aging_181_plus = fields.Monetary(string="> 180 days", readonly=True, help="Overdue by more than 180 days.")
    dispute_amount = fields.Monetary(
        string="In dispute", readonly=True,
        help="Receivables of invoices whose follow-up status is in the Dispute category.",
    )
    sales_amount = fields.Monetary(
        string="Sales", readonly=True,
        help="Customer invoices minus credit notes posted in the month, taxes included (as the receivables).",
    )
    paid_count = fields.Integer(
        string="Invoices paid", readonly=True,
        help="Customer invoices fully paid in the month (paid date = last reconciliation), and imported "
        "history settled in the month.",
    )
    late_count = fields.Integer(string="Invoices paid late", readonly=True, help="Paid after their due date.")
    paid_amount = fields.Monetary(string="Amount paid", readonly=True, help="Total of the invoices paid.")
    late_amount = fields.Monetary(string="Amount paid late", readonly=True, help="Total of the invoices paid late.")
    days_late_amount = fields.Float(string="Amount x days late", readonly=True, aggregator="sum")
    days_to_pay_total = fields.Integer(string="Days to pay (total)", readonly=True)

    dso = fields.Float(
        string="DSO", digits=(16, 1), readonly=True, aggregator="avg",
        help="Days sales outstanding = receivables at month end / sales of the month x days of the month. "
        "Over several months: average month-end receivables / sales of the months x their days. Empty "
        "without sales.",
    )

    @property
    def _table_query(self):
        return self._kpi_query(fields.Date.context_today(self))

    @api.model
    def _kpi_query(self, today):
        """The rows of the report: per month, company, customer and status.

        :param today: last month to report (the current month for open items)
        """
        return SQL(
            """
            WITH reconciled AS (
                -- every reconciliation, once per side: what it removed from each journal item and when
                SELECT debit_move_id AS line_id, max_date, -amount AS delta FROM account_partial_reconcile
                 UNION ALL
                SELECT credit_move_id AS line_id, max_date, amount AS delta FROM account_partial_reconcile
            ), last_reconciled AS (
                SELECT line_id, MAX(max_date) AS last_date FROM reconciled GROUP BY line_id
            ), lines AS (
                SELECT aml.id, aml.company_id, partner.commercial_partner_id AS partner_id, aml.date,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity, aml.balance, move.move_type,
                       move.credit_status_id AS status_id,
                       date_trunc('month', aml.date)::date AS first_month,
                       date_trunc('month', CASE WHEN aml.reconciled THEN last_reconciled.last_date
                           ELSE GREATEST(%(today)s::date, aml.date) END)::date AS last_month
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner partner ON partner.id = aml.partner_id
             LEFT JOIN last_reconciled ON last_reconciled.line_id = aml.id
                 WHERE aml.parent_state = 'posted' AND account.account_type = 'asset_receivable'
            ), line_months AS (
                SELECT lines.*, month::date AS month,
                       (month + interval '1 month' - interval '1 day')::date AS month_end
                  FROM lines,
                       LATERAL generate_series(lines.first_month, GREATEST(lines.first_month, lines.last_month),
                                               interval '1 month') AS month
            ), residuals AS (
                -- open amount of each item at the end of each month (closing) and of the month before
                SELECT lm.id, lm.company_id, lm.partner_id, lm.date, lm.date_maturity, lm.balance, lm.move_type,
                       lm.status_id, lm.first_month, lm.month, lm.month_end,
                       lm.balance + COALESCE(SUM(rec.delta), 0) AS closing,
                       CASE WHEN lm.date < lm.month
                            THEN lm.balance + COALESCE(SUM(rec.delta) FILTER (WHERE rec.max_date < lm.month), 0)
                            ELSE 0 END AS opening
                  FROM line_months lm
             LEFT JOIN reconciled rec ON rec.line_id = lm.id AND rec.max_date <= lm.month_end
              GROUP BY lm.id, lm.company_id, lm.partner_id, lm.date, lm.date_maturity, lm.balance, lm.move_type,
                       lm.status_id, lm.first_month, lm.month, lm.month_end
            ), open_items AS (
                SELECT r.month, r.company_id, r.partner_id, r.status_id, MIN(r.id) AS min_id,
                       SUM(r.closing) AS receivable_amount,
                       SUM(r.opening) AS opening_amount,
                       SUM(r.closing) FILTER (WHERE r.date_maturity >= r.month_end) AS current_amount,
                       SUM(r.closing) FILTER (WHERE r.date_maturity < r.month_end) AS overdue_amount,
                       SUM(r.closing) FILTER (WHERE r.month_end - r.date_maturity BETWEEN 1 AND 30) AS aging_1_30,
                       SUM(r.closing) FILTER (WHERE r.month_end - r.date_maturity BETWEEN 31 AND 60) AS aging_31_60,
                       SUM(r.closing) FILTER (WHERE r.month_end - r.date_maturity BETWEEN 61 AND 90) AS aging_61_90,
                       SUM(r.closing) FILTER (WHERE r.month_end - r.date_maturity BETWEEN 91 AND 180) AS aging_91_180,
                       SUM(r.closing) FILTER (WHERE r.month_end - r.date_maturity > 180) AS aging_181_plus,
                       SUM(r.closing) FILTER (WHERE status.category = 'dispute') AS dispute_amount,
                       SUM(r.balance) FILTER (WHERE r.month = r.first_month
                           AND r.move_type IN ('out_invoice', 'out_refund', 'out_receipt')) AS sales_amount,
                       0 AS paid_count, 0 AS late_count, 0 AS paid_amount, 0 AS late_amount,
                       0 AS days_late_amount, 0 AS days_to_pay_total
                  FROM residuals r
             LEFT JOIN credit_relance_status status ON status.id = r.status_id
              GROUP BY r.month, r.company_id, r.partner_id, r.status_id
            ), paid_invoices AS (
                SELECT move.company_id, move.commercial_partner_id AS partner_id, move.credit_status_id AS status_id,
                       MIN(line.id) AS min_id, move.invoice_date, move.invoice_date_due AS due_date,
                       MAX(apr.max_date) AS paid_date, move.amount_total_signed AS amount
                  FROM account_move move
                  JOIN account_move_line line ON line.move_id = move.id AND line.display_type = 'payment_term'
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = line.id
                 WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
              GROUP BY move.id
                 UNION ALL
                SELECT history.company_id, partner.commercial_partner_id, NULL, %(history_offset)s + history.id,
                       history.invoice_date, history.due_date, history.settled_date, history.amount_company
                  FROM credit_relance_history history
                  JOIN res_partner partner ON partner.id = history.partner_id
            ), paid AS (
                SELECT date_trunc('month', p.paid_date)::date AS month, p.company_id, p.partner_id, p.status_id,
                       MIN(p.min_id) AS min_id,
                       0 AS receivable_amount, 0 AS opening_amount, 0 AS current_amount, 0 AS overdue_amount,
                       0 AS aging_1_30, 0 AS aging_31_60, 0 AS aging_61_90, 0 AS aging_91_180, 0 AS aging_181_plus,
                       0 AS dispute_amount, 0 AS sales_amount,
                       COUNT(*) AS paid_count,
                       COUNT(*) FILTER (WHERE p.paid_date > p.due_date) AS late_count,
                       SUM(p.amount) AS paid_amount,
                       SUM(p.amount) FILTER (WHERE p.paid_date > p.due_date) AS late_amount,
                       SUM(p.amount * GREATEST(p.paid_date - p.due_date, 0)) AS days_late_amount,
                       SUM(GREATEST(p.paid_date - p.invoice_date, 0)) AS days_to_pay_total
                  FROM paid_invoices p
                 WHERE p.paid_date IS NOT NULL AND p.due_date IS NOT NULL AND p.invoice_date IS NOT NULL
              GROUP BY 1, 2, 3, 4
            ), merged AS (
                SELECT u.month, u.company_id, u.partner_id, u.status_id, MIN(u.min_id) AS min_id,
                       COALESCE(SUM(u.receivable_amount), 0) AS receivable_amount,
                       COALESCE(SUM(u.opening_amount), 0) AS opening_amount,
                       COALESCE(SUM(u.current_amount), 0) AS current_amount,
                       COALESCE(SUM(u.overdue_amount), 0) AS overdue_amount,
                       COALESCE(SUM(u.aging_1_30), 0) AS aging_1_30,
                       COALESCE(SUM(u.aging_31_60), 0) AS aging_31_60,
                       COALESCE(SUM(u.aging_61_90), 0) AS aging_61_90,
                       COALESCE(SUM(u.aging_91_180), 0) AS aging_91_180,
                       COALESCE(SUM(u.aging_181_plus), 0) AS aging_181_plus,
                       COALESCE(SUM(u.dispute_amount), 0) AS dispute_amount,
                       COALESCE(SUM(u.sales_amount), 0) AS sales_amount,
                       SUM(u.paid_count) AS paid_count,
                       SUM(u.late_count) AS late_count,
                       COALESCE(SUM(u.paid_amount), 0) AS paid_amount,
                       COALESCE(SUM(u.late_amount), 0) AS late_amount,
                       COALESCE(SUM(u.days_late_amount), 0) AS days_late_amount,
                       SUM(u.days_to_pay_total) AS days_to_pay_total
                  FROM (SELECT * FROM open_items UNION ALL SELECT * FROM paid) u
              GROUP BY u.month, u.company_id, u.partner_id, u.status_id
            )
            -- a stable id without a window function (which would stop filters from reaching the
            -- journal items): the smallest item of the row, then the month
            SELECT m.min_id * 1000 + MOD(EXTRACT(YEAR FROM m.month)::int * 12 + EXTRACT(MONTH FROM m.month)::int, 1000)
                     AS id,
                   m.*,
                   company.currency_id,
                   partner.user_id,
                   partner.credit_collector_id AS collector_id,
                   partner.credit_group_id AS group_id,
                   ((m.month + interval '1 month')::date - m.month) AS period_days,
                   %(ratios)s
              FROM merged m
              JOIN res_company company ON company.id = m.company_id
              JOIN res_partner partner ON partner.id = m.partner_id
            """,
            today=today,
            history_offset=HISTORY_ID_OFFSET,
            ratios=row_ratio_columns("m", SQL("((m.month + interval '1 month')::date - m.month)")),
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Aggregate ratio measures as ratios of sums, so that every pivot cell is exact (see
        :func:`ratio_select`)."""
        return ratio_select(self, aggregate_spec, query) or super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Figures for a period (quarterly review, tests): sums from one read_group, ratios from tools.kpi
    # ------------------------------------------------------------------

    @api.model
    def _get_kpi_domain(self, company, collector=None):
        """Rows of one company, optionally of the customers of one collector."""
        domain = [("company_id", "=", company.id)]
        if collector:
            domain.append(("collector_id", "=", collector.id))
        return domain

    @api.model
    def _get_monthly_sums(self, domain, first_month, last_month):
        """``{month: {measure: sum}}`` for the months between the two dates, in one query."""
        self.env.flush_all()  # the report reads journal items and reconciliations in SQL
        groups = self._read_group(
            domain + [("month", ">=", first_month), ("month", "<=", last_month)],
            ["month:month"],
            [f"{fname}:sum" for fname in SUM_FIELDS],
        )
        return {month: dict(zip(SUM_FIELDS, values, strict=True)) for month, *values in groups}

    @api.model
    def _get_period_kpis(self, domain, months):
        """KPIs of each month of ``months`` and of the whole period.

        :param months: first days of consecutive months, oldest first
        :return: ``{"months": [figures per month], "period": figures}``; figures are the sums
            (receivables, sales...) and the ratios of ``tools.kpi`` (dso, dso_countback, best_dso,
            add_days, cei, late rates, avg_days_late, dispute_share, aging), None when undefined
        """
        history_start = bh.add_months(months[0], -12)
        sums = self._get_monthly_sums(domain, history_start, months[-1])
        empty = dict.fromkeys(SUM_FIELDS, 0.0)

        def month_days(month):
            return (bh.add_months(month, 1) - month).days

        def figures(period_months):
            last = sums.get(period_months[-1], empty)
            first = sums.get(period_months[0], empty)
            total = {fname: sum(sums.get(m, empty)[fname] for m in period_months) for fname in SUM_FIELDS}
            days = sum(month_days(m) for m in period_months)
            # average of the month-end receivables over the period, as the pivot does
            count = len(period_months)
            dso = kpi.dso_standard(total["receivable_amount"] / count, total["sales_amount"], days)
            best = kpi.best_possible_dso(total["current_amount"] / count, total["sales_amount"], days)
            countback_months = [period_months[-1]]
            while len(countback_months) < 13:
                countback_months.append(bh.add_months(countback_months[-1], -1))
            result = last | {
                "month": period_months[-1] if len(period_months) == 1 else False,
                "opening_amount": first["opening_amount"],
                "sales_amount": total["sales_amount"],
                "paid_count": total["paid_count"],
                "late_count": total["late_count"],
                "paid_amount": total["paid_amount"],
                "late_amount": total["late_amount"],
                "days": days,
                "dso": dso,
                "best_dso": best,
                "add_days": kpi.average_days_delinquent(dso, best),
                "dso_countback": kpi.dso_countback(
                    last["receivable_amount"],
                    [(sums.get(m, empty)["sales_amount"], month_days(m)) for m in countback_months],
                ),
                "cei": kpi.cei(first["opening_amount"], total["sales_amount"], last["receivable_amount"],
                               last["current_amount"]),
                "avg_days_late": (total["days_late_amount"] / total["paid_amount"]) if total["paid_amount"] > 0
                else None,
                "dispute_share": (last["dispute_amount"] * 100 / last["receivable_amount"])
                if last["receivable_amount"] > 0 else None,
            }
            result["late_rate_count"], result["late_rate_amount"] = kpi.late_payment_rates_from_totals(
                total["paid_count"], total["late_count"], total["paid_amount"], total["late_amount"]
            )
            return result

        return {"months": [figures([month]) for month in months], "period": figures(months)}

    @api.model
    def _get_top_overdue(self, domain, month, limit=20):
        """The customers with the largest overdue amount at the end of ``month``.

        :return: list of ``(partner, overdue, receivables)``, largest overdue first
        """
        groups = self._read_group(
            domain + [("month", "=", month)], ["partner_id"], ["overdue_amount:sum", "receivable_amount:sum"],
            having=[("overdue_amount:sum", ">", 0)], order="overdue_amount:sum desc", limit=limit,
        )
        return groups

    @api.model
    def _get_overdue_by_status(self, domain, month):
        """``[(status, overdue)]`` at the end of ``month``, largest first (status may be empty)."""
        return self._read_group(
            domain + [("month", "=", month)], ["status_id"], ["overdue_amount:sum"],
            having=[("overdue_amount:sum", "!=", 0)], order="overdue_amount:sum desc",
        )
