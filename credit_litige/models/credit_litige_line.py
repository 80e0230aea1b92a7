from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditLitigeLine(models.Model):
    """One invoice in a dispute, with the amount the customer contests on it.

    The line remembers the invoice's status before the dispute so that closing the dispute
    can put it back.
    """

    _name = "credit.litige.line"
    _description = "Disputed invoice"
    _order = "litige_id, id"
    _check_company_auto = True

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The disputed amount must be positive."),
    ]

    litige_id = fields.Many2one("credit.litige", string="Dispute", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="litige_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="litige_id.partner_id", store=True, index=True)
    is_closed = fields.Boolean(related="litige_id.is_closed", store=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="restrict", check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('amount_residual', '>', 0)]",
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    amount_total = fields.Monetary(related="move_id.amount_total", string="Invoice total")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Amount due")
    amount = fields.Monetary(string="Disputed amount", required=True)
    status_applied = fields.Boolean(
        readonly=True, copy=False,
        help="The dispute set the invoice's status and paused its dunning.",
    )
    previous_status_id = fields.Many2one("credit.relance.status", string="Previous status", readonly=True)
    previous_substatus_id = fields.Many2one("credit.relance.status", string="Previous sub-status", readonly=True)
    credit_note_id = fields.Many2one("account.move", string="Credit note", readonly=True, copy=False)

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for line in self.filtered(lambda rec: not rec.is_closed and not rec.credit_note_id):
            move = line.move_id
            if move.commercial_partner_id != line.litige_id.partner_id:
                raise ValidationError(self.env._(
                    "Invoice %(invoice)s is not an invoice of %(partner)s.",
                    invoice=move.name, partner=line.litige_id.partner_id.display_name,
                ))
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._(
                    "Only posted customer invoices can be disputed (%(invoice)s).", invoice=move.display_name,
                ))
            if move.currency_id.compare_amounts(line.amount, move.amount_residual) > 0:
                raise ValidationError(self.env._(
                    "The disputed amount %(amount)s exceeds the amount due %(residual)s on %(invoice)s.",
                    amount=move.currency_id.format(line.amount),
                    residual=move.currency_id.format(move.amount_residual),
                    invoice=move.name,
                ))

    @api.onchange("move_id")
    def _onchange_move_id(self):
        if self.move_id and not self.amount:
            self.amount = self.move_id.amount_residual

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: not line.is_closed)._apply_dispute_status()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "amount" in vals:
            lines = self.filtered(lambda line: not line.is_closed and not line.credit_note_id)
            lines._release_dispute_status()
            lines._apply_dispute_status()
        return res

    def unlink(self):
        self.filtered(lambda line: not line.is_closed)._release_dispute_status()
        return super().unlink()

    def _is_partial(self):
        """Whether the line contests only part of its invoice's residual."""
        self.ensure_one()
        return self.move_id.currency_id.compare_amounts(self.amount, self.move_id.amount_residual) < 0

    def _apply_dispute_status(self):
        """Set the dispute status on the invoices, remembering their current status.

        With the company option ``credit_dun_undisputed_part``, invoices disputed only in
        part keep their status (the engine deducts ``account.move._credit_disputed_amount()``
        and duns the rest).
        """
        lines = self.filtered(lambda line: not line.status_applied and line.move_id.state == "posted")
        lines = lines.filtered(lambda line: not (line.company_id.credit_dun_undisputed_part and line._is_partial()))
        if not lines:
            return
        # the invoices' previous status, when another open dispute already changed it
        siblings = self.search([
            ("move_id", "in", lines.move_id.ids), ("status_applied", "=", True), ("id", "not in", lines.ids),
        ])
        sibling_by_move = {sibling.move_id.id: sibling for sibling in siblings}
        statuses = {company: self.env["credit.litige"]._get_credit_status("dispute", company)
                    for company in lines.company_id}
        moves_by_values = defaultdict(lambda: self.env["account.move"])
        lines_by_values = defaultdict(lambda: self.env["credit.litige.line"])
        for line in lines:
            move, status = line.move_id, statuses[line.company_id]
            sibling = sibling_by_move.get(move.id)
            if sibling:
                previous = (sibling.previous_status_id.id, sibling.previous_substatus_id.id)
            else:
                previous = (move.credit_status_id.id, move.credit_substatus_id.id)
            substatus = line.litige_id.reason_id.credit_substatus_id
            substatus = substatus if substatus.parent_id == status else move.env["credit.relance.status"]
            moves_by_values[(status.id, substatus.id)] |= move
            lines_by_values[previous] |= line
        for (status_id, substatus_id), moves in moves_by_values.items():
            # sudo: sales reps and portal customers open disputes but may not edit invoices;
            # the follow-up status is a consequence of the dispute they were allowed to open
            moves.sudo().write({"credit_status_id": status_id, "credit_substatus_id": substatus_id})
        for (status_id, substatus_id), status_lines in lines_by_values.items():
            status_lines.write({
                "status_applied": True, "previous_status_id": status_id, "previous_substatus_id": substatus_id,
            })

    def _release_dispute_status(self):
        """Put the invoices' previous status back once no open dispute covers them.

        Dunning then resumes, unless the dispute ends in a write-off: the invoice is then
        excluded from dunning.
        """
        lines = self.filtered("status_applied")
        if not lines:
            return
        still_open = self.search([
            ("move_id", "in", lines.move_id.ids), ("status_applied", "=", True),
            ("is_closed", "=", False), ("id", "not in", lines.ids),
        ]).move_id
        moves_by_values = defaultdict(lambda: self.env["account.move"])
        write_offs = self.env["account.move"]
        for line in lines:
            move = line.move_id
            if move in still_open or move.credit_status_id.category != "dispute":
                continue
            moves_by_values[(line.previous_status_id.id, line.previous_substatus_id.id)] |= move
            if line.litige_id.resolution == "write_off" and not move.currency_id.is_zero(move.amount_residual):
                write_offs |= move
        for (status_id, substatus_id), moves in moves_by_values.items():
            # sudo: see _apply_dispute_status
            moves.sudo().write({"credit_status_id": status_id, "credit_substatus_id": substatus_id})
        if write_offs:
            # sudo: see _apply_dispute_status
            write_offs.sudo().write({"credit_dunning_blocked": True})
        lines.write({"status_applied": False})
