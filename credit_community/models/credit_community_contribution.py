from odoo import fields, models

from ..tools import aggregate, bands


class CreditCommunityContribution(models.Model):
    """The latest figures a member sent for one customer identifier (hub side).

    One row per (member, identifier): a new batch replaces the member's previous figures.
    Raw rows are readable only by hub managers; the API only ever returns aggregates.
    """

    _name = "credit.community.contribution"
    _description = "Community contribution"
    _order = "received_at desc, id desc"
    _rec_name = "key"

    _sql_constraints = [
        ("member_key_uniq", "unique(member_id, key)", "A member has one contribution per identifier."),
    ]

    member_id = fields.Many2one("credit.community.member", required=True, ondelete="cascade", index=True,
                                context={"active_test": False})
    key = fields.Char(string="Identifier", required=True, index=True)
    period_end = fields.Date(required=True)
    paid_count = fields.Integer(string="Paid invoices")
    amount_band = fields.Selection([(code, label) for code, _low, _high, label in bands.AMOUNT_BANDS], required=True)
    avg_days_late = fields.Float(string="Average days beyond terms", digits=(16, 1))
    share_late = fields.Float(string="Share paid late", digits=(16, 2))
    share_disputed = fields.Float(string="Share disputed", digits=(16, 2))
    trend = fields.Selection([(code, code.capitalize()) for code in aggregate.TRENDS], required=True)
    batch_id = fields.Many2one("credit.community.batch", ondelete="set null", index="btree_not_null")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
