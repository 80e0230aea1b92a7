import logging

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.domain import DomainError, parse_domain

_logger = logging.getLogger(__name__)


class CreditRelanceRoutingRule(models.Model):
    """Invoice-level criteria (journal, amount, payment term, tag...) that send an invoice to a
    scenario other than its customer's. The first matching rule by sequence wins."""

    _name = "credit.relance.routing.rule"
    _description = "Dunning invoice routing rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to apply the rule in every company.")
    domain = fields.Char(string="Criteria", default="[]", required=True, help="Domain on invoices.")
    scenario_id = fields.Many2one("credit.relance.scenario", required=True, check_company=True)

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            self.env["credit.relance.group"]._credit_check_domain("account.move", rule.domain, rule.name)

    @api.model
    def _get_open_invoice_domain(self):
        """Invoices whose scenario is recomputed: posted customer invoices not fully paid."""
        return [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    @api.model
    def _recompute_invoice_scenarios(self):
        """Store ``account.move.credit_scenario_id`` on open invoices, in a bounded number of queries.

        One search per active rule; then one UPDATE gives the remaining invoices their
        customer's scenario, and one UPDATE per routed scenario sets the routed invoices.

        :returns: ids of the invoices whose scenario changed
        """
        Move = self.env["account.move"]
        self.env.flush_all()
        open_domain = self._get_open_invoice_domain()
        routed = {}
        for rule in self.search([], order="sequence, id"):
            try:
                domain = parse_domain(rule.domain)
            except DomainError:
                _logger.warning("Dunning routing rule %s skipped: its criteria are not a domain", rule.id)
                continue
            if rule.company_id:
                domain = expression.AND([domain, [("company_id", "=", rule.company_id.id)]])
            for move_id in Move._search(expression.AND([open_domain, domain])):
                routed.setdefault(move_id, rule.scenario_id.id)
        open_query = Move._search(open_domain)
        self.env.cr.execute(SQL(
            """
            UPDATE account_move m
               SET credit_scenario_id = p.credit_scenario_id
              FROM res_partner p
             WHERE p.id = m.commercial_partner_id
               AND m.id IN %(open)s
               AND NOT m.id = ANY(%(routed)s)
               AND m.credit_scenario_id IS DISTINCT FROM p.credit_scenario_id
         RETURNING m.id
            """,
            open=open_query.subselect(),
            routed=list(routed),
        ))
        changed = [move_id for move_id, in self.env.cr.fetchall()]
        by_scenario = {}
        for move_id, scenario_id in routed.items():
            by_scenario.setdefault(scenario_id, []).append(move_id)
        for scenario_id, move_ids in by_scenario.items():
            self.env.cr.execute(SQL(
                """
                UPDATE account_move SET credit_scenario_id = %(scenario)s
                 WHERE id = ANY(%(ids)s) AND credit_scenario_id IS DISTINCT FROM %(scenario)s
             RETURNING id
                """,
                scenario=scenario_id,
                ids=move_ids,
            ))
            changed += [move_id for move_id, in self.env.cr.fetchall()]
        Move.invalidate_model(["credit_scenario_id"])
        return changed
