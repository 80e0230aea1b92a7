from odoo import fields, models


class CreditCommunitySyncLog(models.Model):
    """Audit, on the member side, of every exchange with the hub: what was sent, when, how
    many identifiers, and the hub's answer."""

    _name = "credit.community.sync.log"
    _description = "Community exchange audit"
    _order = "id desc"
    _rec_name = "batch_ref"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    operation = fields.Selection(
        [("enrol", "Enrolment"), ("contribute", "Contribution"), ("read", "Score read")], required=True,
    )
    batch_ref = fields.Char(string="Batch id")
    item_count = fields.Integer(string="Identifiers")
    state = fields.Selection(
        [("success", "Success"), ("duplicate", "Already received"), ("error", "Error")], required=True,
    )
    http_status = fields.Integer(string="HTTP status")
    payload = fields.Text(help="Exactly the JSON body sent to the hub.")
    response = fields.Text(help="The hub's answer, or the error.")
    user_id = fields.Many2one("res.users", string="Run by", default=lambda self: self.env.user)
    create_date = fields.Datetime(string="Sent at", readonly=True)
