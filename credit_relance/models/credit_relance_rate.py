from odoo import api, fields, models

from ..tools.late_interest import half_year, half_year_code


class CreditRelanceRate(models.Model):
    """Reference rate of late-payment interest per half-year (ECB main refinancing rate in force
    on 1 January for January-June, on 1 July for July-December)."""

    _name = "credit.relance.rate"
    _description = "Late-payment reference rate"
    _order = "year desc, half desc"
    _rec_name = "code"

    _sql_constraints = [
        ("year_half_uniq", "unique(year, half)", "There is already a rate for this half-year."),
    ]

    year = fields.Integer(required=True)
    half = fields.Selection([("1", "January-June"), ("2", "July-December")], required=True)
    rate = fields.Float(string="Reference rate (%)", required=True, digits=(6, 3))
    code = fields.Char(compute="_compute_code", store=True)

    @api.depends("year", "half")
    def _compute_code(self):
        for rate in self:
            rate.code = half_year_code((rate.year, int(rate.half or 1)))

    @api.model
    def _get_rate_table(self):
        """All known rates as ``{(year, half): rate}`` (one query)."""
        return {(r.year, int(r.half)): r.rate for r in self.search_fetch([], ["year", "half", "rate"])}

    @api.model
    def _get_missing_rate_warning(self, on_date):
        """A readable warning when the half-year of ``on_date`` has no reference rate, else ``""``."""
        key = half_year(on_date)
        if key in self._get_rate_table():
            return ""
        return self.env._(
            "No late-payment reference rate for %(half_year)s: late-payment interest cannot be computed "
            "until it is entered in Credit > Configuration > Late-payment rates.",
            half_year=half_year_code(key),
        )
