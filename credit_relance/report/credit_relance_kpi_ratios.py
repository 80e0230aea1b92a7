from odoo import fields, models


class CreditRelanceKpiRatios(models.AbstractModel):
    """The ratio measures shared by the KPI reports, with their formulas in their help.

    Each report fills them per row and aggregates them from the sums of their terms
    (``credit_relance_kpi.RATIO_FIELDS``), not by averaging the rows' ratios.
    """

    _name = "credit.relance.kpi.ratios"
    _description = "Credit KPI ratios"

    best_dso = fields.Float(
        string="Best possible DSO", digits=(16, 1), readonly=True, aggregator="avg",
        help="Receivables not yet due at month end / sales x days (averaged over several months as the DSO).",
    )
    add_days = fields.Float(
        string="Average days delinquent", digits=(16, 1), readonly=True, aggregator="avg",
        help="ADD = DSO - best possible DSO = overdue receivables / sales x days.",
    )
    cei = fields.Float(
        string="CEI (%)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Collection effectiveness index = (opening receivables + sales - closing receivables) / (opening "
        "receivables + sales - closing receivables not yet due) x 100. Over several months the months' terms "
        "are added up.",
    )
    late_rate_count = fields.Float(
        string="Paid late (% of invoices)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Invoices paid late / invoices paid x 100.",
    )
    late_rate_amount = fields.Float(
        string="Paid late (% of amount)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Amount of the invoices paid late / amount of the invoices paid x 100.",
    )
    avg_days_late = fields.Float(
        string="Average days late", digits=(16, 1), readonly=True, aggregator="avg",
        help="Amount-weighted: sum(amount x days late) / sum(amount) of the invoices paid.",
    )
    avg_days_to_pay = fields.Float(
        string="Average days to pay", digits=(16, 1), readonly=True, aggregator="avg",
        help="Sum of (paid date - invoice date) / invoices paid.",
    )
    dispute_share = fields.Float(
        string="In dispute (%)", digits=(16, 1), readonly=True, aggregator="avg",
        help="Receivables in dispute / receivables x 100.",
    )
