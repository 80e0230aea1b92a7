from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_bank_tolerance_days = fields.Integer(related="company_id.credit_bank_tolerance_days", readonly=False)
    credit_preflight_mode = fields.Selection(related="company_id.credit_preflight_mode", readonly=False)
    credit_sms_hour_from = fields.Float(related="company_id.credit_sms_hour_from", readonly=False)
    credit_sms_hour_to = fields.Float(related="company_id.credit_sms_hour_to", readonly=False)
    credit_call_am_from = fields.Float(related="company_id.credit_call_am_from", readonly=False)
    credit_call_am_to = fields.Float(related="company_id.credit_call_am_to", readonly=False)
    credit_call_pm_from = fields.Float(related="company_id.credit_call_pm_from", readonly=False)
    credit_call_pm_to = fields.Float(related="company_id.credit_call_pm_to", readonly=False)
    credit_batch_size = fields.Integer(related="company_id.credit_batch_size", readonly=False)
    credit_use_queue_job = fields.Boolean(related="company_id.credit_use_queue_job", readonly=False)
    credit_queue_job_installed = fields.Boolean(
        string="queue_job installed", compute="_compute_credit_queue_job_installed"
    )

    def _compute_credit_queue_job_installed(self):
        # queue_job is optional: its model is in the registry only when the module is installed
        self.credit_queue_job_installed = "queue.job" in self.env
    credit_late_fee_rule = fields.Selection(related="company_id.credit_late_fee_rule", readonly=False)
    credit_late_fee_margin = fields.Float(related="company_id.credit_late_fee_margin", readonly=False)
    credit_late_fee_contractual_rate = fields.Float(
        related="company_id.credit_late_fee_contractual_rate", readonly=False
    )
    credit_late_fee_fixed_amount = fields.Monetary(related="company_id.credit_late_fee_fixed_amount", readonly=False)
    credit_late_fee_warning = fields.Char(compute="_compute_credit_late_fee_warning")

    def _compute_credit_late_fee_warning(self):
        for settings in self:
            settings.credit_late_fee_warning = self.env["credit.relance.rate"]._get_missing_rate_warning(
                fields.Date.context_today(settings)
            )
    credit_behaviour_months = fields.Integer(related="company_id.credit_behaviour_months", readonly=False)
    credit_risk_moderate_days = fields.Float(related="company_id.credit_risk_moderate_days", readonly=False)
    credit_risk_high_days = fields.Float(related="company_id.credit_risk_high_days", readonly=False)
    credit_risk_moderate_share = fields.Float(related="company_id.credit_risk_moderate_share", readonly=False)
    credit_risk_high_share = fields.Float(related="company_id.credit_risk_high_share", readonly=False)
