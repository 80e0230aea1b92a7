import json

from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditCommunityPreview(models.TransientModel):
    """Preview exactly the JSON that will be sent to the hub, then send it."""

    _name = "credit.community.preview"
    _description = "Community contribution preview"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, readonly=True)
    payload = fields.Text(string="JSON to send", readonly=True, compute="_compute_payload", store=True)
    batch_count = fields.Integer(compute="_compute_payload", store=True)
    item_count = fields.Integer(string="Customers", compute="_compute_payload", store=True)

    @api.depends("company_id")
    def _compute_payload(self):
        service = self.env["credit.community.service"]
        for wizard in self:
            batches = service._member_prepare_batches(wizard.company_id)
            wizard.payload = json.dumps(batches, indent=2, sort_keys=True)
            wizard.batch_count = len(batches)
            wizard.item_count = sum(len(batch["items"]) for batch in batches)

    def action_send(self):
        """Send the previewed batches, as shown."""
        self.ensure_one()
        batches = json.loads(self.payload or "[]")
        if not batches:
            raise UserError(self.env._("There is nothing to send: no business customer with a valid identifier "
                                       "paid an invoice in the last 12 months."))
        logs = self.env["credit.community.service"]._member_send(self.company_id, batches, raise_on_error=True)
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_community.credit_community_sync_log_action")
        action["domain"] = [("id", "in", logs.ids)]
        return action
