import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.ab_testing import VARIANT_A, ab_variant
from ..tools.domain import DomainError, domain_fields, parse_domain

_logger = logging.getLogger(__name__)


class CreditRelanceGroup(models.Model):
    """A dynamic set of customers, defined by a domain, that gives them a scenario and a collector.

    Membership is recomputed daily and on demand; the first matching group by priority wins
    (same priority: the group created first) and is stored on the customer
    (``res.partner.credit_group_id``). Customers are shared between companies in Odoo, so a
    customer belongs to one group in the whole database; a group restricted to a company only
    matches the customers of that company and the shared ones.
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
    collector_id = fields.Many2one("res.users", help="Works the dunning of the group's customers.")
    partner_ids = fields.One2many("res.partner", "credit_group_id", string="Customers")
    partner_count = fields.Integer(string="Customers count", compute="_compute_partner_count")
    ab_scenario_id = fields.Many2one(
        "credit.relance.scenario", string="Alternative scenario (B)", check_company=True,
        help="A/B test: a share of the group's customers follows this scenario instead of the group's one. "
        "Customers with a pinned scenario stay out of the test.",
    )
    ab_share = fields.Integer(
        string="Share in B (%)", default=0,
        help="Percentage (0-100) of the group's customers assigned to the alternative scenario. The split is "
        "deterministic: a customer is in B when a hash of its id and the group's id, modulo 100, is below "
        "this share; it keeps its variant at each recomputation while the share does not change.",
    )
    ab_partner_count = fields.Integer(string="Customers in B", compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = defaultdict(int)
        for group, variant, count in self.env["res.partner"]._read_group(
            [("credit_group_id", "in", self.ids)], ["credit_group_id", "credit_ab_variant"], ["__count"]
        ):
            counts[group] += count
            counts[group, variant] += count
        for group in self:
            group.partner_count = counts[group]
            group.ab_partner_count = counts[group, "b"]

    @api.constrains("domain")
    def _check_domain(self):
        for group in self:
            self._credit_check_domain("res.partner", group.domain, group.name)

    @api.constrains("scenario_id", "active")
    def _check_scenario_has_steps(self):
        for group in self.filtered("active"):
            if not group.scenario_id.step_ids:
                raise ValidationError(self.env._(
                    'The customer group "%(group)s" uses the scenario "%(scenario)s", which has no step: '
                    "add steps to the scenario first.",
                    group=group.name, scenario=group.scenario_id.name,
                ))

    @api.constrains("ab_scenario_id", "ab_share", "scenario_id")
    def _check_ab_test(self):
        for group in self:
            if not 0 <= group.ab_share <= 100:
                raise ValidationError(self.env._(
                    'The customer group "%(group)s": the share in B must be between 0 and 100 %%.', group=group.name
                ))
            if group.ab_scenario_id and group.ab_scenario_id == group.scenario_id:
                raise ValidationError(self.env._(
                    'The customer group "%(group)s": the alternative scenario must differ from the group\'s scenario.',
                    group=group.name,
                ))
            if group.ab_scenario_id and not group.ab_scenario_id.step_ids:
                raise ValidationError(self.env._(
                    'The customer group "%(group)s" tests the scenario "%(scenario)s", which has no step: '
                    "add steps to the scenario first.",
                    group=group.name, scenario=group.ab_scenario_id.name,
                ))

    def write(self, vals):
        res = super().write(vals)
        if {"ab_scenario_id", "ab_share", "active"} & vals.keys():
            # the split follows at once a test started, changed or stopped (the daily job does it too)
            self._recompute_ab_variants()
        return res

    # ------------------------------------------------------------------
    # Domains
    # ------------------------------------------------------------------

    @api.model
    def _credit_check_domain(self, model_name, text, label):
        """Parse ``text`` as a domain on ``model_name`` and run it once; raise a readable error.

        :param model_name: model the domain filters (``res.partner``, ``account.move``)
        :param text: the domain as stored (what the domain editor writes)
        :param label: name of the record that owns the domain, shown in the message
        :return: the parsed domain (a list)
        :raise ValidationError: naming the record and, when known, the broken field
        """
        try:
            domain = parse_domain(text)
        except DomainError as error:
            raise ValidationError(self.env._(
                'The criteria of "%(record)s" are not a valid domain (%(reason)s).', record=label, reason=str(error)
            )) from error
        Model = self.env[model_name]
        for path in domain_fields(domain):
            model = Model
            for name in path.split("."):
                field = model._fields.get(name)
                if field is None:
                    raise ValidationError(self.env._(
                        'The criteria of "%(record)s" use the field "%(field)s", which does not exist on %(model)s.',
                        record=label, field=path, model=model._description,
                    ))
                model = self.env[field.comodel_name] if field.relational else model
        for term in domain:
            if isinstance(term, tuple) and term[1] not in expression.TERM_OPERATORS:
                raise ValidationError(self.env._(
                    'The criteria of "%(record)s" use the unknown operator "%(operator)s" on "%(field)s".',
                    record=label, operator=term[1], field=term[0],
                ))
        try:
            with self.env.cr.savepoint():
                Model.search_count(domain, limit=1)
        except Exception as error:  # any failure of the search means a broken domain
            raise ValidationError(self.env._(
                'The criteria of "%(record)s" cannot be applied: %(reason)s', record=label, reason=str(error)
            )) from error
        return domain

    def _get_partner_domain(self):
        """Domain selecting the customers of this group (its criteria, its company)."""
        self.ensure_one()
        domain = parse_domain(self.domain)
        if self.company_id:
            domain = expression.AND([domain, [("company_id", "in", [self.company_id.id, False])]])
        return domain

    @api.model
    def _get_customer_domain(self):
        """Customers whose group is computed: commercial entities that were invoiced.

        Extension point: override to widen or narrow the population the groups apply to.
        """
        return [("parent_id", "=", False), ("customer_rank", ">", 0)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_recompute(self):
        """Button "Recompute now": refresh customer figures and memberships of all groups."""
        # Membership is global (first matching group of all groups): the job must see every
        # group and customer, whatever companies the supervisor has selected.
        self.sudo()._recompute_all()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Customer groups recomputed."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("credit_group_id", "=", self.id)],
        }

    def action_open_ab_results(self):
        """Smart button: effectiveness of the group's actions, variant A against variant B."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_relance.credit_relance_effectiveness_report_action")
        action.update({
            "name": self.env._("A/B test results of %(group)s", group=self.name),
            "domain": [("group_id", "=", self.id)],
            "context": {"pivot_row_groupby": ["ab_variant", "scenario_id"], "pivot_column_groupby": ["channel"],
                        "graph_groupbys": ["ab_variant", "step_id"]},
        })
        return action

    # ------------------------------------------------------------------
    # Recomputation (daily job and button)
    # ------------------------------------------------------------------

    @api.model
    def _cron_recompute_groups(self):
        self._recompute_all()

    @api.model
    def _recompute_if_due(self, company=None):
        """Recompute once a day before the dunning run, unless the nightly job already did it.

        Membership is database-wide, so ``company`` (given by the engine) does not narrow it.
        """
        today = fields.Date.context_today(self).isoformat()
        # sudo: a technical date stamp, read and written by whoever triggers the daily run
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param("credit_relance.groups_recomputed_on") != today:
            self._recompute_all()

    @api.model
    def _recompute_all(self):
        """Customer figures (SQL), group membership, alerts, then invoice scenarios."""
        # sudo: see _recompute_if_due
        self.env["ir.config_parameter"].sudo().set_param(
            "credit_relance.groups_recomputed_on", fields.Date.context_today(self).isoformat()
        )
        Partner = self.env["res.partner"]
        over_limit = Partner._credit_compute_receivable_stats()
        self._recompute_membership()
        Partner.browse(over_limit)._credit_alert_over_limit()
        changed = self.env["credit.relance.routing.rule"]._recompute_invoice_scenarios()
        # the invoices whose scenario changed (their own, or their customer's) get their next step again
        self.env["credit.relance.engine"]._project_next_steps([("id", "in", changed)])

    @api.model
    def _recompute_membership(self):
        """Store on every customer the first active group, by priority, whose criteria it matches.

        One search per group and one UPDATE per group whose members changed, whatever the
        number of customers. Customers who change group get a note and, when the new group
        has a collector, a to-do for that collector.

        :return: dict {partner id: (old group id, new group id)} of the changes
        """
        Partner = self.env["res.partner"]
        Partner.flush_model()
        customer_domain = self._get_customer_domain()
        current = {}
        for group, partners in Partner._read_group(
            expression.OR([customer_domain, [("credit_group_id", "!=", False)]]),
            ["credit_group_id"], ["id:recordset"],
        ):
            current.update(dict.fromkeys(partners._ids, group.id))
        assigned = {}
        for group in self.search([], order="sequence, id"):
            try:
                domain = group._get_partner_domain()
                partner_ids = list(Partner._search(expression.AND([customer_domain, domain])))
            except (DomainError, ValueError) as exc:
                # criteria saved before a field was removed (module uninstalled): the group keeps
                # its customers until a supervisor fixes it, nothing moves half-way
                _logger.warning("Dunning group %s skipped: its criteria cannot be applied: %s", group.id, exc)
                partner_ids = [pid for pid, gid in current.items() if gid == group.id]
            for partner_id in partner_ids:
                assigned.setdefault(partner_id, group.id)
        to_write = defaultdict(list)
        changes = {}
        for partner_id in current.keys() | assigned.keys():
            old, new = current.get(partner_id, False), assigned.get(partner_id, False)
            if old != new:
                to_write[new].append(partner_id)
                changes[partner_id] = (old, new)
        groups = self.with_context(active_test=False).browse([gid for gid in to_write if gid])
        scenarios = {group.id: group.scenario_id.id for group in groups}
        collectors = {group.id: group.collector_id.id for group in groups}
        for group_id, partner_ids in to_write.items():
            # Set-based: the ORM would flush the members by chunks of rows; the customer's scenario
            # (pinned one first) and collector are the stored computes of res.partner, kept in step.
            self.env.cr.execute(SQL(
                """
                UPDATE res_partner
                   SET credit_group_id = %(group)s,
                       credit_scenario_id = COALESCE(credit_scenario_pinned_id, %(scenario)s),
                       credit_collector_id = %(collector)s,
                       write_uid = %(uid)s,
                       write_date = NOW() AT TIME ZONE 'UTC'
                 WHERE id = ANY(%(ids)s)
                """,
                group=group_id or None,
                scenario=scenarios.get(group_id) or None,
                collector=collectors.get(group_id) or None,
                uid=self.env.uid,
                ids=partner_ids,
            ))
        if to_write:
            Partner.invalidate_model(["credit_group_id", "credit_scenario_id", "credit_collector_id",
                                      "write_uid", "write_date"])
        self._notify_group_changes({pid: change for pid, change in changes.items() if change[0]})
        self._recompute_ab_variants()
        return changes

    @api.model
    def _get_ab_variant(self, partner_id, group, pinned):
        """Variant of a customer in its group: None when pinned (out of the test), else ``a`` or ``b``.

        Extension point: override to exclude more customers from the tests.
        """
        if pinned:
            return None
        if not group.ab_scenario_id or not group.ab_share:
            return VARIANT_A
        return ab_variant(partner_id, group.id, group.ab_share)

    @api.model
    def _recompute_ab_variants(self):
        """Store each customer's A/B variant and the scenario it implies, set-based.

        One read of the customers with a group, one UPDATE per variant whose members changed and
        one UPDATE of the scenarios: the pinned scenario first, else the group's alternative one
        for variant ``b``, else the group's scenario.
        """
        Partner = self.env["res.partner"]
        Partner.flush_model(["credit_group_id", "credit_scenario_pinned_id", "credit_ab_variant"])
        self.flush_model(["scenario_id", "ab_scenario_id", "ab_share"])
        self.env.cr.execute(SQL(
            """
            SELECT id, credit_group_id, credit_scenario_pinned_id IS NOT NULL, credit_ab_variant
              FROM res_partner
             WHERE credit_group_id IS NOT NULL OR credit_ab_variant IS NOT NULL
            """
        ))
        rows = self.env.cr.fetchall()
        groups = {group.id: group for group in self.with_context(active_test=False).browse(
            {row[1] for row in rows if row[1]})}
        to_write = defaultdict(list)
        for partner_id, group_id, pinned, current in rows:
            variant = self._get_ab_variant(partner_id, groups[group_id], pinned) if group_id else None
            if variant != current:
                to_write[variant].append(partner_id)
        for variant, partner_ids in to_write.items():
            self.env.cr.execute(SQL(
                "UPDATE res_partner SET credit_ab_variant = %(variant)s WHERE id = ANY(%(ids)s)",
                variant=variant, ids=partner_ids,
            ))
        self.env.cr.execute(SQL(
            """
            WITH target AS (
                SELECT p.id,
                       COALESCE(p.credit_scenario_pinned_id,
                                CASE WHEN p.credit_ab_variant = 'b' AND g.ab_scenario_id IS NOT NULL
                                     THEN g.ab_scenario_id ELSE g.scenario_id END) AS scenario_id
                  FROM res_partner p
                  JOIN credit_relance_group g ON g.id = p.credit_group_id
            )
            UPDATE res_partner p
               SET credit_scenario_id = target.scenario_id
              FROM target
             WHERE target.id = p.id AND p.credit_scenario_id IS DISTINCT FROM target.scenario_id
            """
        ))
        Partner.invalidate_model(["credit_ab_variant", "credit_scenario_id"])
        self.invalidate_model(["partner_count", "ab_partner_count"])

    @api.model
    def _notify_group_changes(self, changes):
        """Note in each customer's chatter and a to-do for the new group's collector, in batch.

        :param changes: dict {partner id: (old group id, new group id)}
        """
        if not changes:
            return
        Partner = self.env["res.partner"]
        groups = self.with_context(active_test=False).browse(
            {gid for change in changes.values() for gid in change if gid}
        )
        names = {group.id: group.name for group in groups}
        collectors = {group.id: group.collector_id.id for group in groups}
        none = self.env._("no group")
        bodies = {}
        activities = []
        today = fields.Date.context_today(self)
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        for partner_id, (old, new) in changes.items():
            text = self.env._(
                "Dunning group changed from %(old)s to %(new)s.", old=names.get(old, none), new=names.get(new, none)
            )
            bodies[partner_id] = Markup("<p>%s</p>") % text
            if new and collectors.get(new):
                activities.append({
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": todo.id,
                    "user_id": collectors[new],
                    "date_deadline": today,
                    "summary": self.env._("Customer moved to the dunning group %(group)s", group=names[new]),
                    "note": text,
                })
        Partner.browse(list(bodies))._message_log_batch(bodies=bodies)
        if activities:
            # quick update: no e-mail per activity; the collectors see them in their activity menu
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(activities)
