from odoo import api, fields, models

QUARTERS = [("1", "Q1 (January - March)"), ("2", "Q2 (April - June)"), ("3", "Q3 (July - September)"),
            ("4", "Q4 (October - December)")]


class CreditRelanceReviewWizard(models.TransientModel):
    """Choose the quarter, company and collector of a quarterly credit review, then print it."""

    _name = "credit.relance.review.wizard"
    _description = "Quarterly credit review"
    _check_company_auto = True

    year = fields.Integer(required=True, default=lambda self: self._default_quarter()[0])
    quarter = fields.Selection(QUARTERS, required=True, default=lambda self: self._default_quarter()[1])
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    collector_id = fields.Many2one(
        "res.users", help="Leave empty for the whole company; set to review one portfolio."
    )

    @api.model
    def _default_quarter(self):
        """The last complete quarter before today, as ``(year, "quarter")``."""
        today = fields.Date.context_today(self)
        quarter = (today.month - 1) // 3
        if quarter == 0:
            return today.year - 1, "4"
        return today.year, str(quarter)

    @api.depends("year", "quarter", "company_id", "collector_id")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Credit review Q%(quarter)s %(year)s - %(scope)s",
                quarter=review.quarter, year=review.year,
                scope=review.collector_id.name or review.company_id.name,
            )

    def action_print(self):
        """Print the review PDF."""
        return self.env.ref("credit_relance.credit_relance_quarterly_review_report").report_action(self)
