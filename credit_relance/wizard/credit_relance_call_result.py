import datetime

from odoo import fields, models
from odoo.exceptions import UserError


class CreditRelanceCallResult(models.TransientModel):
    """Records the result of a dunning call and schedules what follows."""

    _name = "credit.relance.call.result"
    _description = "Dunning call result"

    action_id = fields.Many2one("credit.relance.action", required=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    company_id = fields.Many2one(related="action_id.company_id")
    currency_id = fields.Many2one(related="action_id.currency_id")
    result = fields.Selection(
        [
            ("reached", "Reached"),
            ("no_answer", "No answer"),
            ("wrong_number", "Wrong number"),
            ("promise", "Promise to pay"),
            ("dispute", "Dispute"),
            ("paid", "Already paid"),
        ],
        required=True, default="reached",
    )
    promise_date = fields.Date()
    promise_amount = fields.Monetary(currency_field="currency_id")
    dispute_reason = fields.Char()
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        action = self.action_id
        label = dict(self._fields["result"].selection)[self.result]
        if self.result == "promise" and not self.promise_date:
            raise UserError(self.env._("Give the promised date."))
        if self.result == "dispute" and not self.dispute_reason:
            raise UserError(self.env._("Give the reason of the dispute."))
        outcome = self.env._("%(result)s. %(note)s", result=label, note=self.note or "").strip()
        action.write({"outcome": outcome})
        action.action_done()
        handler = getattr(self, f"_apply_{self.result}")
        handler(action)
        action._message_log(body=self.env._("Call result: %(outcome)s", outcome=outcome))
        return {"type": "ir.actions.act_window_close"}

    def _moves(self, action):
        return action.move_ids.filtered(lambda m: m.amount_residual > 0)

    def _followup(self, action, days, summary, activity="mail.mail_activity_data_call"):
        action.activity_schedule(
            activity, date_deadline=fields.Date.context_today(self) + datetime.timedelta(days=days),
            summary=summary, user_id=(action.user_id or self.env.user).id,
        )

    def _apply_reached(self, action):
        return

    def _apply_no_answer(self, action):
        self._followup(action, 2, self.env._("Call again"))

    def _apply_wrong_number(self, action):
        self._followup(action, 1, self.env._("Find the customer's right phone number"),
                       activity="mail.mail_activity_data_todo")

    def _apply_promise(self, action):
        self.env["credit.relance.promise"].create({
            "partner_id": action.partner_id.id,
            "company_id": action.company_id.id,
            "move_ids": [fields.Command.set(self._moves(action).ids)],
            "date": self.promise_date,
            "amount": self.promise_amount or sum(self._moves(action).mapped("amount_residual_signed")),
            "source": "call",
            "action_id": action.id,
            "user_id": (action.user_id or self.env.user).id,
        })

    def _apply_dispute(self, action):
        status = self.env["credit.relance.status"].search(
            [("category", "=", "dispute"), ("parent_id", "=", False),
             ("company_id", "in", [action.company_id.id, False])], limit=1)
        moves = self._moves(action)
        if status:
            moves.write({"credit_status_id": status.id, "credit_substatus_id": False})
        moves._message_log_batch(bodies={
            m.id: self.env._("Disputed by the customer on a call: %(reason)s", reason=self.dispute_reason)
            for m in moves})

    def _apply_paid(self, action):
        self._followup(action, 3, self.env._("Check the payment the customer announced"),
                       activity="mail.mail_activity_data_todo")
