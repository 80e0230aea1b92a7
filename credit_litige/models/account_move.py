from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    credit_litige_line_ids = fields.One2many("credit.litige.line", "move_id", string="Disputes")
    credit_litige_count = fields.Integer(string="Dispute count", compute="_compute_credit_disputed_amount")
    credit_disputed_amount = fields.Monetary(
        string="Amount in dispute", compute="_compute_credit_disputed_amount",
        help="Sum of the amounts contested in open disputes.",
    )

    @api.depends("credit_litige_line_ids.amount", "credit_litige_line_ids.is_closed")
    def _compute_credit_disputed_amount(self):
        amounts = self._credit_disputed_amount()
        # sudo: the number of disputes is shown on the invoice whatever the reader's dispute rules
        counts = dict(self.env["credit.litige.line"].sudo()._read_group(
            [("move_id", "in", self.ids)], ["move_id"], ["__count"],
        ))
        for move in self:
            move.credit_disputed_amount = amounts.get(move.id, 0.0)
            move.credit_litige_count = counts.get(move._origin, 0)

    def _credit_disputed_amount(self):
        """Open disputed amount per invoice, in the invoice's currency, in one query.

        Used by the dunning engine to dun only the undisputed part of partly disputed
        invoices (company option ``credit_dun_undisputed_part``).

        :returns: ``{move_id: amount}`` for the invoices of ``self`` with an open dispute
        """
        if not self.ids:
            return {}
        # sudo: the dunning engine needs the amounts whatever the user's dispute record rules
        groups = self.env["credit.litige.line"].sudo()._read_group(
            [("move_id", "in", self.ids), ("is_closed", "=", False)], ["move_id"], ["amount:sum"],
        )
        return {move.id: amount for move, amount in groups}

    def action_view_credit_litiges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_litige.credit_litige_action")
        action["domain"] = [("move_ids", "in", self.ids)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id, "search_default_my_disputes": 0}
        return action

    def action_open_credit_litige(self):
        """Open a new dispute on this invoice, for its full residual."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.litige",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_company_id": self.company_id.id,
                "default_line_ids": [fields.Command.create({"move_id": self.id, "amount": self.amount_residual})],
            },
        }
