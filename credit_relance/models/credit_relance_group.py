from odoo import fields, models


class CreditRelanceGroup(models.Model):
    """A dynamic set of customers, defined by a domain, that gives them a scenario and a collector.

    Membership is recomputed daily and on demand; the first matching group by priority wins
    and is stored on the customer (``res.partner.credit_group_id``).
    """

    _name = "credit.relance.group"
    _description = "Dunning customer group"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(
        string="Priority", default=10, help="Lower first: a customer joins the first group it matches."
    )
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to apply the group in every company.")
    domain = fields.Char(string="Criteria", default="[]", required=True, help="Domain on customers.")
    scenario_id = fields.Many2one("credit.relance.scenario", required=True, check_company=True)
    collector_id = fields.Many2one("res.users")
    partner_ids = fields.One2many("res.partner", "credit_group_id", string="Customers")
