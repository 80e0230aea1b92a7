from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..tools import behaviour as bh

RISK_LEVELS = [("low", "Low"), ("moderate", "Moderate"), ("high", "High")]
BEHAVIOUR_FIELDS = [
    "credit_avg_days_late",
    "credit_late_share",
    "credit_late_amount_share",
    "credit_avg_days_to_pay",
    "credit_trend",
    "credit_dispute_rate",
    "credit_broken_promises",
    "credit_risk_level",
    "credit_behaviour_date",
    "credit_paid_invoice_count",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_group_id = fields.Many2one(
        "credit.relance.group", string="Dunning group", copy=False, index="btree_not_null", readonly=True,
        help="Set by the daily group recomputation: the first group, by priority, whose criteria match.",
    )
    credit_scenario_pinned_id = fields.Many2one(
        "credit.relance.scenario", string="Pinned scenario", copy=False,
        help="Set by hand, this scenario wins over the group's.",
    )
    credit_scenario_id = fields.Many2one(
        "credit.relance.scenario", string="Dunning scenario", compute="_compute_credit_scenario_id", store=True,
    )
    credit_collector_id = fields.Many2one(
        "res.users", string="Collector", compute="_compute_credit_scenario_id", store=True,
    )
    credit_do_not_dun = fields.Boolean(string="Do not dun", copy=False)
    credit_do_not_dun_reason = fields.Char(string="Reason not to dun", copy=False)
    credit_do_not_dun_until = fields.Date(string="Do not dun until", copy=False)

    @api.depends("credit_group_id.scenario_id", "credit_group_id.collector_id", "credit_scenario_pinned_id")
    def _compute_credit_scenario_id(self):
        for partner in self:
            partner.credit_scenario_id = partner.credit_scenario_pinned_id or partner.credit_group_id.scenario_id
            partner.credit_collector_id = partner.credit_group_id.collector_id

    # ------------------------------------------------------------------
    # Payment behaviour (history of paid invoices, see tools/behaviour.py)
    # ------------------------------------------------------------------

    credit_avg_days_late = fields.Float(
        string="Average days late", digits=(16, 1), compute="_compute_credit_behaviour", store=True,
        help="Amount-weighted average of days late over the history window (12 months by default) of paid "
        "invoices: sum(amount x max(0, paid date - due date)) / sum(amount). The window ends on the last "
        "payment of the customer (or today, if earlier).",
    )
    credit_late_share = fields.Float(
        string="Share of invoices paid late", digits=(16, 4), compute="_compute_credit_behaviour", store=True,
        help="Invoices paid after their due date / paid invoices, by count, over the history window.",
    )
    credit_late_amount_share = fields.Float(
        string="Share of amount paid late", digits=(16, 4), compute="_compute_credit_behaviour", store=True,
        help="Amount of the invoices paid after their due date / amount of the paid invoices.",
    )
    credit_avg_days_to_pay = fields.Float(
        string="Average days to pay", digits=(16, 1), compute="_compute_credit_behaviour", store=True,
        help="Average, per invoice, of paid date - invoice date over the history window.",
    )
    credit_trend = fields.Float(
        string="Payment trend (days)", digits=(16, 1), compute="_compute_credit_behaviour", store=True,
        help="Average days late of the last 3 months minus that of the 9 months before. Positive: the "
        "customer pays later than it used to.",
    )
    credit_dispute_rate = fields.Float(
        string="Dispute rate", digits=(16, 4), compute="_compute_credit_behaviour", store=True,
        help="Paid invoices that were disputed / paid invoices, by count.",
    )
    credit_broken_promises = fields.Integer(
        string="Broken promises", compute="_compute_credit_behaviour", store=True,
        help="Promises to pay not kept over the history window.",
    )
    credit_risk_level = fields.Selection(
        RISK_LEVELS, string="Payment risk", compute="_compute_credit_behaviour", store=True, index=True,
        help="High when the average days late or the share of invoices paid late reaches the company's high "
        "threshold, moderate when either reaches the moderate one, otherwise low. Empty without history.",
    )
    credit_behaviour_date = fields.Date(
        string="Behaviour computed on", compute="_compute_credit_behaviour", store=True,
        help="Last computation of the figures; empty while the customer has no paid invoice in its history.",
    )
    credit_paid_invoice_count = fields.Integer(
        string="Paid invoices in history", compute="_compute_credit_behaviour", store=True,
        help="Paid invoices (posted in Odoo or imported) in the history window.",
    )
    credit_behaviour_dirty = fields.Boolean(
        string="Behaviour to recompute", copy=False, index="btree_not_null",
        help="Set when a payment of the customer is reconciled; the figures are recomputed shortly after.",
    )
    credit_history_ids = fields.One2many("credit.relance.history", "partner_id", string="Imported history")

    @api.depends()
    def _compute_credit_behaviour(self):
        """Compute the payment behaviour of the commercial partners in ``self`` in one query.

        Contacts (non-commercial partners) get no figures: they share their company's.
        """
        commercial = self.filtered(lambda p: p.commercial_partner_id == p)
        histories = commercial._credit_payment_history()
        broken = self._credit_count_broken_promises(commercial)
        today = fields.Date.context_today(self)
        for partner in self:
            invoices = histories.get(partner.id, []) if partner in commercial else []
            company = partner.company_id or self.env.company
            ref_date = min([today, max(inv.paid_date for inv in invoices)]) if invoices else today
            figures = bh.behaviour(
                invoices, ref_date, months=company.credit_behaviour_months or 12,
                thresholds=company._credit_risk_thresholds(),
            )
            partner.credit_avg_days_late = figures["avg_days_late"] or 0.0
            partner.credit_late_share = figures["late_share"] or 0.0
            partner.credit_late_amount_share = figures["late_amount_share"] or 0.0
            partner.credit_avg_days_to_pay = figures["avg_days_to_pay"] or 0.0
            partner.credit_trend = figures["trend"] or 0.0
            partner.credit_dispute_rate = figures["dispute_rate"] or 0.0
            partner.credit_broken_promises = broken.get(partner.id, 0)
            partner.credit_risk_level = figures["risk_level"]
            partner.credit_paid_invoice_count = figures["count"]
            partner.credit_behaviour_date = today if invoices else False

    def _credit_payment_history(self):
        """Paid invoices of the partners in ``self``, in one query.

        Two sources: the posted customer invoices of Odoo that are paid (the paid date is the
        latest reconciliation date, ``account.partial.reconcile.max_date``) and the imported
        history (``credit.relance.history``). Only rows in the window of each company's history
        months before the customer's last payment are returned.

        :return: ``{partner id: [PaidInvoice]}``, amounts in company currency
        """
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return {}
        months = max(self.env.companies.mapped("credit_behaviour_months") or [12]) or 12
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["credit.relance.history"].flush_model()
        rows = self.env.execute_query(SQL(
            """
            WITH odoo_paid AS (
                SELECT move.commercial_partner_id AS partner_id,
                       move.invoice_date,
                       move.invoice_date_due AS due_date,
                       MAX(apr.max_date) AS paid_date,
                       move.amount_total_signed AS amount,
                       COALESCE(status.category IN %(dispute)s, FALSE) AS disputed
                  FROM account_move move
                  JOIN account_move_line line ON line.move_id = move.id AND line.display_type = 'payment_term'
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = line.id
             LEFT JOIN credit_relance_status status ON status.id = move.credit_status_id
                 WHERE move.commercial_partner_id = ANY(%(ids)s)
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
              GROUP BY move.id, status.category
            ), imported AS (
                SELECT partner.commercial_partner_id AS partner_id, history.invoice_date,
                       history.due_date, history.settled_date AS paid_date,
                       history.amount_company AS amount, history.disputed
                  FROM credit_relance_history history
                  JOIN res_partner partner ON partner.id = history.partner_id
                 WHERE partner.commercial_partner_id = ANY(%(ids)s)
            ), paid AS (
                SELECT * FROM odoo_paid UNION ALL SELECT * FROM imported
            ), ref AS (
                SELECT partner_id, LEAST(MAX(paid_date), %(today)s::date) AS ref_date FROM paid GROUP BY partner_id
            )
            SELECT paid.partner_id, paid.invoice_date, paid.due_date, paid.paid_date, paid.amount, paid.disputed
              FROM paid
              JOIN ref ON ref.partner_id = paid.partner_id
             WHERE paid.paid_date > ref.ref_date - make_interval(months => %(months)s)
               AND paid.invoice_date IS NOT NULL AND paid.due_date IS NOT NULL
            """,
            ids=ids,
            dispute=self._credit_dispute_categories(),
            today=fields.Date.context_today(self),
            months=months,
        ))
        history = {}
        for partner_id, invoice_date, due_date, paid_date, amount, disputed in rows:
            history.setdefault(partner_id, []).append(
                bh.PaidInvoice(invoice_date, due_date, paid_date, float(amount or 0.0), bool(disputed))
            )
        return history

    @api.model
    def _credit_dispute_categories(self):
        """Status categories that make an invoice count as disputed in the payment behaviour."""
        return ("dispute", "litigation")

    @api.model
    def _credit_count_broken_promises(self, partners):
        """Hook: number of broken promises to pay per partner id, for ``credit_broken_promises``.

        :param partners: commercial partners being computed
        :return: ``{partner id: count}``; empty here, the promise model overrides it.
        """
        return {}

    def _credit_mark_behaviour_dirty(self):
        """Flag these partners for the next incremental recomputation and wake its cron up.

        Plain SQL on purpose: this runs inside every reconciliation, by users who may not edit
        customers, and must stay one cheap query without touching ``write_date``.
        """
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return
        self.env.cr.execute(SQL(
            "UPDATE res_partner SET credit_behaviour_dirty = TRUE"
            " WHERE id = ANY(%s) AND credit_behaviour_dirty IS NOT TRUE",
            ids,
        ))
        self.invalidate_recordset(["credit_behaviour_dirty"])
        cron = self.env.ref("credit_relance.ir_cron_credit_behaviour_dirty", raise_if_not_found=False)
        if cron:
            cron._trigger()

    def _credit_recompute_behaviour(self, batch_size=1000):
        """Recompute the payment behaviour of ``self`` by batches, one history query per batch."""
        fields_to_compute = [self._fields[fname] for fname in BEHAVIOUR_FIELDS]
        for batch_ids in split_every(batch_size, self.ids):
            batch = self.browse(batch_ids)
            for field in fields_to_compute:
                self.env.add_to_compute(field, batch)
            batch._recompute_recordset(BEHAVIOUR_FIELDS)
            batch.filtered("credit_behaviour_dirty").credit_behaviour_dirty = False
            batch.flush_recordset()
            batch.invalidate_recordset()

    @api.model
    def _cron_credit_behaviour_dirty(self):
        """Recompute the customers flagged by reconciliations since the last run."""
        self.search([("credit_behaviour_dirty", "=", True)])._credit_recompute_behaviour()

    @api.model
    def _cron_credit_behaviour_all(self):
        """Daily: recompute every customer with paid invoices or imported history (the window moves)."""
        moves = self.env["account.move"]._read_group(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")], ["commercial_partner_id"]
        )
        history = self.env["credit.relance.history"]._read_group([], ["partner_id"])
        partners = self.browse({partner.id for (partner,) in moves})
        partners |= self.browse({partner.id for (partner,) in history}).commercial_partner_id
        partners |= self.search([("credit_behaviour_date", "!=", False)])
        partners._credit_recompute_behaviour()
