from odoo import api, fields, models
from odoo.tools import SQL

from ..models.credit_relance_step import CHANNELS
from ..tools.effectiveness import effectiveness_figures

PAID_STATES = ("paid", "in_payment")


class CreditRelanceEffectivenessReport(models.Model):
    """What happened to each invoice dunned by a done action: paid within 7 / 30 days, amount collected.

    One row per (done action, invoice dunned), skipped lines excluded. The paid date of an invoice
    is the latest date of the reconciliations of its receivable lines (``account.partial.reconcile``
    ``max_date``) when the invoice is fully paid; it is computed in SQL for all rows at once.
    """

    _name = "credit.relance.effectiveness.report"
    _description = "Dunning scenario effectiveness"
    _auto = False
    _order = "action_date desc, id desc"
    _rec_name = "action_id"

    action_id = fields.Many2one("credit.relance.action", readonly=True)
    action_ref = fields.Integer(
        string="Actions done", readonly=True, aggregator="count_distinct",
        help="Number of distinct done actions among the rows.",
    )
    action_date = fields.Date(string="Action date", readonly=True, help="Day the action was done (UTC).")
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company currency", readonly=True)
    scenario_id = fields.Many2one("credit.relance.scenario", readonly=True)
    step_id = fields.Many2one("credit.relance.step", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    group_id = fields.Many2one(
        "credit.relance.group", string="Customer group", readonly=True,
        help="The customer's group when the action was created.",
    )
    ab_variant = fields.Selection(
        [("a", "A"), ("b", "B")], string="A/B variant", readonly=True,
        help="The customer's variant when the action was created: B follows the group's alternative scenario.",
    )
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    invoice_count = fields.Integer(
        string="Invoices dunned", readonly=True, aggregator="sum",
        help="1 per invoice dunned by a done action (an invoice dunned at two steps counts twice).",
    )
    paid_date = fields.Date(
        readonly=True, aggregator="max",
        help="Latest reconciliation date of the invoice's receivable lines, when it is fully paid.",
    )
    paid_7_count = fields.Integer(
        string="Paid within 7 days", readonly=True, aggregator="sum",
        help="Invoices fully paid with a paid date at most 7 days after the action date.",
    )
    paid_30_count = fields.Integer(
        string="Paid within 30 days", readonly=True, aggregator="sum",
        help="Invoices fully paid with a paid date at most 30 days after the action date.",
    )
    paid_7_rate = fields.Float(
        string="Paid within 7 days (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Paid within 7 days / invoices dunned x 100 (average of 100 per paid invoice, 0 otherwise).",
    )
    paid_30_rate = fields.Float(
        string="Paid within 30 days (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Paid within 30 days / invoices dunned x 100 (average of 100 per paid invoice, 0 otherwise).",
    )
    amount_dunned = fields.Monetary(
        string="Amount dunned", readonly=True, currency_field="currency_id", aggregator="sum",
        help="Residual of the invoice at the action, company currency.",
    )
    amount_collected_30 = fields.Monetary(
        string="Collected within 30 days", readonly=True, currency_field="currency_id", aggregator="sum",
        help="Sum of the reconciliations (payments, credit notes; partial ones included) of the invoice "
        "dated from the action date to 30 days after it, company currency.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH dunned AS (
                SELECT l.id, l.action_id, l.move_id, a.company_id, a.partner_id, a.scenario_id,
                       COALESCE(l.step_id, a.step_id) AS step_id, a.channel, a.credit_group_id AS group_id,
                       a.ab_variant, a.user_id, a.done_date::date AS action_date,
                       l.amount_residual AS amount_dunned
                  FROM credit_relance_action_line l
                  JOIN credit_relance_action a ON a.id = l.action_id
                 WHERE a.state = 'done' AND a.done_date IS NOT NULL AND l.skipped IS NOT TRUE
            ), reconciled AS (
                SELECT aml.move_id, apr.max_date, apr.amount
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.move_id IN (SELECT move_id FROM dunned)
            ), paid AS (
                SELECT r.move_id, MAX(r.max_date) AS paid_date
                  FROM reconciled r
                  JOIN account_move m ON m.id = r.move_id
                 WHERE m.payment_state IN %(paid_states)s
                 GROUP BY r.move_id
            ), collected AS (
                SELECT d.id, SUM(r.amount) AS amount
                  FROM dunned d
                  JOIN reconciled r ON r.move_id = d.move_id
                 WHERE r.max_date BETWEEN d.action_date AND d.action_date + 30
                 GROUP BY d.id
            )
            SELECT d.id,
                   d.action_id,
                   d.action_id AS action_ref,
                   d.action_date,
                   d.move_id,
                   d.partner_id,
                   d.company_id,
                   c.currency_id,
                   d.scenario_id,
                   d.step_id,
                   d.channel,
                   d.group_id,
                   d.ab_variant,
                   d.user_id,
                   1 AS invoice_count,
                   p.paid_date,
                   CASE WHEN p.paid_date <= d.action_date + 7 THEN 1 ELSE 0 END AS paid_7_count,
                   CASE WHEN p.paid_date <= d.action_date + 30 THEN 1 ELSE 0 END AS paid_30_count,
                   CASE WHEN p.paid_date <= d.action_date + 7 THEN 100.0 ELSE 0.0 END AS paid_7_rate,
                   CASE WHEN p.paid_date <= d.action_date + 30 THEN 100.0 ELSE 0.0 END AS paid_30_rate,
                   d.amount_dunned,
                   COALESCE(collected.amount, 0.0) AS amount_collected_30
              FROM dunned d
              JOIN res_company c ON c.id = d.company_id
              LEFT JOIN paid p ON p.move_id = d.move_id
              LEFT JOIN collected ON collected.id = d.id
            """,
            paid_states=PAID_STATES,
        )

    @api.model
    def _get_effectiveness(self, domain, groupby):
        """Figures per group of rows, with the ratios of :func:`effectiveness_figures`.

        :param domain: filter on the report (period: ``action_date``; company, scenario...)
        :param groupby: fields to group by, e.g. ``["scenario_id", "step_id", "channel"]`` or
            ``["ab_variant"]``
        :return: dict {tuple of group values (records or selection keys): figures dict}
        """
        result = {}
        for *keys, actions, invoices, paid_7, paid_30, dunned, collected in self._read_group(
            domain, groupby,
            ["action_ref:count_distinct", "invoice_count:sum", "paid_7_count:sum", "paid_30_count:sum",
             "amount_dunned:sum", "amount_collected_30:sum"],
        ):
            result[tuple(keys)] = effectiveness_figures(
                actions, invoices or 0, paid_7 or 0, paid_30 or 0, dunned or 0.0, collected or 0.0
            )
        return result
