from odoo import fields, models

from ..tools.behaviour import RiskThresholds


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_min_interval_days = fields.Integer(
        string="Minimum days between reminders",
        default=3,
        help="Default minimum number of days between two reminders to the same customer, for new scenarios.",
    )
    credit_bank_tolerance_days = fields.Integer(
        string="Bank statements tolerance (days)", default=3,
        help="Automatic reminders wait when a bank journal's last statement line is older than this.",
    )
    credit_preflight_mode = fields.Selection(
        [("wait", "Wait"), ("warn", "Only warn")], string="Stale bank statements", default="wait", required=True,
        help="What automatic reminders do when bank statements are older than the tolerance.",
    )
    credit_sms_hour_from = fields.Float(string="SMS from", default=8.0)
    credit_sms_hour_to = fields.Float(string="SMS until", default=20.0)
    credit_call_am_from = fields.Float(string="Calls from (morning)", default=9.0)
    credit_call_am_to = fields.Float(string="Calls until (morning)", default=12.0)
    credit_call_pm_from = fields.Float(string="Calls from (afternoon)", default=14.0)
    credit_call_pm_to = fields.Float(string="Calls until (afternoon)", default=18.0)
    credit_batch_size = fields.Integer(
        string="Dunning batch size", default=1000,
        help="Customers planned, or actions executed, per committed batch of the daily run.",
    )
    credit_run_prepared_date = fields.Date(
        string="Daily run prepared on", readonly=True, copy=False,
        help="Day the daily dunning run last recomputed the groups and checked the promises of the "
             "company: from then on a second cron worker may share that day's batches.",
    )
    credit_use_queue_job = fields.Boolean(
        string="Run the daily dunning as queue jobs",
        help="With OCA's queue_job installed, the daily run enqueues one job per batch of customers "
             "(channel root.credit_relance) instead of running every batch in the cron.",
    )
    credit_late_fee_rule = fields.Selection(
        [
            ("france", "France (L441-10): reference rate + 10 points, 40 EUR per invoice"),
            ("eu", "EU directive 2011/7: reference rate + 8 points, 40 EUR"),
            ("custom", "Custom"),
        ],
        string="Late-payment rule", default="france", required=True,
    )
    credit_late_fee_margin = fields.Float(string="Points over the reference rate", default=10.0)
    credit_late_fee_contractual_rate = fields.Float(
        string="Contractual rate (%)", help="When set, replaces reference rate + points (custom rule)."
    )
    credit_late_fee_fixed_amount = fields.Monetary(
        string="Fixed recovery indemnity", currency_field="currency_id", default=40.0,
        help="Per invoice, business customers only (custom rule).",
    )
    credit_behaviour_months = fields.Integer(
        string="Payment history window (months)", default=12,
        help="Months of paid invoices, up to the customer's last payment, used for its payment behaviour.",
    )
    credit_risk_moderate_days = fields.Float(
        string="Moderate risk from (average days late)", default=10.0,
        help="A customer whose amount-weighted average days late reaches this is at least at moderate risk.",
    )
    credit_risk_high_days = fields.Float(
        string="High risk from (average days late)", default=30.0,
        help="A customer whose amount-weighted average days late reaches this is at high risk.",
    )
    credit_risk_moderate_share = fields.Float(
        string="Moderate risk from (share paid late)", default=0.25,
        help="A customer who pays at least this share of its invoices late is at least at moderate risk.",
    )
    credit_risk_high_share = fields.Float(
        string="High risk from (share paid late)", default=0.5,
        help="A customer who pays at least this share of its invoices late is at high risk.",
    )

    def _credit_risk_thresholds(self):
        """The company's risk thresholds as a :class:`RiskThresholds` for ``tools.behaviour``."""
        self.ensure_one()
        return RiskThresholds(
            moderate_days=self.credit_risk_moderate_days,
            high_days=self.credit_risk_high_days,
            moderate_share=self.credit_risk_moderate_share,
            high_share=self.credit_risk_high_share,
        )
