from odoo import fields, models


class CreditCommunityBatch(models.Model):
    """One contribution batch received by the hub: the idempotency record of a submission.

    ``name`` is the member's batch id; a second submission with the same id by the same member
    is answered as a duplicate and changes nothing.
    """

    _name = "credit.community.batch"
    _description = "Community contribution batch"
    _order = "received_at desc, id desc"

    _sql_constraints = [
        ("member_name_uniq", "unique(member_id, name)", "A batch id is used once per member."),
    ]

    name = fields.Char(string="Batch id", required=True)
    member_id = fields.Many2one("credit.community.member", required=True, ondelete="cascade", index=True,
                                context={"active_test": False})
    period_end = fields.Date()
    item_count = fields.Integer(string="Items")
    state = fields.Selection([("done", "Received")], default="done", required=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    contribution_ids = fields.One2many("credit.community.contribution", "batch_id", string="Contributions")
