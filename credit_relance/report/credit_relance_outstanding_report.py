from odoo import fields, models
from odoo.tools import SQL

from ..models.credit_relance_action import FOLLOWUP_CATEGORIES


class CreditRelanceOutstandingReport(models.Model):
    """Open receivable residual per invoice, with its follow-up status, for graphs and pivots.

    One row per posted customer invoice or credit note with a residual (credit notes count
    negatively), in company currency. The row's id is the invoice's id.
    """

    _name = "credit.relance.outstanding.report"
    _description = "Outstanding receivables by follow-up status"
    _auto = False
    _order = "invoice_date_due, id"
    _rec_name = "name"

    name = fields.Char(string="Invoice number", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit note")], string="Type", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_ref = fields.Integer(
        string="Customers", readonly=True, aggregator="count_distinct",
        help="Number of distinct customers among the rows.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company currency", readonly=True)
    status_id = fields.Many2one("credit.relance.status", string="Follow-up status", readonly=True)
    substatus_id = fields.Many2one("credit.relance.status", string="Follow-up sub-status", readonly=True)
    category = fields.Selection(FOLLOWUP_CATEGORIES, string="Follow-up category", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    group_id = fields.Many2one("credit.relance.group", string="Dunning group", readonly=True)
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due date", readonly=True)
    residual = fields.Monetary(
        string="Outstanding", currency_field="currency_id", readonly=True, aggregator="sum",
        help="Residual amount of the invoice in company currency (amount_residual_signed): "
        "negative for credit notes. Summed over the rows of a group.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT m.id,
                   m.id AS move_id,
                   m.name,
                   m.move_type,
                   m.commercial_partner_id AS partner_id,
                   m.commercial_partner_id AS partner_ref,
                   m.company_id,
                   c.currency_id,
                   m.credit_status_id AS status_id,
                   m.credit_substatus_id AS substatus_id,
                   st.category,
                   rp.user_id,
                   rp.credit_collector_id AS collector_id,
                   rp.credit_group_id AS group_id,
                   m.invoice_date,
                   m.invoice_date_due,
                   m.amount_residual_signed AS residual
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              JOIN res_partner rp ON rp.id = m.commercial_partner_id
              LEFT JOIN credit_relance_status st ON st.id = m.credit_status_id
             WHERE m.move_type IN ('out_invoice', 'out_refund')
               AND m.state = 'posted'
               AND m.payment_state IN ('not_paid', 'partial')
               AND m.amount_residual <> 0
            """
        )

    def action_open_invoice(self):
        """Row button: the invoice itself."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_customer(self):
        """Row button: the customer's card."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_invoices(self):
        """List button: the invoices of the selected rows (a clicked bar or cell)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update({
            "name": self.env._("Outstanding invoices"),
            "domain": [("id", "in", self.move_id.ids)],
            "context": {"create": False},
        })
        return action

    def action_open_customers(self):
        """List button: the customers of the selected rows."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers with outstanding invoices"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.partner_id.ids)],
        }
