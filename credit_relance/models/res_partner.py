from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, format_date, split_every

from ..tools import behaviour as bh

OPEN_PAYMENT_STATES = ("not_paid", "partial")

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


# customer fields the projected next dunning step of its invoices depends on
PARTNER_PROJECTION_FIELDS = {"credit_scenario_pinned_id", "credit_do_not_dun", "credit_do_not_dun_until", "user_id"}


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
    credit_ab_variant = fields.Selection(
        [("a", "A (group's scenario)"), ("b", "B (alternative scenario)")], string="A/B variant",
        copy=False, readonly=True, index="btree_not_null",
        help="Set by the group recomputation when the customer's group tests an alternative scenario: "
        "customers in B follow it. Empty for customers without a group or with a pinned scenario.",
    )
    credit_do_not_dun = fields.Boolean(string="Do not dun", copy=False, index=True)
    credit_do_not_dun_reason = fields.Char(string="Reason not to dun", copy=False)
    credit_do_not_dun_until = fields.Date(string="Do not dun until", copy=False)
    # Receivable figures, stored by the daily recomputation (set-based SQL) so groups can filter on them.
    credit_open_amount = fields.Monetary(
        string="Outstanding", readonly=True, copy=False, currency_field="currency_id",
        help="Residual of posted customer invoices and credit notes, as of the last recomputation.",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue", readonly=True, copy=False, currency_field="currency_id",
        help="Residual past its due date, as of the last recomputation.",
    )
    credit_not_due_amount = fields.Monetary(
        string="Not due", compute="_compute_credit_not_due_amount", currency_field="currency_id",
    )
    credit_oldest_overdue_days = fields.Integer(
        string="Oldest overdue (days)", readonly=True, copy=False,
        help="Days since the due date of the oldest unpaid invoice.",
    )
    credit_limit_use = fields.Float(
        string="Credit limit use (%)", readonly=True, copy=False, digits=(16, 2),
        help="Outstanding as a share of the credit limit; 0 when the customer has no limit.",
    )
    credit_limit_amount = fields.Float(
        related="credit_limit", string="Credit limit (read-only)", groups="base.group_user",
        help="The credit limit, readable by sales reps who have no accounting rights.",
    )
    credit_limit_request_ids = fields.One2many(
        "credit.relance.limit.request", "partner_id", string="Credit limit requests"
    )
    credit_invoice_count = fields.Integer(string="Open invoices", compute="_compute_credit_invoice_count")
    credit_next_action_date = fields.Date(string="Next dunning action", compute="_compute_credit_next_action")
    credit_next_action_id = fields.Many2one("credit.relance.action", compute="_compute_credit_next_action")

    @api.depends("credit_group_id.scenario_id", "credit_group_id.collector_id", "credit_scenario_pinned_id",
                 "credit_group_id.ab_scenario_id", "credit_ab_variant")
    def _compute_credit_scenario_id(self):
        for partner in self:
            group = partner.credit_group_id
            group_scenario = group.ab_scenario_id if partner.credit_ab_variant == "b" else group.scenario_id
            partner.credit_scenario_id = (
                partner.credit_scenario_pinned_id or group_scenario or group.scenario_id
            )
            partner.credit_collector_id = partner.credit_group_id.collector_id

    @api.depends("credit_open_amount", "credit_overdue_amount")
    def _compute_credit_not_due_amount(self):
        for partner in self:
            partner.credit_not_due_amount = partner.credit_open_amount - partner.credit_overdue_amount

    def _compute_credit_invoice_count(self):
        if not self.env["account.move"].has_access("read"):
            self.credit_invoice_count = 0
            return
        counts = dict(self.env["account.move"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids), *self._credit_open_invoice_domain()],
            ["commercial_partner_id"], ["__count"],
        ))
        for partner in self:
            partner.credit_invoice_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_credit_next_action(self):
        Action = self.env["credit.relance.action"]
        domain = [
            ("partner_id", "in", self.commercial_partner_id.ids),
            ("state", "in", ("planned", "to_validate", "to_do")),
        ]
        actions = Action.browse()
        if Action.has_access("read"):
            actions = Action.search_fetch(domain, ["partner_id", "planned_date"], order="planned_date, id")
        first = {}
        for action in actions:
            first.setdefault(action.partner_id, action)
        for partner in self:
            action = first.get(partner.commercial_partner_id, Action)
            partner.credit_next_action_id = action
            partner.credit_next_action_date = action.planned_date

    def write(self, vals):
        result = super().write(vals)
        if PARTNER_PROJECTION_FIELDS.intersection(vals):
            # sudo: the projected next steps are derived data of the invoices, whoever edits the customer
            self.env["credit.relance.engine"].sudo()._project_next_steps(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)])
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_credit_open_invoices_by_status(self):
        """Smart button: the customer's open invoices grouped by follow-up status."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({
            "name": self.env._("Invoices by follow-up status"),
            "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id),
                       *self._credit_open_invoice_domain()],
            "context": {"group_by": ["credit_status_id", "credit_substatus_id"], "default_move_type": "out_invoice",
                        "create": False},
            "view_mode": "list,graph,pivot,form",
            "views": [(False, "list"), (False, "graph"), (False, "pivot"), (False, "form")],
        })
        return action

    def action_credit_open_outstanding(self):
        """Smart button: the customer's outstanding by follow-up status (graph, pivot, invoices)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_relance.credit_relance_outstanding_report_action")
        action.update({
            "name": self.env._("Outstanding of %(customer)s", customer=self.commercial_partner_id.display_name),
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
        })
        return action

    def action_credit_refresh(self):
        """Refresh the receivable figures of these customers now (the daily job does all customers)."""
        over_limit = self._credit_compute_receivable_stats(self.commercial_partner_id.ids)
        self.browse(over_limit)._credit_alert_over_limit()

    def action_credit_request_limit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a credit limit"),
            "res_model": "credit.relance.limit.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    # ------------------------------------------------------------------
    # Batch figures (daily job)
    # ------------------------------------------------------------------

    @api.model
    def _credit_open_invoice_domain(self):
        return [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]

    @api.model
    def _credit_compute_receivable_stats(self, partner_ids=None):
        """Store outstanding, overdue, oldest overdue days and credit-limit use with one UPDATE.

        Amounts are the receivable residuals in company currency, summed over all companies;
        the credit-limit use is against the limit of the current company.

        :param partner_ids: restrict to these commercial partners (all customers when None)
        :return: ids of the customers that just went over their credit limit
        """
        self.env.flush_all()
        today = fields.Date.context_today(self)
        company = self.env.company
        fallback = self._fields["credit_limit"].get_company_dependent_fallback(self.with_company(company)) or 0.0
        restrict = SQL("AND old.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        self.env.cr.execute(SQL(
            """
            WITH stats AS (
                SELECT rp.commercial_partner_id AS partner_id,
                       SUM(aml.amount_residual) AS open_amount,
                       SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity < %(today)s) AS overdue_amount,
                       MAX(%(today)s - aml.date_maturity)
                           FILTER (WHERE aml.date_maturity < %(today)s AND aml.amount_residual > 0) AS oldest
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner rp ON rp.id = aml.partner_id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND NOT aml.reconciled
                 GROUP BY rp.commercial_partner_id
            ), new AS (
                SELECT old.id,
                       COALESCE(s.open_amount, 0) AS open_amount,
                       COALESCE(s.overdue_amount, 0) AS overdue_amount,
                       COALESCE(s.oldest, 0) AS oldest,
                       CASE WHEN lim.value > 0 THEN ROUND(COALESCE(s.open_amount, 0) / lim.value * 100, 2)
                            ELSE 0 END AS limit_use
                  FROM res_partner old
                  LEFT JOIN stats s ON s.partner_id = old.id
                 CROSS JOIN LATERAL (
                       SELECT COALESCE((old.credit_limit ->> %(company)s)::numeric, %(fallback)s) AS value
                 ) lim
                 WHERE old.id = old.commercial_partner_id %(restrict)s
            )
            UPDATE res_partner p
               SET credit_open_amount = new.open_amount,
                   credit_overdue_amount = new.overdue_amount,
                   credit_oldest_overdue_days = new.oldest,
                   credit_limit_use = new.limit_use
              FROM new, res_partner old
             WHERE p.id = new.id AND old.id = new.id
               AND (p.credit_open_amount IS DISTINCT FROM new.open_amount
                    OR p.credit_overdue_amount IS DISTINCT FROM new.overdue_amount
                    OR p.credit_oldest_overdue_days IS DISTINCT FROM new.oldest
                    OR p.credit_limit_use IS DISTINCT FROM new.limit_use)
         RETURNING p.id, COALESCE(old.credit_limit_use, 0), new.limit_use
            """,
            today=today,
            company=str(company.id),
            fallback=fallback,
            restrict=restrict,
        ))
        over_limit = [pid for pid, before, after in self.env.cr.fetchall() if after > 100 >= before]
        self.invalidate_model([
            "credit_open_amount", "credit_overdue_amount", "credit_oldest_overdue_days", "credit_limit_use",
        ])
        return over_limit

    def _credit_alert_over_limit(self):
        """A to-do for the collector (or the salesperson) of each customer that went over its limit."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for partner in self:
            user = partner.credit_collector_id or partner.user_id
            if not user:
                continue
            vals_list.append({
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": todo.id,
                "user_id": user.id,
                "date_deadline": today,
                "summary": self.env._("Credit limit exceeded"),
                "note": self.env._(
                    "%(customer)s uses %(use)s %% of its credit limit.",
                    customer=partner.display_name, use=round(partner.credit_limit_use),
                ),
            })
        if vals_list:
            # quick update: no e-mail per activity; the collectors see them in their activity menu
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)

    # ------------------------------------------------------------------
    # Helpers called by the dunning templates (rendered on res.partner)
    # ------------------------------------------------------------------

    def _credit_overdue_invoices(self, step=None):
        """Invoices a reminder is about, oldest due date first.

        The dunning engine passes the invoices of the action in the context key
        ``credit_move_ids``; otherwise (preview, manual e-mail) all open invoices of the
        customer, or with ``step`` those that reached that step's offset today.

        :param step: optional ``credit.relance.step``
        :return: ``account.move`` recordset
        """
        self.ensure_one()
        Move = self.env["account.move"]
        move_ids = self.env.context.get("credit_move_ids")
        if move_ids:
            return Move.browse(move_ids).sorted(lambda m: (m.invoice_date_due or fields.Date.today(), m.id))
        domain = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "=", "out_invoice"),
            *self._credit_open_invoice_domain(),
        ]
        if step:
            limit = fields.Date.add(fields.Date.context_today(self), days=-step.offset_days)
            domain.append(("invoice_date_due", "<=", limit))
        return Move.search(domain, order="invoice_date_due, id")

    def _credit_days_late(self, move):
        """Days since ``move``'s due date (0 when not due yet)."""
        if not move.invoice_date_due:
            return 0
        return max(0, (fields.Date.context_today(self) - move.invoice_date_due).days)

    def _credit_total_due(self):
        """Residual of the reminder's invoices, in company currency."""
        return sum(self._credit_overdue_invoices().mapped("amount_residual_signed"))

    def _credit_oldest_days_late(self):
        return max((self._credit_days_late(move) for move in self._credit_overdue_invoices()), default=0)

    def _credit_invoice_payment_link(self, move):
        """Absolute portal link of one invoice, with its access token (no HTTP request needed)."""
        return move.get_base_url() + move.get_portal_url()

    def _credit_payment_link(self):
        """Portal link where the customer pays: the invoice when there is one, else the oldest one."""
        moves = self._credit_overdue_invoices()
        return self._credit_invoice_payment_link(moves[0]) if moves else ""

    def _credit_contact(self):
        """The invoicing contact of the customer (falls back on the customer itself)."""
        self.ensure_one()
        return self.browse(self.address_get(["invoice"])["invoice"])

    def _credit_collector(self):
        """User who signs the reminder: the customer's collector, else the current user."""
        self.ensure_one()
        return self.commercial_partner_id.credit_collector_id or self.env.user

    def _credit_company(self):
        return self.env.company

    def _credit_late_fees(self):
        """Late-payment figures set by the engine in the context key ``credit_late_fees``.

        A dict ``{"interest": amount, "indemnity": amount, "rate": percent or None}`` (company
        currency), or an empty dict when there is nothing to claim: templates show nothing then.
        """
        fees = self.env.context.get("credit_late_fees") or {}
        return fees if fees.get("interest") or fees.get("indemnity") else {}

    def _credit_invoices_table(self):
        """HTML table of the reminder's invoices, shared by e-mail and letter templates."""
        self.ensure_one()
        return Markup(self.env["ir.qweb"]._render("credit_relance.credit_relance_invoices_table", {
            "partner": self,
            "moves": self._credit_overdue_invoices(),
            "format_date": lambda date: format_date(self.env, date),
            "format_amount": lambda amount, currency: format_amount(self.env, amount, currency),
        }))
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
