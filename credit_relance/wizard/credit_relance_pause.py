from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditRelancePause(models.TransientModel):
    """Pause the dunning of customers or invoices until a date."""

    _name = "credit.relance.pause"
    _description = "Pause dunning"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    date_until = fields.Date(string="Pause until", required=True)
    reason = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model in ("res.partner", "account.move"):
            values.update(res_model=model, res_ids=self.env.context.get("active_ids", []))
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.date_until <= fields.Date.context_today(self):
            raise UserError(self.env._("The pause must end in the future."))
        records = self.env[self.res_model].browse(self.res_ids)
        body = self.env._("Dunning paused until %(date)s. %(reason)s", date=self.date_until, reason=self.reason or "")
        if self.res_model == "res.partner":
            records.commercial_partner_id.write({
                "credit_do_not_dun": True,
                "credit_do_not_dun_until": self.date_until,
                "credit_do_not_dun_reason": self.reason,
            })
        else:
            records.write({"credit_pause_until": self.date_until})
        records._message_log_batch(bodies={record.id: body for record in records})
        return {"type": "ir.actions.act_window_close"}
