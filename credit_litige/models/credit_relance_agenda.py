import datetime

from odoo import api, models
from odoo.osv import expression

from odoo.addons.credit_relance.models.credit_relance_agenda import WINDOW_DAYS


class CreditRelanceAgenda(models.AbstractModel):
    """The dispute row of the agenda: its "coming" cell lists the open disputes whose deadline falls
    in the next days."""

    _inherit = "credit.relance.agenda"

    @api.model
    def _get_filter_fields(self):
        paths = super()._get_filter_fields()
        paths["credit.litige"] = {
            "user_id": "user_id", "scenario_id": "partner_id.credit_scenario_id",
            "group_id": "partner_id.credit_group_id", "status_id": "move_ids.credit_status_id",
            "due": "move_ids.invoice_date_due", "amount": "amount_disputed",
            "risk_level": "partner_id.credit_risk_level", "company": "company_id",
        }
        return paths

    @api.model
    def _get_coming_cell(self, row_field, row_key, filters, today):
        if row_field == "followup_category" and row_key == "dispute":
            until = today + datetime.timedelta(days=WINDOW_DAYS)
            return "credit.litige", expression.AND([
                [("is_closed", "=", False), ("date_deadline", ">", today), ("date_deadline", "<=", until)],
                self._filter_domain(filters, "credit.litige"),
            ])
        return super()._get_coming_cell(row_field, row_key, filters, today)
