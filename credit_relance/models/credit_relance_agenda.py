import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from .credit_relance_action import FOLLOWUP_CATEGORIES
from .credit_relance_step import CHANNELS

WINDOW_DAYS = 10
OPEN_STATES = ("planned", "to_validate", "to_do", "error")


class CreditRelanceAgenda(models.AbstractModel):
    """The numbers of the collector's agenda ("Mon agenda de relances").

    Rows: one per channel for actions planned by a scenario, then one per follow-up category
    for actions added by hand (promises, disputes...). Columns: done in the last 10 days, to do,
    of which automatic / to validate / manual, in error, and coming in the next 10 days (the
    invoices whose next scenario step falls due then, the promises to pay falling due).
    Every cell carries the model and domain of the list it opens, so that the figure and the
    list always agree. Counts take two grouped queries per column plus one count per coming
    cell of another model, whatever the number of actions and invoices.
    """

    _name = "credit.relance.agenda"
    _description = "Dunning agenda"

    @api.model
    def _columns(self, today):
        """``[(key, label, domain on credit.relance.action)]``; the coming column's cells of scenario
        rows and of promises list other records (see :meth:`_get_coming_cell`)."""
        since = today - datetime.timedelta(days=WINDOW_DAYS)
        until = today + datetime.timedelta(days=WINDOW_DAYS)
        due = [("state", "in", OPEN_STATES), ("planned_date", "<=", today)]
        return [
            ("done", self.env._("Done (%(days)s days)", days=WINDOW_DAYS),
             [("state", "=", "done"), ("done_date", ">=", fields.Datetime.to_datetime(since))]),
            ("to_do", self.env._("To do"), due),
            ("auto", self.env._("Automatic"), [*due, ("trigger_mode", "=", "auto")]),
            ("to_validate", self.env._("To validate"), [("state", "=", "to_validate"), ("planned_date", "<=", today)]),
            ("manual", self.env._("Manual"), [*due, ("trigger_mode", "=", "manual")]),
            ("error", self.env._("In error"), [("state", "=", "error")]),
            ("coming", self.env._("Coming (%(days)s days)", days=WINDOW_DAYS),
             [("state", "in", OPEN_STATES), ("planned_date", ">", today), ("planned_date", "<=", until)]),
        ]

    @api.model
    def _get_filter_fields(self):
        """Where each filter on top of the agenda applies, per model a cell may list.

        :returns: ``{model: {filter key: field path}}``; ``due`` and ``amount`` are ranges
        """
        return {
            "credit.relance.action": {
                "user_id": "user_id", "scenario_id": "scenario_id", "group_id": "partner_id.credit_group_id",
                "status_id": "line_ids.move_id.credit_status_id", "due": "line_ids.date_maturity",
                "amount": "amount_total", "risk_level": "partner_id.credit_risk_level", "company": "company_id",
            },
            # invoices coming: the responsible, scenario and date of their projected next step
            "account.move": {
                "user_id": "credit_next_user_id", "scenario_id": "credit_next_step_id.scenario_id",
                "group_id": "commercial_partner_id.credit_group_id", "status_id": "credit_status_id",
                "due": "invoice_date_due", "amount": "amount_residual_signed",
                "risk_level": "commercial_partner_id.credit_risk_level", "company": "company_id",
            },
            "credit.relance.promise": {
                "user_id": "user_id", "scenario_id": "partner_id.credit_scenario_id",
                "group_id": "partner_id.credit_group_id", "status_id": "move_ids.credit_status_id",
                "due": "move_ids.invoice_date_due", "amount": "amount", "risk_level": "partner_id.credit_risk_level",
                "company": "company_id",
            },
        }

    @api.model
    def _filter_domain(self, filters, model="credit.relance.action"):
        """Domain on ``model`` for the filters chosen on top of the agenda."""
        filters = filters or {}
        paths = self._get_filter_fields()[model]
        domain = []
        is_supervisor = self.env.user.has_group("credit_relance.credit_relance_group_supervisor")
        user_filter = filters.get("user_id", "me")
        if user_filter in ("me", None):
            domain.append((paths["user_id"], "=", self.env.uid))
        elif not is_supervisor:
            if user_filter is False or int(user_filter) != self.env.uid:
                raise AccessError(self.env._("Only supervisors can look at another collector's agenda."))
            domain.append((paths["user_id"], "=", self.env.uid))
        elif user_filter:
            domain.append((paths["user_id"], "=", int(user_filter)))
        simple = {
            "scenario_id": (paths["scenario_id"], "=", int),
            "group_id": (paths["group_id"], "=", int),
            "status_id": (paths["status_id"], "=", int),
            "due_from": (paths["due"], ">=", fields.Date.to_date),
            "due_to": (paths["due"], "<=", fields.Date.to_date),
            "amount_min": (paths["amount"], ">=", float),
            "amount_max": (paths["amount"], "<=", float),
            "risk_level": (paths["risk_level"], "=", str),
        }
        for key, (field, operator, cast) in simple.items():
            if filters.get(key) not in (None, "", False):
                if key == "risk_level" and "credit_risk_level" not in self.env["res.partner"]._fields:
                    continue
                domain.append((field, operator, cast(filters[key])))
        if filters.get("company_ids"):
            domain.append((paths["company"], "in", [int(c) for c in filters["company_ids"]]))
        return domain

    @api.model
    def _get_coming_cell(self, row_field, row_key, filters, today):
        """What the "coming" cell of a row lists, when it is not the row's planned actions.

        Scenario rows list the invoices whose next step on that channel falls due in the window
        (the projection stored by the engine, on invoices the engine may dun by the end of the
        window) and the invoices of that channel's actions already planned in the window
        (postponed ones); for users who cannot read invoices, the actions planned in the window.
        The promise row lists the open promises to pay falling due in the window.

        :param row_field: ``channel`` or ``followup_category``
        :returns: ``(res_model, domain)``, or None for the row's actions planned in the window
        """
        until = today + datetime.timedelta(days=WINDOW_DAYS)
        # users who cannot read invoices (collectors without invoicing rights) see the actions planned
        if row_field == "channel" and self.env["account.move"].has_access("read"):
            engine = self.env["credit.relance.engine"]
            company_ids = [int(c) for c in (filters or {}).get("company_ids") or []] or self.env.companies.ids
            dunnable = expression.OR([
                engine._get_dunnable_invoices_domain(company, until)
                for company in self.env["res.company"].browse(company_ids)
            ])
            projected = expression.AND([
                [("credit_next_step_date", ">", today), ("credit_next_step_date", "<=", until),
                 ("credit_next_step_id.channel", "=", row_key)],
                dunnable,
                self._filter_domain(filters, "account.move"),
            ])
            planned_actions = expression.AND([
                self._filter_domain(filters), [("scenario_id", "!=", False), ("channel", "=", row_key)],
                [("state", "in", OPEN_STATES), ("planned_date", ">", today), ("planned_date", "<=", until)],
            ])
            planned = [("credit_action_line_ids", "any", [("skipped", "=", False),
                                                          ("action_id", "any", planned_actions)])]
            return "account.move", expression.OR([projected, planned])
        if row_key == "promise":
            return "credit.relance.promise", expression.AND([
                [("state", "=", "open"), ("date", ">", today), ("date", "<=", until)],
                self._filter_domain(filters, "credit.relance.promise"),
            ])
        return None

    @api.model
    @api.readonly  # reads only: served by a read replica when Odoo has one (db_replica_host)
    def get_agenda(self, filters=None):
        """Counts and the lists they open, of every cell, for the OWL dashboard.

        :param filters: dict with optional keys ``user_id`` ("me", a user id, or False for
            everybody: supervisors only), ``scenario_id``, ``group_id``, ``status_id``,
            ``risk_level``, ``due_from``, ``due_to``, ``amount_min``, ``amount_max``,
            ``company_ids``
        :returns: ``{"columns": [{key, label}], "sections": [{label, rows: [{key, label,
            cells: {column: {count, res_model, domain, views}}}]}]}``
        """
        today = fields.Date.context_today(self)
        Action = self.env["credit.relance.action"]
        base = self._filter_domain(filters)
        columns = self._columns(today)
        scenario_base = [*base, ("scenario_id", "!=", False)]
        followup_base = [*base, ("scenario_id", "=", False)]
        channel_rows = [(key, label, [("channel", "=", key)]) for key, label in self._channel_labels()]
        category_labels = dict(self._fields_category_labels())
        followup_rows = [
            (key, category_labels[key], [("followup_category", "=", key)]) for key, _l in FOLLOWUP_CATEGORIES
        ]
        counts = {}
        for col_key, _label, col_domain in columns:
            for group_field, row_base in (("channel", scenario_base), ("followup_category", followup_base)):
                domain = expression.AND([row_base, col_domain])
                for value, count in Action._read_group(domain, [group_field], ["__count"]):
                    counts[(group_field, value, col_key)] = count
        views = {"account.move": [[self.env.ref("credit_relance.account_move_view_list_credit_next_step").id, "list"],
                                  [False, "form"]]}

        def cell(group_field, row_key, row_base, row_domain, col_key, col_domain):
            coming = col_key == "coming" and self._get_coming_cell(group_field, row_key, filters, today)
            if coming:
                res_model, domain = coming
                count = self.env[res_model].search_count(domain)
            else:
                res_model, domain = Action._name, expression.AND([row_base, row_domain, col_domain])
                count = counts.get((group_field, row_key, col_key), 0)
            return {"count": count, "res_model": res_model, "domain": domain,
                    "views": views.get(res_model, [[False, "list"], [False, "form"]])}

        def section(label, group_field, row_base, rows):
            return {
                "label": label,
                "rows": [{
                    "key": row_key,
                    "label": row_label,
                    "cells": {
                        col_key: cell(group_field, row_key, row_base, row_domain, col_key, col_domain)
                        for col_key, _l, col_domain in columns
                    },
                } for row_key, row_label, row_domain in rows],
            }

        return {
            "columns": [{"key": key, "label": label} for key, label, _d in columns],
            "sections": [
                section(self.env._("My scenario actions"), "channel", scenario_base, channel_rows),
                section(self.env._("My follow-up actions"), "followup_category", followup_base, followup_rows),
            ],
        }

    @api.model
    @api.readonly
    def get_filter_options(self):
        """Choices for the filters on top of the agenda, readable by the current user."""
        is_supervisor = self.env.user.has_group("credit_relance.credit_relance_group_supervisor")
        collectors = self.env["res.users"]
        if is_supervisor:
            group = self.env.ref("credit_relance.credit_relance_group_collector")
            # sudo: a supervisor may not read res.groups' users; only names of collectors leave here
            collectors = group.sudo().users.filtered(lambda u: u.company_ids & self.env.companies)
        partner_fields = self.env["res.partner"]._fields
        return {
            "is_supervisor": is_supervisor,
            "collectors": [{"id": u.id, "name": u.name} for u in collectors],
            "scenarios": [{"id": s.id, "name": s.display_name} for s in self.env["credit.relance.scenario"].search([])],
            "groups": [{"id": g.id, "name": g.display_name} for g in self.env["credit.relance.group"].search([])],
            "statuses": [{"id": s.id, "name": s.display_name} for s in self.env["credit.relance.status"].search([])],
            "risk_levels": [
                {"id": key, "name": label}
                for key, label in (partner_fields["credit_risk_level"]._description_selection(self.env)
                                   if "credit_risk_level" in partner_fields else [])
            ],
            "companies": [{"id": c.id, "name": c.name} for c in self.env.companies],
        }

    def _channel_labels(self):
        return self.env["credit.relance.action"]._fields["channel"]._description_selection(self.env) or CHANNELS

    def _fields_category_labels(self):
        return self.env["credit.relance.action"]._fields["followup_category"]._description_selection(self.env)
