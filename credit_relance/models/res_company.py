from odoo import fields, models

from ..tools.behaviour import RiskThresholds


class ResCompany(models.Model):
    _inherit = "res.company"

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
