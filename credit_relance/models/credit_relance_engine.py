import datetime
import html
import logging
import re
import uuid
from collections import defaultdict

import psycopg2.errors
import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, split_every

from ..tools import business_hours
from ..tools.late_interest import MissingRateError, late_interest
from ..tools.phone import InvalidPhoneError, to_e164
from ..tools.planning import due_steps, next_step
from .credit_relance_action import FOLLOWUP_PRIORITY
from .credit_relance_step import CHANNELS
from .mail_render_mixin import OBJECT_CONTEXT

_logger = logging.getLogger(__name__)

# Top 16 bits of the bigint key of the planning advisory locks ("CR"), below the company and customer.
PLANNING_LOCK_NAMESPACE = 0x4352
# invoices whose next step is projected per round of queries
PROJECTION_CHUNK = 10000
LETTER_REPORT = "credit_relance.credit_relance_letter_report"
INVOICE_REPORT = "account.account_invoices"


class CreditRelanceActionError(UserError):
    """An action cannot be executed; the message is shown on the action.

    ``transient`` tells whether the cause may go away by itself (a crashed PDF engine), so that
    the action is tried again automatically; bad data (no address, invalid number, broken
    template) waits for a person.
    """

    def __init__(self, message, transient=False):
        super().__init__(message)
        self.transient = transient


class CreditRelanceEngine(models.AbstractModel):
    """The daily dunning run: selects due (invoice, step) pairs, creates the actions and executes them.

    Entry points: :meth:`_cron_daily_run` (the cron, commits per batch), :meth:`_run_company` (a
    company, no commit: buttons and tests), :meth:`_execute_actions` (given actions). Extension
    points: :meth:`_get_dunnable_invoices_domain`, :meth:`_filter_dunnable_invoices`,
    :meth:`_get_invoice_scenarios`, :meth:`_prepare_action_vals`, :meth:`_get_render_context`.
    """

    _name = "credit.relance.engine"
    _description = "Dunning engine"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_daily_run(self):
        """Run every company, committing after each batch.

        The cron commits per batch so that a crash or a timeout keeps the work done so far;
        each batch is safe to replay (unique (invoice, step) keys, actions claimed with SKIP LOCKED,
        state written in the same transaction as the queued e-mail or SMS).
        """
        on_batch = self._cron_batch_progress()
        for company in self.env["res.company"].search([]):
            try:
                if self._use_queue_job(company):
                    # the batches run as queue jobs, on any worker of the cluster; they exist once committed
                    self.with_company(company)._enqueue_company(company)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    continue
                engine = self.with_company(company)
                today = engine._get_company_today(company)
                engine._prepare_run(company, today)
                engine._share_run(company, today)
                engine._run_batches(company, today, on_batch=on_batch)
            except Exception:
                # one company's failure must not stop the others: drop its unfinished batch, go on
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                _logger.exception("Daily dunning run of company %s failed", company.id)
        on_batch(0, 0)

    @api.model
    def _cron_share_daily_run(self):
        """A second cron worker's share of today's daily run (scheduled action *Credit: daily
        dunning run, second worker*, triggered by the run once a company's run is prepared).

        For each company whose run is prepared for today (groups recomputed, promises checked),
        it plans and executes the batches the first worker has not taken: each batch is planned
        under its lock, and a batch already planned creates nothing. Its own projection of the
        next steps is refreshed after its planning; alerts stay with the first worker.
        """
        on_batch = self._cron_batch_progress()
        for company in self.env["res.company"].search([("credit_run_prepared_date", "!=", False)]):
            engine = self.with_company(company)
            today = engine._get_company_today(company)
            if company.credit_run_prepared_date != today or self._use_queue_job(company):
                continue
            try:
                engine._run_batches(company, today, on_batch=on_batch, send_alerts=False)
                self.env.cr.commit()  # pylint: disable=invalid-commit
            except Exception:
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                _logger.exception("Second worker of the daily dunning run of company %s failed", company.id)
        on_batch(0, 0)

    def _cron_batch_progress(self):
        """The ``on_batch`` of a cron: report the customers done to the cron, then commit (what
        makes a killed run resumable). ``on_batch(0, 0)`` reports the end."""
        progress = {"done": 0}

        def on_batch(count, remaining):
            progress["done"] += count
            self.env["ir.cron"]._notify_progress(done=progress["done"], remaining=remaining)
            self.env.cr.commit()  # pylint: disable=invalid-commit

        return on_batch

    def _share_run(self, company, today):
        """Mark today's run of ``company`` prepared, commit, and wake the second worker: an idle
        cron thread (Odoo starts two by default) then takes the batches this one has not."""
        company.credit_run_prepared_date = today
        cron = self.env.ref("credit_relance.ir_cron_daily_run_second_worker", raise_if_not_found=False)
        if cron and cron.active:
            cron._trigger()
        self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _run_company(self, company, today=None, on_batch=None, partners=None):
        """Plan then execute the dunning of ``company`` for ``today``.

        :param on_batch: callable ``(done, remaining)`` called after each batch (the cron commits there)
        :param partners: restrict to these customers (re-run a customer's dunning now)
        :returns: dict with the counts of planned and executed actions
        """
        engine = self.with_company(company)
        today = today or engine._get_company_today(company)
        engine._prepare_run(company, today)
        return engine._run_batches(company, today, on_batch=on_batch, partners=partners)

    def _prepare_run(self, company, today):
        """What concerns the whole company before its batches: groups, then promises due."""
        self._hook_before_planning(company, today)
        self.env["credit.relance.promise"]._check_due_promises(company, today)

    def _run_batches(self, company, today, on_batch=None, partners=None, send_alerts=True):
        """Plan, refresh the projection, execute, then alert: the batches of :meth:`_run_company`
        (the second worker leaves the alerts to the first)."""
        planned = self._plan(company, today, on_batch=on_batch, partners=partners)
        self._project_next_steps(self._get_projection_refresh_domain(company, today, partners), today)
        executed = self._execute_due(company, today, on_batch=on_batch, partners=partners)
        if send_alerts:
            self._send_alerts(company, today)
        return {"planned": planned, "executed": executed}

    def _get_company_today(self, company):
        return fields.Date.context_today(self.with_context(tz=self._get_company_tz(company).zone))

    # --- optional: the batches as OCA queue_job jobs ----------------------

    QUEUE_JOB_CHANNEL = "root.credit_relance"

    def _use_queue_job(self, company):
        """Whether the daily run of ``company`` goes through queue jobs: the company asks for it and
        OCA's queue_job (optional, never a dependency) is installed."""
        return bool(company.credit_use_queue_job) and "queue.job" in self.env

    @api.model
    def _enqueue_company(self, company, today=None):
        """The daily run of ``company`` as queue jobs: what concerns the whole company now, then one
        job per batch of customers (:meth:`_job_run_batch`).

        A batch holds the customers to plan and those with actions to execute; the job's identity
        key (company, day, customers) keeps a second run of the cron from enqueuing it again while
        it waits. Returns the count of jobs.
        """
        engine = self.with_company(company)
        today = today or engine._get_company_today(company)
        engine._hook_before_planning(company, today)
        engine.env["credit.relance.promise"]._check_due_promises(company, today)
        batches = engine._get_run_batches(company, today)
        for chunk in batches:
            engine.with_delay(
                channel=self.QUEUE_JOB_CHANNEL,
                identity_key=f"credit_relance_batch-{company.id}-{today}-{chunk[0]}-{chunk[-1]}-{len(chunk)}",
                description=self.env._("Daily dunning of %(company)s: customers %(first)s to %(last)s",
                                       company=company.name, first=chunk[0], last=chunk[-1]),
            )._job_run_batch(company, today, chunk)
        return len(batches)

    def _get_run_batches(self, company, today):
        """The customers of the daily run, cut in batches: those to plan, and those with actions to
        execute, retry or alert about."""
        partner_ids = set(self._get_dunnable_partner_ids(self._get_dunnable_invoices_domain(company, today)))
        partner_ids.update(partner.id for partner, in self.env["credit.relance.action"]._read_group(
            [("company_id", "=", company.id), ("planned_date", "<=", today),
             "|", ("state", "=", "planned"),
             "&", ("state", "=", "error"), "|", ("next_retry", "!=", False), ("error_alerted", "=", False)],
            ["partner_id"],
        ))
        return list(split_every(company.credit_batch_size or 1000, sorted(partner_ids), list))

    def _job_run_batch(self, company, today, partner_ids):
        """A queue job: one batch of the daily run, planned then executed, as the cron does it.

        Safe to run twice or beside another run: the planning of a batch is locked and its actions
        have unique (invoice, step) keys; the execution claims the actions with SKIP LOCKED.
        """
        engine = self.with_company(company)
        partners = self.env["res.partner"].browse(partner_ids)
        planned = engine._plan_chunk(company, today, engine._get_dunnable_invoices_domain(company, today), partner_ids)
        executed = engine._execute_due(company, today, partners=partners)
        engine._send_alerts(company, today, partners=partners)
        return self.env._("%(planned)s actions planned, %(executed)s executed.", planned=planned or 0,
                          executed=executed)

    @api.model
    def _run_partners_now(self, partners):
        """Re-run the dunning of ``partners`` now, in each of their companies (manual control)."""
        if not self.env.user.has_group("credit_relance.credit_relance_group_collector"):
            raise AccessError(self.env._("Only collectors can run the dunning of a customer."))
        result = {"planned": 0, "executed": 0}
        # sudo: like the cron, the run reads invoices and payments and writes actions, activities
        # and messages across the company; the caller's right to dun is checked above
        engine = self.sudo()
        for company in self.env.companies:
            counts = engine.with_company(company)._run_company(company, partners=partners.commercial_partner_id.sudo())
            result = {key: result[key] + counts[key] for key in result}
        return result

    @api.model
    def action_run_today(self):
        """Run today's dunning of the current company now (supervisors' menu); safe during the cron."""
        if not self.env.user.has_group("credit_relance.credit_relance_group_supervisor"):
            raise AccessError(self.env._("Only supervisors can run the dunning of the whole company."))
        company = self.env.company
        # sudo: the run works across the company like the cron does; the right is checked above
        counts = self.sudo().with_company(company)._run_company(company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(planned)s actions planned, %(executed)s executed.", **counts),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _hook_before_planning(self, company, today):
        """Called before planning: group recomputation plugs in here."""
        groups = self.env["credit.relance.group"]
        if hasattr(groups, "_recompute_if_due"):
            groups._recompute_if_due(company)

    # ------------------------------------------------------------------
    # Selection
    # ------------------------------------------------------------------

    @api.model
    def _get_dunnable_invoices_domain(self, company, today):
        """Domain of the open customer invoices that may be dunned today in ``company``.

        Override to exclude more invoices (e.g. disputes); keep it a domain so the selection
        stays one query.
        """
        max_advance = self._get_max_advance_days(company)
        not_paused_status = ["|", "|", ("credit_status_id", "=", False),
                             ("credit_status_id.pause_dunning", "=", False),
                             ("credit_status_id.pause_until_date", "=", True)]
        not_paused_substatus = ["|", "|", ("credit_substatus_id", "=", False),
                                ("credit_substatus_id.pause_dunning", "=", False),
                                ("credit_substatus_id.pause_until_date", "=", True)]
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
            ("payment_state", "not in", ("in_payment", "paid", "reversed")),
            ("credit_dunning_blocked", "=", False),
            ("invoice_date_due", "<=", today + datetime.timedelta(days=max_advance)),
            "|", ("credit_pause_until", "=", False), ("credit_pause_until", "<=", today),
            *not_paused_status,
            *not_paused_substatus,
            # the few customers not to dun, found through their index: not a scan of every customer
            ("commercial_partner_id", "not any", [
                ("credit_do_not_dun", "=", True),
                "|", ("credit_do_not_dun_until", "=", False), ("credit_do_not_dun_until", ">=", today),
            ]),
        ]

    def _filter_dunnable_invoices(self, moves):
        """Drop invoices that the domain cannot express. ``moves`` is one batch; return a subset."""
        return moves

    def _get_invoice_scenarios(self, moves):
        """The scenario of each invoice: ``{move_id: credit.relance.scenario}``.

        The invoice's own scenario (set by the routing rules at the daily recomputation), else
        its customer's.
        """
        return {move.id: move.credit_scenario_id or move.commercial_partner_id.credit_scenario_id for move in moves}

    @api.model
    def _get_max_advance_days(self, company):
        """How many days before its due date the earliest step of any scenario acts (>= 0)."""
        steps = self.env["credit.relance.step"]._read_group(
            [("scenario_id.active", "=", True), ("company_id", "in", [company.id, False])],
            aggregates=["offset_days:min"],
        )
        earliest = steps[0][0] if steps and steps[0][0] is not None else 0
        return max(0, -earliest)

    # ------------------------------------------------------------------
    # Projection: the next step of each open invoice
    # ------------------------------------------------------------------

    @api.model
    def _get_projection_domain(self):
        """Invoices that get a projected next step: open posted customer invoices."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
            ("payment_state", "not in", ("in_payment", "paid", "reversed")),
        ]

    @api.model
    def _get_projection_refresh_domain(self, company, today, partners=None):
        """Invoices whose projection the daily run refreshes after planning: those whose next step
        was due by today (the run may have taken it) and those without a projection yet."""
        domain = [("company_id", "=", company.id),
                  "|", ("credit_next_step_date", "<=", today), ("credit_next_step_id", "=", False)]
        if partners:
            domain.append(("commercial_partner_id", "in", partners.commercial_partner_id.ids))
        return domain

    def _get_projection_resume_date(self, move):
        """The first day ``move`` may be dunned again after a pause (its own, its customer's), or None."""
        partner = move.commercial_partner_id
        dates = [move.credit_pause_until]
        if partner.credit_do_not_dun and partner.credit_do_not_dun_until:
            dates.append(partner.credit_do_not_dun_until + datetime.timedelta(days=1))
        return max((date for date in dates if date), default=None)

    def _get_ordered_steps(self, scenarios, fnames=()):
        """``{scenario_id: [steps in the order they run]}`` of ``scenarios``, in one query, with the
        fields the selection and the responsible need and ``fnames``."""
        steps_by_scenario = defaultdict(list)
        for step in self.env["credit.relance.step"].search_fetch(
            [("scenario_id", "in", scenarios.ids)],
            ["scenario_id", "offset_days", "sequence", "responsible_type", "responsible_user_id", *fnames],
        ).sorted(lambda s: (s.offset_days, s.sequence, s.id)):
            steps_by_scenario[step.scenario_id.id].append(step)
        return steps_by_scenario

    def _get_done_steps(self, moves):
        """``{move_id: {step ids it went through}}``, in one query."""
        done_steps = defaultdict(set)
        for move, step_ids in self.env["credit.relance.action.line"]._read_group(
            [("move_id", "in", moves.ids), ("step_id", "!=", False)], ["move_id"], ["step_id:array_agg"],
        ):
            done_steps[move.id] = set(step_ids)
        return done_steps

    @api.model
    def _project_next_steps(self, domain, today=None):
        """Store on the invoices of ``domain`` the step the daily run takes next, its date and
        its responsible (``credit_next_step_id``, ``credit_next_step_date``, ``credit_next_user_id``).

        The step follows the planning rules (:meth:`_get_invoice_scenarios`, the steps already
        run on the invoice, :func:`~odoo.addons.credit_relance.tools.planning.next_step`, the
        end of the invoice's pause); the minimum interval and the minimum amount of a step are
        left to the day of the run. Invoices no longer open lose their projection. Whether an
        invoice may be dunned at all (pauses by status, exclusions, disputes) is not stored: the
        agenda applies :meth:`_get_dunnable_invoices_domain` when it reads the projection.

        Set-based: four queries per chunk of invoices, the changed rows written with one UPDATE.

        :param domain: the invoices to refresh (e.g. one company's)
        :param today: the day of the projection, today by default
        :returns: number of invoices whose projection changed
        """
        today = today or fields.Date.context_today(self)
        Move = self.env["account.move"]
        open_domain = self._get_projection_domain()
        move_ids = list(Move._search(expression.AND([
            domain, expression.OR([open_domain, [("credit_next_step_id", "!=", False)]]),
        ])))
        changed = 0
        for chunk in split_every(PROJECTION_CHUNK, move_ids, list):
            moves = Move.browse(chunk)
            moves.fetch(["move_type", "state", "amount_residual", "payment_state", "invoice_date_due",
                         "credit_pause_until", "credit_scenario_id", "commercial_partner_id", "credit_next_step_id",
                         "credit_next_step_date", "credit_next_user_id"])
            open_moves = moves.filtered_domain(open_domain)
            open_moves.commercial_partner_id.fetch(["credit_scenario_id", "credit_collector_id", "user_id",
                                                     "credit_do_not_dun", "credit_do_not_dun_until"])
            scenarios = self._get_invoice_scenarios(open_moves)
            active = self.env["credit.relance.scenario"].union(*scenarios.values()).filtered("active")
            steps_by_scenario = self._get_ordered_steps(active)
            step_pairs = {sid: [(s.id, s.offset_days) for s in ordered] for sid, ordered in steps_by_scenario.items()}
            step_by_id = {s.id: s for ordered in steps_by_scenario.values() for s in ordered}
            open_ids, active_ids = set(open_moves.ids), set(active.ids)
            done_steps = self._get_done_steps(open_moves)
            rows = []
            for move in moves:
                step, date, user = self.env["credit.relance.step"], False, self.env["res.users"]
                scenario = scenarios.get(move.id)
                if move.id in open_ids and scenario and scenario.id in active_ids and move.invoice_date_due:
                    step_id, date = next_step(
                        move.invoice_date_due, step_pairs.get(scenario.id, []), done_steps[move.id], today,
                        resume=self._get_projection_resume_date(move),
                    )
                    step = step_by_id.get(step_id, step)
                    date = date or False
                    user = self._get_responsible(step, move.commercial_partner_id) if step else user
                if (step, date, user) != (move.credit_next_step_id, move.credit_next_step_date,
                                          move.credit_next_user_id):
                    rows.append(SQL("(%s::int, %s::int, %s::date, %s::int)", move.id, step.id or None, date or None,
                                    user.id or None))
            if rows:
                self.env.cr.execute(SQL(
                    """UPDATE account_move m
                          SET credit_next_step_id = v.step_id, credit_next_step_date = v.step_date,
                              credit_next_user_id = v.user_id
                         FROM (VALUES %s) AS v(id, step_id, step_date, user_id)
                        WHERE m.id = v.id""",
                    SQL(", ").join(rows),
                ))
                moves.invalidate_recordset(["credit_next_step_id", "credit_next_step_date", "credit_next_user_id"])
                changed += len(rows)
        return changed

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------

    @api.model
    def _plan(self, company, today, on_batch=None, partners=None):
        """Create today's actions for ``company``, by batches of customers. Returns the count created."""
        domain = self._get_dunnable_invoices_domain(company, today)
        if partners:
            domain += [("commercial_partner_id", "in", partners.commercial_partner_id.ids)]
        partner_ids = self._get_dunnable_partner_ids(domain)
        batch_size = company.credit_batch_size or 1000
        created, done = 0, 0
        for chunk in split_every(batch_size, partner_ids, list):
            done += len(chunk)
            count = self._plan_chunk(company, today, domain, chunk)
            if count is None:
                continue  # planned elsewhere right now
            created += count
            if on_batch:
                on_batch(len(chunk), len(partner_ids) - done)
        return created

    def _get_dunnable_partner_ids(self, domain):
        """The customers of the invoices of ``domain``, sorted: the order the batches are cut in."""
        groups = self.env["account.move"]._read_group(domain, ["commercial_partner_id"])
        return sorted(partner.id for partner, in groups)

    def _plan_chunk(self, company, today, domain, partner_ids):
        """Plan one batch of customers under its lock, in a savepoint.

        :returns: the count of actions created, ``None`` when another worker plans the batch now
        """
        if not self._lock_planning(company, partner_ids[0]):
            # another worker plans this batch right now: leave it to it, take the next one
            _logger.info("Dunning batch of %s from customer %s is planned elsewhere.", company.name, partner_ids[0])
            return None
        try:
            with self.env.cr.savepoint():
                return len(self._plan_batch(company, today, domain, partner_ids))
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure):
            # a concurrent run planned the same (invoice, step) first: its actions stand
            _logger.info("Dunning planning batch of %s already done by another run.", company.name)
            return 0

    def _lock_planning(self, company, first_partner_id):
        """Transaction-level lock on one batch (company, first customer of the batch).

        Two runs never plan the same batch at the same time; several cron workers share a run by
        taking the batches the others do not hold. Batches cut differently by two runs are still
        protected by the unique (invoice, step) key.
        """
        key = (PLANNING_LOCK_NAMESPACE << 48) | ((company.id & 0xFFFF) << 32) | (first_partner_id & 0xFFFFFFFF)
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", key))
        return self.env.cr.fetchone()[0]

    def _plan_batch(self, company, today, domain, partner_ids):
        """Plan one batch of customers; a fixed number of queries whatever the number of invoices.

        The batch is planned set-based (:meth:`_plan_batch_sql`: one statement selects the due
        (invoice, step) pairs and inserts the actions and their lines) unless an extension
        changes how the actions are built, then through the ORM (:meth:`_plan_batch_orm`).
        """
        if self._plan_is_set_based():
            actions = self._plan_batch_sql(company, today, domain, partner_ids)
        else:
            actions = self._plan_batch_orm(company, today, domain, partner_ids)
        self._after_planning(actions)
        return actions

    # the hooks through which an extension changes the selection or the values of the actions:
    # overriding one of them plans through the ORM, where they are called
    _PLANNING_ORM_HOOKS = ("_filter_dunnable_invoices", "_get_invoice_scenarios", "_prepare_action_vals",
                           "_get_responsible", "_create_actions")
    # the stored fields :meth:`_plan_batch_sql` fills; the other columns stay empty, as the ORM leaves them
    _PLANNING_SQL_FIELDS = {
        "credit.relance.action": {
            "id", "partner_id", "company_id", "scenario_id", "step_id", "planned_date", "channel", "trigger_mode",
            "state", "user_id", "name", "amount_total", "date_maturity", "followup_category", "credit_group_id",
            "ab_variant", "create_uid", "write_uid", "create_date", "write_date",
        },
        "credit.relance.action.line": {
            "id", "action_id", "move_id", "step_id", "date_maturity", "days_late", "amount_residual", "skipped",
        },
    }

    # the same for the activities of the manual actions planned (:meth:`_create_activities_sql`)
    _ACTIVITY_ORM_HOOKS = ("_create_activities", "_get_activity_note", "_get_activity_deadline")
    _ACTIVITY_SQL_FIELDS = {
        "mail.activity": {
            "id", "res_model_id", "res_model", "res_id", "res_name", "activity_type_id", "summary", "note",
            "date_deadline", "automated", "user_id", "user_tz", "active", "create_uid", "write_uid", "create_date",
            "write_date",
            # left empty by the ORM path too
            "date_done", "previous_activity_type_id", "recommended_activity_type_id", "request_partner_id",
        },
        "mail.followers": {"id", "res_model", "res_id", "partner_id"},
    }

    def _plan_is_set_based(self):
        """Whether :meth:`_plan_batch_sql` gives what the ORM would: no extension overrides a
        planning hook, nor adds to actions or lines a stored field with a default or a compute."""
        return self._is_set_based(self._PLANNING_ORM_HOOKS, self._PLANNING_SQL_FIELDS)

    def _is_set_based(self, hooks, fields_by_model):
        """Whether no extension overrides one of ``hooks`` of the engine, nor adds to the models of
        ``fields_by_model`` a stored field beyond those given that has a default or a compute."""
        cls = type(self)
        if any(getattr(cls, name) is not getattr(CreditRelanceEngine, name) for name in hooks):
            return False
        for model_name, filled in fields_by_model.items():
            for field in self.env[model_name]._fields.values():
                if field.store and field.column_type and field.name not in filled and (
                    field.default or field.compute or field.related
                ):
                    return False
        return True

    def _plan_batch_sql(self, company, today, domain, partner_ids):
        """Plan one batch in one statement: the due (invoice, step) pairs, the actions, their lines.

        What :meth:`_plan_batch_orm` does through the ORM, set-based: per invoice the most advanced
        due step after its progress (:func:`~odoo.addons.credit_relance.tools.planning.due_steps`);
        per customer and step one action unless too soon after the previous reminder
        (``min_interval_days``) or below the step's ``min_residual``; the responsible as
        :meth:`_get_responsible`; the stored computed fields of the actions (name, totals,
        category, group snapshot) as their computes give them. Actions get no creation message
        nor followers, like the ORM path's context.

        :returns: the created actions
        """
        Action = self.env["credit.relance.action"]
        self.env.flush_all()
        moves = self.env["account.move"]._search(domain + [("commercial_partner_id", "in", partner_ids)])
        state = SQL("CASE st.trigger_mode WHEN 'auto' THEN 'planned' WHEN 'validate' THEN 'to_validate' "
                    "ELSE 'to_do' END")
        responsible = SQL(
            """CASE WHEN st.responsible_type = 'user' AND st.responsible_user_id IS NOT NULL
                    THEN st.responsible_user_id
                    WHEN st.responsible_type = 'salesperson' AND p.user_id IS NOT NULL THEN p.user_id
                    ELSE COALESCE(p.credit_collector_id, p.user_id, st.responsible_user_id) END""")
        # the name as _compute_name gives it (the customer's display name is its complete name)
        label = SQL("COALESCE(NULLIF(%s, ''), %s)", self.env["credit.relance.step"]._field_to_sql("st", "name"),
                    SQL("CASE st.channel %s END", SQL(" ").join(
                        SQL("WHEN %s THEN %s", key, value) for key, value in CHANNELS)))
        now = SQL("now() AT TIME ZONE 'UTC'")
        self.env.cr.execute(SQL(
            """
            WITH moves AS (
                SELECT m.move_id, m.partner_id, m.due_date, m.residual, m.status_id,
                       -- the customer's by its key: a join would scan every customer per batch
                       COALESCE(m.scenario_id, (SELECT p.credit_scenario_id FROM res_partner p
                                                 WHERE p.id = m.partner_id)) AS scenario_id
                  FROM (%(moves)s) AS m
                 WHERE m.due_date IS NOT NULL
            ), steps AS (
                SELECT st.id AS step_id, st.scenario_id, st.offset_days,
                       row_number() OVER (PARTITION BY st.scenario_id
                                          ORDER BY st.offset_days, st.sequence, st.id) AS rank
                  FROM credit_relance_step st
                  JOIN credit_relance_scenario sc ON sc.id = st.scenario_id AND sc.active
                 WHERE st.scenario_id IN (SELECT scenario_id FROM moves)
            ), progress AS (
                -- each invoice's progress in its scenario: the rank of the most advanced step it
                -- went through (probed per invoice: most have no line yet)
                SELECT mv.*, COALESCE((SELECT max(s.rank)
                                         FROM credit_relance_action_line l
                                         JOIN steps s ON s.step_id = l.step_id
                                        WHERE l.move_id = mv.move_id AND s.scenario_id = mv.scenario_id), 0) AS rank
                  FROM moves mv
            ), pending AS (
                -- per invoice the most advanced due step after its progress: the one it runs
                SELECT DISTINCT ON (mv.move_id) mv.move_id, mv.partner_id, mv.due_date, mv.residual, mv.status_id,
                       s.step_id
                  FROM progress mv
                  JOIN steps s ON s.scenario_id = mv.scenario_id
                 WHERE mv.due_date + s.offset_days <= %(today)s AND s.rank > mv.rank
                 ORDER BY mv.move_id, s.rank DESC
            ), grouped AS (
                SELECT pd.partner_id, pd.step_id, sum(pd.residual) AS amount_total,
                       min(pd.due_date) AS date_maturity,
                       min(array_position(%(priority)s::varchar[], cs.category::varchar)) AS category_rank
                  FROM pending pd
                  LEFT JOIN credit_relance_status cs ON cs.id = pd.status_id
                 GROUP BY pd.partner_id, pd.step_id
            ), last_reminder AS (
                SELECT partner_id, max(planned_date) AS planned_date
                  FROM credit_relance_action
                 WHERE company_id = %(company)s AND partner_id IN %(partners)s AND planned_date < %(today)s
                   AND state IN ('planned', 'to_validate', 'to_do', 'done')
                 GROUP BY partner_id
            ), actions AS (
                INSERT INTO credit_relance_action (
                    partner_id, company_id, scenario_id, step_id, planned_date, channel, trigger_mode, state,
                    user_id, name, amount_total, date_maturity, followup_category, credit_group_id, ab_variant,
                    create_uid, write_uid, create_date, write_date)
                SELECT g.partner_id, %(company)s, st.scenario_id, st.id, %(today)s, st.channel, st.trigger_mode,
                       %(state)s, %(responsible)s, concat(p.complete_name, ' - ', %(label)s),
                       g.amount_total, g.date_maturity,
                       COALESCE((%(priority)s::varchar[])[g.category_rank], 'in_progress'),
                       p.credit_group_id, p.credit_ab_variant, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM grouped g
                  JOIN credit_relance_step st ON st.id = g.step_id
                  JOIN credit_relance_scenario sc ON sc.id = st.scenario_id
                  JOIN res_partner p ON p.id = g.partner_id
                  LEFT JOIN last_reminder lr ON lr.partner_id = g.partner_id
                 -- too soon after the previous reminder, or too small: the step stays due for a later day
                 WHERE (COALESCE(sc.min_interval_days, 0) = 0 OR lr.planned_date IS NULL
                        OR %(today)s - lr.planned_date >= sc.min_interval_days)
                   AND (COALESCE(st.min_residual, 0) = 0 OR g.amount_total >= st.min_residual)
                 ORDER BY g.partner_id, st.id
             RETURNING id, partner_id, step_id
            ), lines AS (
                INSERT INTO credit_relance_action_line (
                    action_id, move_id, step_id, date_maturity, days_late, amount_residual, skipped)
                SELECT a.id, pd.move_id, pd.step_id, pd.due_date, %(today)s - pd.due_date, pd.residual, false
                  FROM pending pd
                  JOIN actions a ON a.partner_id = pd.partner_id AND a.step_id = pd.step_id
            )
            SELECT id FROM actions ORDER BY id
            """,
            moves=moves.select(*(
                SQL("%s AS %s", SQL.identifier(moves.table, fname), SQL.identifier(alias)) for fname, alias in (
                    ("id", "move_id"), ("commercial_partner_id", "partner_id"), ("invoice_date_due", "due_date"),
                    ("amount_residual_signed", "residual"), ("credit_status_id", "status_id"),
                    ("credit_scenario_id", "scenario_id"),
                ))), today=today, company=company.id, partners=tuple(partner_ids),
            priority=FOLLOWUP_PRIORITY, state=state, responsible=responsible,
            label=label, uid=self.env.uid, now=now,
        ))
        ids = [row[0] for row in self.env.cr.fetchall()]
        # the actions and lines are new to the ORM: nothing cached may miss them
        Action.invalidate_model()
        self.env["credit.relance.action.line"].invalidate_model()
        actions = Action.browse(ids)
        # what _after_planning reads of them, without the other columns
        actions.fetch(["partner_id", "company_id", "state", "channel", "planned_date", "user_id", "name"])
        return actions

    def _plan_batch_orm(self, company, today, domain, partner_ids):
        """Plan one batch through the ORM, calling every planning hook (see :meth:`_plan_batch`)."""
        Action = self.env["credit.relance.action"]
        moves = self.env["account.move"].search_fetch(
            domain + [("commercial_partner_id", "in", partner_ids)],
            ["commercial_partner_id", "invoice_date_due", "amount_residual_signed", "company_id", "credit_scenario_id",
             "credit_status_id"],
            order="commercial_partner_id, invoice_date_due, id",
        )
        moves = self._filter_dunnable_invoices(moves)
        if not moves:
            return Action
        # prefetch what the selection and the actions read of the customers, in one query
        moves.commercial_partner_id.fetch(["credit_scenario_id", "credit_collector_id", "user_id"])
        scenarios = self._get_invoice_scenarios(moves)
        all_scenarios = self.env["credit.relance.scenario"].union(*scenarios.values()).filtered("active")
        steps_by_scenario = self._get_ordered_steps(all_scenarios, ["channel", "trigger_mode", "min_residual"])
        done_steps = self._get_done_steps(moves)
        last_reminder = dict(Action._read_group(
            [("company_id", "=", company.id), ("partner_id", "in", partner_ids), ("planned_date", "<", today),
             ("state", "in", ("planned", "to_validate", "to_do", "done"))],
            ["partner_id"], ["planned_date:max"],
        ))
        # (partner, step) -> the invoices that run the step
        groups = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            scenario = scenarios.get(move.id)
            if not scenario or not move.invoice_date_due:
                continue
            ordered = steps_by_scenario.get(scenario.id, [])
            run_id, _passed = due_steps(
                move.invoice_date_due, [(s.id, s.offset_days) for s in ordered], done_steps[move.id], today
            )
            if not run_id:
                continue
            step = next(s for s in ordered if s.id == run_id)
            groups[(move.commercial_partner_id, step)] |= move
        vals_list = []
        for (partner, step), moves_run in groups.items():
            interval = step.scenario_id.min_interval_days
            last = last_reminder.get(partner)
            if interval and last and (today - last).days < interval:
                continue  # too soon after the previous reminder: the step stays due for a later day
            if step.min_residual and sum(moves_run.mapped("amount_residual_signed")) < step.min_residual:
                continue
            vals_list.append(self._prepare_action_vals(company, partner, step, today, moves_run))
        return self._create_actions(vals_list)

    # the columns of credit.relance.action.line that _prepare_action_vals fills
    _ACTION_LINE_COLUMNS = ("move_id", "step_id", "date_maturity", "days_late", "amount_residual", "skipped")

    def _create_actions(self, vals_list):
        """Create the actions of a batch, their invoice lines in one INSERT.

        Creating tens of thousands of lines through the ORM costs seconds per batch for values
        that need no computation; the lines go in with one set-based INSERT and the stored
        totals and category of the actions (what their computes give from the lines) with one
        UPDATE. Lines with values beyond :attr:`_ACTION_LINE_COLUMNS` (an extension's) go
        through the ORM.
        """
        Action = self.env["credit.relance.action"].with_context(
            # no follower subscription nor "you have been assigned" e-mail per action (dozens of
            # queries each): the responsible finds the actions in the agenda and the activities
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True,
        )
        line_commands = [vals.pop("line_ids", []) for vals in vals_list]
        line_values = [command[2] for commands in line_commands for command in commands]
        if any(command[0] != Command.CREATE for commands in line_commands for command in commands) or any(
            set(values) - set(self._ACTION_LINE_COLUMNS) for values in line_values
        ):
            for vals, commands in zip(vals_list, line_commands, strict=True):
                vals["line_ids"] = commands
            return Action.create(vals_list)
        # the stored totals and category of each action, from its lines (what their computes give)
        categories = {
            move.id: move.credit_status_id.category
            for move in self.env["account.move"].browse({values["move_id"] for values in line_values})
        }
        totals = []
        for commands in line_commands:
            run = [values for _cmd, _id, values in commands if not values.get("skipped")]
            found = {categories.get(values["move_id"]) for _cmd, _id, values in commands}
            totals.append((
                sum(values["amount_residual"] or 0.0 for values in run),
                min((values["date_maturity"] for values in run if values["date_maturity"]), default=None),
                next((c for c in FOLLOWUP_PRIORITY if c in found), "in_progress"),
            ))
        actions = Action.create(vals_list)
        if not line_values:
            return actions
        rows = [
            (action.id, *(values.get(column) for column in self._ACTION_LINE_COLUMNS))
            for action, commands in zip(actions, line_commands, strict=True)
            for _cmd, _id, values in commands
        ]
        columns = ("action_id", *self._ACTION_LINE_COLUMNS)
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "INSERT INTO credit_relance_action_line (%s) VALUES %s",
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(SQL("(%s::int, %s::int, %s::int, %s::date, %s::int, %s::numeric, %s::bool)", *row)
                           for row in rows),
        ))
        # the stored totals and category the computes would give from these lines, in one UPDATE
        self.env.cr.execute(SQL(
            """UPDATE credit_relance_action a
                  SET amount_total = v.amount_total, date_maturity = v.date_maturity,
                      followup_category = v.followup_category
                 FROM (VALUES %s) AS v(id, amount_total, date_maturity, followup_category)
                WHERE a.id = v.id""",
            SQL(", ").join(SQL("(%s::int, %s::numeric, %s::date, %s::varchar)", action.id, *total)
                           for action, total in zip(actions, totals, strict=True)),
        ))
        # the lines and totals are new to the ORM
        self.env["credit.relance.action.line"].invalidate_model()
        actions.invalidate_recordset(["line_ids", "move_ids", "amount_total", "date_maturity", "followup_category"])
        return actions

    def _prepare_action_vals(self, company, partner, step, today, moves):
        """Values of the action of ``partner`` at ``step``, with a line per invoice of ``moves``."""
        state = {"auto": "planned", "validate": "to_validate", "manual": "to_do"}[step.trigger_mode]

        def line(move):
            return Command.create({
                "move_id": move.id,
                "step_id": step.id,
                "date_maturity": move.invoice_date_due,
                "days_late": (today - move.invoice_date_due).days,
                "amount_residual": move.amount_residual_signed,
                "skipped": False,
            })

        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "scenario_id": step.scenario_id.id,
            "step_id": step.id,
            "planned_date": today,
            "channel": step.channel,
            "trigger_mode": step.trigger_mode,
            "state": state,
            "user_id": self._get_responsible(step, partner).id,
            "line_ids": [line(move) for move in moves],
        }

    def _get_responsible(self, step, partner):
        """The user in charge of an action at ``step`` for ``partner``."""
        if step.responsible_type == "user" and step.responsible_user_id:
            return step.responsible_user_id
        if step.responsible_type == "salesperson" and partner.user_id:
            return partner.user_id
        return partner.credit_collector_id or partner.user_id or step.responsible_user_id

    def _after_planning(self, actions):
        """Pre-flight per customer, then activities for manual actions."""
        if not actions:
            return
        self._check_customer_preflight(actions.filtered(lambda a: a.state == "planned"))
        manual = actions.filtered(lambda a: a.state == "to_do")
        if self._is_set_based(self._ACTIVITY_ORM_HOOKS, self._ACTIVITY_SQL_FIELDS):
            self._create_activities_sql(manual)
        else:
            self._create_activities(manual)
        self._alert_high_risk(actions)

    def _get_high_risk_partners(self, partners):
        """Customers whose new overdue deserves an alert: by default those over their credit limit.

        Override to add risk criteria (payment behaviour, community score...).
        """
        partners.fetch(["credit_limit"])  # not every column of thousands of customers
        with_limit = partners.filtered(lambda p: p.credit_limit > 0)
        return with_limit.filtered(lambda p: p.credit > p.credit_limit)

    def _alert_high_risk(self, actions):
        """An activity to the collector when a high-risk customer reaches a new step."""
        risky = self._get_high_risk_partners(actions.partner_id)
        if not risky:
            return
        alerted = actions.filtered(lambda a: a.partner_id in risky)
        if not alerted:
            return
        self._create_action_todos(alerted, self.env._("High-risk customer overdue"), lambda action: {
            "note": self.env._(
                "%(customer)s is over its credit limit (%(limit)s) and has a new overdue step.",
                customer=action.partner_id.display_name, limit=action.partner_id.credit_limit),
            "user_id": (action.partner_id.credit_collector_id or action.user_id or self.env.user).id,
            "date_deadline": action.planned_date,
        })

    def _create_action_todos(self, actions, summary, values):
        """One automated to-do per action, in one batch; ``values(action)`` gives its note, user
        and deadline."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("credit.relance.action")
        self.env["mail.activity"].create([{
            "res_model_id": model_id,
            "automated": True,
            "res_id": action.id,
            "activity_type_id": todo.id,
            "summary": summary,
            **values(action),
        } for action in actions])

    def _check_customer_preflight(self, actions):
        """Customers with unreconciled incoming payments or open credit notes are not dunned
        automatically today: their automatic actions go to the validation queue with the reason."""
        if not actions:
            return
        lines = self.env["account.move.line"]._read_group(
            [("partner_id", "in", actions.partner_id.ids), ("company_id", "in", actions.company_id.ids),
             ("account_type", "=", "asset_receivable"), ("parent_state", "=", "posted"),
             ("reconciled", "=", False), ("amount_residual", "<", 0)],
            ["partner_id", "move_type"],
        )
        reasons = defaultdict(set)
        for partner, move_type in lines:
            reasons[partner.id].add("credit_note" if move_type == "out_refund" else "payment")
        to_review = actions.filtered(lambda a: a.partner_id.id in reasons)
        if not to_review:
            return
        labels = {
            "payment": self.env._("the customer has unreconciled incoming payments"),
            "credit_note": self.env._("the customer has open credit notes"),
        }
        bodies = {}
        for action in to_review:
            why = ", ".join(labels[r] for r in sorted(reasons[action.partner_id.id]))
            bodies[action.id] = self.env._("Not sent automatically: %(reason)s. Check and validate.", reason=why)
        to_review.write({"state": "to_validate"})
        for action in to_review:
            action.wait_reason = bodies[action.id]
        to_review._message_log_batch(bodies=bodies)

    def _create_activities(self, actions):
        """One activity per action for its responsible: a call for phone steps, a to-do otherwise."""
        if not actions:
            return
        call_type = self.env.ref("mail.mail_activity_data_call")
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("credit.relance.action")
        # prefetch the invoices listed in the notes, for every action at once
        actions.line_ids.fetch(["move_id", "skipped"])
        actions.line_ids.move_id.fetch(["name", "amount_residual", "currency_id"])
        vals_list = []
        deadlines = {}  # one business-hours computation per company, not per action
        for action in actions:
            is_call = action.channel == "phone"
            vals_list.append({
                "res_model_id": model_id,
                "automated": True,
                "res_id": action.id,
                "activity_type_id": (call_type if is_call else todo_type).id,
                "summary": action.name,
                "note": self._get_activity_note(action),
                "user_id": (action.user_id or self.env.user).id,
                "date_deadline": self._get_activity_deadline(action, deadlines),
            })
        # mail_activity_quick_update: no assignment e-mail per activity (a run plans thousands);
        # the activities show in the responsible's activity menu and agenda
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)

    def _get_activity_note(self, action):
        partner = action.partner_id
        lines = action.line_ids.filtered(lambda line: not line.skipped)
        return self._format_activity_note(action.channel, partner.display_name, partner.phone, partner.mobile, [
            (line.move_id.name, line.move_id.amount_residual, line.move_id.currency_id.name) for line in lines
        ])

    def _format_activity_note(self, channel, customer, phone, mobile, invoices, labels=None):
        """The note of an action's activity; ``invoices``: ``[(number, residual, currency name)]``;
        ``labels``: what :meth:`_get_activity_note_labels` gives, when already read."""
        labels = labels or self._get_activity_note_labels()
        numbers = ", ".join(n for n in (phone, mobile) if n) or labels["no_number"]
        # escape() and join rather than Markup's % per invoice: a run writes thousands of notes
        rows = "".join(f"<li>{escape(number)}: {escape(residual)} ({escape(currency)})</li>"
                       for number, residual, currency in invoices)
        return Markup("<p>%s</p><p>%s</p><ul>%s</ul>") % (
            labels["title"] % {"channel": labels["channels"].get(channel), "customer": customer},
            labels["phone"] % {"numbers": numbers},
            Markup(rows),  # built from escaped values only
        )

    def _get_activity_note_labels(self):
        """The translated labels of the activity notes, read once for a batch of actions."""
        return {
            "title": self.env._("%(channel)s for %(customer)s"),
            "phone": self.env._("Phone: %(numbers)s"),
            "no_number": self.env._("no number"),
            "channels": dict(self.env["credit.relance.step"]._fields["channel"]._description_selection(self.env)),
        }

    def _create_activities_sql(self, actions):
        """What :meth:`_create_activities` does for the manual actions a batch planned, set-based.

        A run plans thousands of manual actions; their activities, with their responsible as a
        follower of the action (what ``mail.activity`` creation does), go in with two
        statements, and the responsibles get one notification that their activities changed.
        """
        if not actions:
            return
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id  # cached, unlike env.ref()
        call_type_id = xmlid_to_res_id("mail.mail_activity_data_call", raise_if_not_found=True)
        todo_type_id = xmlid_to_res_id("mail.mail_activity_data_todo", raise_if_not_found=True)
        model_id = self.env["ir.model"]._get_id("credit.relance.action")
        self.env.flush_all()
        # the invoices listed in the notes, in the order of the actions' lines
        self.env.cr.execute(SQL(
            """SELECT a.id, a.channel, a.company_id, a.planned_date, a.user_id, p.complete_name, p.phone, p.mobile,
                      array_agg(m.name ORDER BY l.date_maturity, l.id),
                      array_agg(m.amount_residual ORDER BY l.date_maturity, l.id),
                      array_agg(c.name ORDER BY l.date_maturity, l.id)
                 FROM credit_relance_action a
                 JOIN res_partner p ON p.id = a.partner_id
                 LEFT JOIN credit_relance_action_line l ON l.action_id = a.id AND NOT l.skipped
                 LEFT JOIN account_move m ON m.id = l.move_id
                 LEFT JOIN res_currency c ON c.id = m.currency_id
                WHERE a.id IN %s
                GROUP BY a.id, p.id
                ORDER BY a.id""",
            tuple(actions.ids),
        ))
        fetched = self.env.cr.fetchall()
        labels = self._get_activity_note_labels()
        slots = {}
        rows = []
        for (action_id, channel, company_id, planned_date, user_id, customer, phone, mobile, numbers, residuals,
             currencies) in fetched:
            invoices = [(number, float(residual), currency)
                        for number, residual, currency in zip(numbers, residuals, currencies, strict=True)
                        if number is not None]
            rows.append((
                action_id,
                call_type_id if channel == "phone" else todo_type_id,
                str(self._format_activity_note(channel, customer, phone, mobile, invoices, labels)),
                self._activity_deadline(channel, self.env["res.company"].browse(company_id), planned_date, slots),
                user_id or self.env.uid,
            ))
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes("credit.relance.action")
        now = SQL("now() AT TIME ZONE 'UTC'")
        self.env.cr.execute(SQL(
            """
            WITH todo AS (
                SELECT * FROM unnest(%(action_ids)s::int[], %(type_ids)s::int[], %(notes)s::text[],
                                     %(deadlines)s::date[], %(user_ids)s::int[])
                                 AS v(action_id, type_id, note, deadline, user_id)
            ), activities AS (
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name, activity_type_id, summary, note, date_deadline,
                    automated, user_id, user_tz, active, create_uid, write_uid, create_date, write_date)
                SELECT %(model_id)s, 'credit.relance.action', a.id, a.name, t.type_id, a.name, t.note, t.deadline,
                       TRUE, t.user_id, up.tz, TRUE, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM todo t
                  JOIN credit_relance_action a ON a.id = t.action_id
                  JOIN res_users u ON u.id = t.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 ORDER BY t.action_id
            ), followers AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT DISTINCT 'credit.relance.action', t.action_id, u.partner_id
                  FROM todo t JOIN res_users u ON u.id = t.user_id
                    ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
             RETURNING id, partner_id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
            SELECT f.id, subtype_id
              FROM followers f
              JOIN res_partner fp ON fp.id = f.partner_id,
                   unnest(CASE WHEN fp.partner_share THEN %(external)s::int[] ELSE %(default)s::int[] END)
                   AS subtype_id
            """,
            action_ids=[row[0] for row in rows], type_ids=[row[1] for row in rows], notes=[row[2] for row in rows],
            deadlines=[row[3] for row in rows], user_ids=[row[4] for row in rows], model_id=model_id,
            uid=self.env.uid, now=now, default=default.ids, external=external.ids,
        ))
        # the activities and followers are new to the ORM
        actions.invalidate_recordset(["activity_ids", "message_follower_ids"])
        self.env["mail.followers"].invalidate_model()
        today = fields.Date.today()  # as mail.activity's creation tells its users
        users = self.env["res.users"].browse({row[4] for row in rows if row[3] <= today})
        users._bus_send("mail.activity/updated", {"activity_created": True})

    def _get_activity_deadline(self, action, cache=None):
        return self._activity_deadline(action.channel, action.company_id, action.planned_date,
                                       {} if cache is None else cache)

    def _activity_deadline(self, channel, company, planned_date, slots):
        """The day of a manual action's activity: the next calling slot for calls (``slots``
        caches one business-hours computation per company), the planned day otherwise."""
        if channel != "phone":
            return planned_date
        if company not in slots:
            slots[company] = self._next_slot(company, "phone")
        return slots[company].date() if slots[company] else planned_date

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    @api.model
    def _execute_due(self, company, today, on_batch=None, partners=None):
        """Execute the planned automatic actions due in ``company``, by claimed batches."""
        warning = self._check_bank_preflight(company, today)
        if warning and company.credit_preflight_mode == "wait":
            self._mark_waiting(company, today, warning, partners)
            return 0
        self._requeue_retries(company, partners)
        batch_size = company.credit_batch_size or 1000
        executed = 0
        seen = set()
        while True:
            actions = self._claim_actions(company, today, batch_size, partners)
            if not actions or seen.issuperset(actions.ids):
                break  # nothing left, or only actions that could not leave the planned state
            seen.update(actions.ids)
            self._execute_actions(actions, preflight_warning=warning)
            executed += len(actions)
            if on_batch:
                on_batch(len(actions), 0)
        return executed

    def _claim_actions(self, company, today, limit, partners=None):
        """Lock up to ``limit`` planned actions due now, skipping those another run holds."""
        Action = self.env["credit.relance.action"]
        Action.flush_model()
        now = fields.Datetime.now()
        partner_filter = SQL("AND partner_id IN %s", tuple(partners.commercial_partner_id.ids)) if partners else SQL()
        query = SQL(
            """SELECT id FROM credit_relance_action
                WHERE company_id = %s AND state = 'planned' AND planned_date <= %s
                  AND (next_attempt IS NULL OR next_attempt <= %s) %s
             ORDER BY planned_date, id LIMIT %s FOR UPDATE SKIP LOCKED""",
            company.id, today, now, partner_filter, limit,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                ids = [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            # another run changed these actions since our snapshot: they are its own
            return Action
        return Action.browse(ids)

    def _execute_actions(self, actions, preflight_warning=""):
        """Execute ``actions`` (claimed or validated): each one in a savepoint, errors kept on it.

        The e-mails are rendered first, together (one call per template and language); each
        action is then executed alone.
        """
        window_cache = {}
        try:
            with self.env.cr.savepoint():
                rendered = self._render_emails(actions.filtered(
                    lambda action: action.channel == "email" and action.state in ("planned", "to_validate")))
        except Exception:  # each e-mail is then rendered alone, reporting its own error
            _logger.info("Rendering the e-mails of %s actions together failed.", len(actions), exc_info=True)
            rendered = {}
        for action in actions:
            if action.state not in ("planned", "to_validate"):
                continue
            slot_kind = {"sms": "sms", "phone": "phone"}.get(action.channel)
            if slot_kind:
                key = (action.company_id.id, slot_kind)
                if key not in window_cache:
                    window_cache[key] = self._next_slot(action.company_id, slot_kind)
                slot = window_cache[key]
                if slot and slot > fields.Datetime.now() + datetime.timedelta(seconds=1) and action.channel == "sms":
                    self._wait_for_slot(action, slot)
                    continue
            try:
                with self.env.cr.savepoint():
                    self._execute_one(action, rendered=rendered.get(action.id))
                    if preflight_warning:
                        action._message_log(body=preflight_warning)
            except Exception as exc:  # noqa: BLE001 - any failure of one action is kept on it
                message = exc.args[0] if isinstance(exc, UserError) and exc.args else str(exc) or repr(exc)
                # our own errors say whether they pass; anything else (mail server, network,
                # database lock or serialization failure) is taken as passing
                transient = getattr(exc, "transient", not isinstance(exc, UserError))
                _logger.info("Dunning action %s failed: %s", action.id, message)
                self._set_error(action, message, transient=transient)

    def _set_error(self, action, message, transient=False):
        action.write({
            "state": "error",
            "error_message": message,
            "attempt_count": action.attempt_count + 1,
        })
        action._schedule_retry(message, transient)

    @api.model
    def _requeue_retries(self, company, partners=None):
        """Put back in the queue the actions in error whose automatic retry is due."""
        domain = [
            ("company_id", "=", company.id), ("state", "=", "error"),
            ("next_retry", "!=", False), ("next_retry", "<=", fields.Datetime.now()),
        ]
        if partners:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        actions = self.env["credit.relance.action"].search(domain)
        # the retry sends a new message: the failed one must not be resent by hand from the chatter
        failed = actions.mail_message_ids.notification_ids.filtered(
            lambda notification: notification.notification_status in ("exception", "bounce"))
        # sudo: notifications belong to the mail engine; only the failed ones of these actions change
        failed.sudo().write({"notification_status": "canceled"})
        actions.write({"state": "planned", "next_retry": False, "next_attempt": False})
        return actions

    def _wait_for_slot(self, action, slot_utc):
        reason = self.env._("Waiting for the next allowed slot: %(slot)s", slot=fields.Datetime.to_string(slot_utc))
        action.write({"next_attempt": slot_utc, "wait_reason": reason})
        cron = self.env.ref("credit_relance.ir_cron_daily_run", raise_if_not_found=False)
        if cron:
            cron._trigger(at=slot_utc)

    def _execute_one(self, action, rendered=None):
        """Run one action on its channel; the state is written before the side effect is queued.

        :param rendered: the e-mail rendered beforehand (see :meth:`_render_emails`), if any
        """
        if not self._drop_settled_invoices(action):
            return
        handler = getattr(self, f"_execute_{action.channel}")
        if rendered:
            handler(action, rendered=rendered)
        else:
            handler(action)

    def _drop_settled_invoices(self, action):
        """Leave out the invoices paid, cancelled or reset to draft since the action was planned.

        :returns: whether the action still has something to dun (actions without invoices, added
            by hand, always have)
        """
        lines = action.line_ids.filtered(lambda line: not line.skipped)
        settled = lines.filtered(lambda line: line.move_id.state != "posted"
                                 or line.move_id.currency_id.is_zero(line.move_id.amount_residual))
        if not settled:
            return True
        settled.write({"skipped": True})
        names = ", ".join(settled.move_id.mapped("display_name"))
        if settled == lines:
            reason = self.env._("Not executed: its invoices are no longer due (paid, cancelled or reset to draft): "
                                "%(invoices)s.", invoices=names)
            action.write({"state": "cancelled", "reject_reason": reason, "wait_reason": False})
            action._message_log(body=reason)
            return False
        action._message_log(body=self.env._("Left out, no longer due: %(invoices)s.", invoices=names))
        return True

    def _mark_done(self, action, state="done"):
        action.write({
            "executed_by_id": self.env.uid,
            "state": state,
            "attempt_count": action.attempt_count + 1,
            "done_date": fields.Datetime.now(),
            "error_message": False,
            "wait_reason": False,
            "next_attempt": False,
        })

    # --- e-mail ---------------------------------------------------------

    def _get_partner_lang(self, partner):
        return partner.lang or self.env.lang or "en_US"

    def _execute_email(self, action, rendered=None):
        partner = action.partner_id
        recipient = self._get_email_recipient(partner)
        if not recipient.email:
            raise CreditRelanceActionError(self.env._(
                "The customer %(customer)s has no e-mail address.", customer=partner.display_name))
        template = action.step_id.mail_template_id
        if not template and not action.body_override:
            raise CreditRelanceActionError(self.env._("The step has no e-mail template."))
        moves = action.line_ids.filtered(lambda line: not line.skipped).move_id
        if rendered and rendered["move_ids"] == set(moves.ids):
            subject, body = rendered["subject"], rendered["body"]
            if rendered["warning"]:
                action._message_log(body=rendered["warning"])
        else:  # not rendered beforehand, its group failed, or invoices were left out since
            subject, body = self._render_email(action, template)
        attachments = self._get_invoice_attachments(action) if action.step_id.attach_invoice_pdf else \
            self.env["ir.attachment"]
        self._mark_done(action)
        message = partner.with_context(mail_notify_force_send=False, mail_post_autofollow=False).message_post(
            body=body,
            subject=subject,
            partner_ids=recipient.ids,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=action.company_id.partner_id.id,
            email_from=action.company_id.email_formatted or None,
        )
        self._log_on_invoices(action, self.env._("Reminder sent by e-mail: %(subject)s", subject=subject))
        action.write({
            "mail_message_ids": [Command.link(message.id)],
            "attachment_ids": [Command.link(a.id) for a in attachments],
            # the audit trail: which template, in which version, made this message
            "mail_template_id": template.id,
            "template_version": template.write_date,
        })

    def _get_email_recipient(self, partner):
        invoice_contact = self.env["res.partner"].browse(partner.address_get(["invoice"])["invoice"])
        return invoice_contact if invoice_contact.email else partner

    def _render_email(self, action, template):
        partner = action.partner_id
        lang = self._get_partner_lang(partner)
        renderer = template.with_context(credit_render_values={partner.id: self._get_render_context(action)})
        try:
            subject = action.subject_override or renderer._render_field(
                "subject", partner.ids, set_lang=lang)[partner.id]
            body = action.body_override or renderer._render_field(
                "body_html", partner.ids, set_lang=lang, options={"post_process": True})[partner.id]
        except Exception as exc:  # a template error is reported on the action
            raise CreditRelanceActionError(self.env._(
                "The template %(template)s cannot be rendered: %(error)s", template=template.display_name,
                error=self._short_error(exc))) from exc
        return subject, body

    def _render_emails(self, actions):
        """Render the e-mails of ``actions`` together: one call per template, language and field.

        A failing group (one bad record fails the whole call) is left out: its actions are then
        rendered one by one at their execution, each reporting its own error.

        :returns: ``{action_id: {"subject", "body", "move_ids", "warning"}}``, ``move_ids`` being
            the invoices the e-mail is about and ``warning`` the late-fee warning to log
        """
        actions = actions.filtered(lambda action: action.step_id.mail_template_id
                                   and not (action.subject_override and action.body_override))
        if not actions:
            return {}
        contexts = self._get_render_contexts(actions)
        groups = defaultdict(list)
        for action in actions:
            if action.id in contexts:
                groups[(action.step_id.mail_template_id, self._get_partner_lang(action.partner_id))].append(action)
        result = {}
        for (template, lang), group in groups.items():
            # records are rendered by customer: a customer's second action of the group goes to a second call
            calls = []
            for action in group:
                call = next((call for call in calls if action.partner_id.id not in call), None)
                if call is None:
                    call = {}
                    calls.append(call)
                call[action.partner_id.id] = action
            for call in calls:
                result.update(self._render_email_group(template, lang, call, contexts))
        return result

    def _render_email_group(self, template, lang, actions_by_partner, contexts):
        """Render ``template`` in ``lang`` for ``{partner_id: action}`` in one call per field."""
        partner_ids = list(actions_by_partner)
        renderer = template.with_context(credit_render_values={
            partner_id: contexts[action.id] for partner_id, action in actions_by_partner.items()})
        try:
            with self.env.cr.savepoint():
                subjects = renderer._render_field("subject", partner_ids, set_lang=lang)
                bodies = renderer._render_field("body_html", partner_ids, set_lang=lang,
                                                options={"post_process": True})
        except Exception as exc:  # noqa: BLE001 - the actions are rendered one by one instead
            _logger.info("Rendering %s for %s customers at once failed, rendering them one by one: %s",
                         template.display_name, len(partner_ids), self._short_error(exc))
            return {}
        return {
            action.id: {
                "subject": action.subject_override or subjects[partner_id],
                "body": action.body_override or bodies[partner_id],
                "move_ids": set(contexts[action.id]["credit_invoices"].ids),
                "warning": (contexts[action.id]["credit_late_fees"] or {}).get("warning"),
            }
            for partner_id, action in actions_by_partner.items()
        }

    def _get_render_contexts(self, actions):
        """The render context of each action, the open credit notes of all customers in one query.

        :returns: ``{action_id: values}``; an action whose values fail is left out (rendered alone
            at its execution, which reports the error)
        """
        actions.line_ids.fetch(["move_id", "skipped"])
        # read the invoices of every action at once: each action's own recordset prefetches only its own
        moves = actions.line_ids.move_id
        moves.mapped("name")
        self._ensure_access_tokens(moves)
        credit_notes = defaultdict(lambda: self.env["account.move"])
        for move in self.env["account.move"].search([
            ("commercial_partner_id", "in", actions.partner_id.ids), ("move_type", "=", "out_refund"),
            ("state", "=", "posted"), ("amount_residual", ">", 0), ("company_id", "in", actions.company_id.ids),
        ]):
            credit_notes[(move.commercial_partner_id.id, move.company_id.id)] |= move
        rates = self.env["credit.relance.rate"]._get_rate_table()
        contexts = {}
        for action in actions:
            try:
                contexts[action.id] = self._get_render_context(
                    action, credit_notes=credit_notes[(action.partner_id.id, action.company_id.id)],
                    log_warning=False, rates=rates)
            except Exception as exc:  # noqa: BLE001 - reported when the action is executed alone
                _logger.info("Render values of dunning action %s failed: %s", action.id, exc)
        return contexts

    def _ensure_access_tokens(self, moves):
        """Give the invoices without a portal access token one, in one UPDATE.

        The payment links need the tokens; ``_portal_ensure_token`` writes them invoice by invoice,
        and each write of an invoice reads its lines again. The token is a random string nothing
        is computed from; an invoice that got one meanwhile keeps it.
        """
        missing = moves.filtered(lambda move: not move.access_token)
        if not missing:
            return
        missing.flush_recordset(["access_token"])
        self.env.cr.execute(SQL(
            """UPDATE account_move m SET access_token = v.token
                 FROM (VALUES %s) AS v(id, token)
                WHERE m.id = v.id AND m.access_token IS NULL""",
            SQL(", ").join(SQL("(%s::int, %s::varchar)", move.id, str(uuid.uuid4())) for move in missing),
        ))
        missing.invalidate_recordset(["access_token"])
        missing.fetch(["access_token"])

    @staticmethod
    def _short_error(exc):
        """The first line of an error and its cause (``XxxError: ...``), without the traceback."""
        text = html.unescape(str(exc.args[0] if exc.args else exc))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        causes = [line for line in lines[1:] if re.match(r"^[\w.]+(Error|Exception)\b", line)]
        return f"{lines[0]} ({causes[-1]})" if causes else " ".join(lines[:2])

    def _get_invoice_attachments(self, action):
        Attachment = self.env["ir.attachment"]
        moves = action.line_ids.filtered(lambda line: not line.skipped).move_id
        vals_list = []
        for move in moves:
            content, report_type = self.env["ir.actions.report"]._render(INVOICE_REPORT, move.ids)
            vals_list.append({
                "name": f"{move._get_report_base_filename()}.{report_type}",
                "raw": content,
                "res_model": "credit.relance.action",
                "res_id": action.id,
            })
        return Attachment.create(vals_list)

    def _log_on_invoices(self, action, text):
        moves = action.line_ids.filtered(lambda line: not line.skipped).move_id
        body = Markup("%s (%s)") % (text, action.step_label or action.name)
        moves._message_log_batch(bodies={move.id: body for move in moves})

    def _get_render_context(self, action, credit_notes=None, log_warning=True, rates=None):
        """Values given to the templates: the action, its invoices, payment links and late fees.

        :param credit_notes: the customer's open credit notes when already read (batch rendering)
        :param log_warning: log the late-fee warning on the action now (else the caller does)
        :param rates: the late-payment rate table when already read (batch rendering)
        """
        lines = action.line_ids.filtered(lambda line: not line.skipped)
        late_fees = self._compute_late_fees(lines.move_id, action.planned_date, rates=rates) \
            if action.step_id.apply_late_fees else {}
        if late_fees.get("warning") and log_warning:
            action._message_log(body=late_fees["warning"])
        return {
            "credit_action": action,
            "credit_invoices": lines.move_id,
            "credit_total": sum(lines.move_id.mapped("amount_residual_signed")),
            "credit_payment_links": self._get_payment_links(lines.move_id),
            "credit_overdue_link": self._get_overdue_link(action.partner_id),
            "credit_late_fees": late_fees,
            "credit_credit_notes": credit_notes if credit_notes is not None else self.env["account.move"].search([
                ("commercial_partner_id", "=", action.partner_id.id), ("move_type", "=", "out_refund"),
                ("state", "=", "posted"), ("amount_residual", ">", 0), ("company_id", "=", action.company_id.id),
            ]),
            # what the templates' helpers on the customer read (``object._credit_overdue_invoices()``)
            OBJECT_CONTEXT: {"credit_move_ids": lines.move_id.ids, "credit_late_fees": late_fees},
        }

    # --- payment links --------------------------------------------------

    def _get_payment_links(self, moves):
        """``{move_id: absolute portal URL with access token}``, without an HTTP request."""
        return {move.id: move.get_base_url() + move.get_portal_url() for move in moves}

    def _get_overdue_link(self, partner):
        """One link to pay every overdue invoice of the customer on the portal."""
        return partner.get_base_url() + "/my/invoices/overdue"

    # --- SMS --------------------------------------------------------------

    def _execute_sms(self, action):
        partner = action.partner_id
        number = partner.mobile or partner.phone
        try:
            e164 = to_e164(number, partner.country_id.code)
        except InvalidPhoneError as exc:
            if exc.reason == "missing":
                raise CreditRelanceActionError(self.env._(
                    "The customer %(customer)s has no mobile number.", customer=partner.display_name)) from exc
            raise CreditRelanceActionError(self.env._(
                "The mobile number %(number)s of %(customer)s is not valid.", number=number,
                customer=partner.display_name)) from exc
        template = action.step_id.sms_template_id
        if not template and not action.body_override:
            raise CreditRelanceActionError(self.env._("The step has no SMS template."))
        if action.body_override:
            body = action._get_plain_body_override()
        else:
            try:
                body = template.with_context(
                    credit_render_values={partner.id: self._get_render_context(action)},
                )._render_field("body", partner.ids, set_lang=self._get_partner_lang(partner))[partner.id]
            except Exception as exc:  # a template error is reported on the action
                raise CreditRelanceActionError(self.env._(
                    "The template %(template)s cannot be rendered: %(error)s", template=template.display_name,
                    error=self._short_error(exc))) from exc
        self._mark_done(action)
        message = partner._message_sms(
            body, partner_ids=partner.ids, sms_pid_to_number={partner.id: e164}, put_in_queue=True,
        )
        self._log_on_invoices(action, self.env._("Reminder sent by SMS to %(number)s", number=e164))
        action.write({
            "mail_message_ids": [Command.link(message.id)],
            "sms_number": e164,
            "sms_template_id": template.id,
            "template_version": template.write_date,
        })

    # --- phone ------------------------------------------------------------

    def _execute_phone(self, action):
        self._mark_done(action, state="to_do")
        self._create_activities(action)

    # --- letters ----------------------------------------------------------

    def _execute_letter(self, action):
        self._check_postal_address(action.partner_id)
        attachment = self._render_letter(action)
        self._mark_done(action, state="to_do")
        action.write({"attachment_ids": [Command.link(attachment.id)]})
        action._message_log(body=self.env._("Letter generated, to print."), attachment_ids=attachment.ids)

    _execute_formal_notice = _execute_letter

    def _check_postal_address(self, partner):
        """A letter needs the street, the city and the country of the invoice address."""
        address = self.env["res.partner"].browse(partner.address_get(["invoice"])["invoice"])
        missing = [
            address._fields[name]._description_string(self.env)
            for name in ("street", "city", "country_id") if not address[name]
        ]
        if missing:
            raise CreditRelanceActionError(self.env._(
                "The address of %(customer)s is incomplete for a letter: %(missing)s is missing.",
                customer=address.display_name, missing=", ".join(missing)))

    def _render_letter(self, action):
        partner = action.partner_id
        report = self.env["ir.actions.report"].with_context(lang=self._get_partner_lang(partner))
        try:
            content, report_type = report._render(LETTER_REPORT, action.ids)
        except Exception as exc:  # the PDF engine's failure is reported on the action
            # a PDF engine that is installed but crashed may work on the next try; a missing one will not
            raise CreditRelanceActionError(self.env._(
                "The letter cannot be generated: %(error)s", error=exc.args[0] if exc.args else repr(exc)),
                transient=report.get_wkhtmltopdf_state() == "ok") from exc
        return self.env["ir.attachment"].create({
            "name": f"{action.name}.{report_type}",
            "raw": content,
            "res_model": "credit.relance.action",
            "res_id": action.id,
        })

    # ------------------------------------------------------------------
    # Pre-flight, business hours
    # ------------------------------------------------------------------

    @api.model
    def _check_bank_preflight(self, company, today):
        """A readable warning when a bank journal's last statement line is older than the tolerance."""
        journals = self.env["account.journal"].search_fetch(
            [("company_id", "=", company.id), ("type", "=", "bank")], ["name"])
        if not journals:
            return ""
        last_dates = dict(self.env["account.bank.statement.line"]._read_group(
            [("journal_id", "in", journals.ids)], ["journal_id"], ["date:max"]))
        tolerance = company.credit_bank_tolerance_days
        stale = [
            journal.name for journal in journals
            if last_dates.get(journal) and (today - last_dates[journal]).days > tolerance
        ]
        if not stale:
            return ""
        return self.env._(
            "Bank statements of %(journals)s are older than %(days)s days: payments may be missing.",
            journals=", ".join(stale), days=tolerance,
        )

    def _mark_waiting(self, company, today, warning, partners=None):
        domain = [("company_id", "=", company.id), ("state", "=", "planned"), ("planned_date", "<=", today)]
        if partners:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        actions = self.env["credit.relance.action"].search(domain)
        new = actions.filtered(lambda a: a.wait_reason != warning)
        if new:
            new.write({"wait_reason": warning})
            new._message_log_batch(bodies={a.id: warning for a in new})

    def _get_company_tz(self, company):
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        return pytz.timezone(company.partner_id.tz or (admin and admin.tz) or "UTC")

    def _get_windows(self, company, kind):
        if kind == "sms":
            return [(company.credit_sms_hour_from, company.credit_sms_hour_to)]
        return [(company.credit_call_am_from, company.credit_call_am_to),
                (company.credit_call_pm_from, company.credit_call_pm_to)]

    def _get_holidays(self, company, start, days=60):
        calendar = company.resource_calendar_id
        if not calendar:
            return set(), business_hours.WEEKDAYS
        end = start + datetime.timedelta(days=days)
        leaves = self.env["resource.calendar.leaves"].search_fetch(
            [("calendar_id", "in", [calendar.id, False]), ("resource_id", "=", False),
             ("company_id", "in", [company.id, False]),
             ("date_from", "<=", end), ("date_to", ">=", start)],
            ["date_from", "date_to"],
        )
        holidays = set()
        for leave in leaves:
            day = leave.date_from.date()
            while day <= leave.date_to.date():
                holidays.add(day)
                day += datetime.timedelta(days=1)
        workdays = tuple(sorted({int(a.dayofweek) for a in calendar.attendance_ids})) or business_hours.WEEKDAYS
        return holidays, workdays

    def _next_slot(self, company, kind):
        """The next moment (naive UTC) when ``kind`` ("sms" or "phone") is allowed for ``company``."""
        tz = self._get_company_tz(company)
        now_utc = fields.Datetime.now()
        local = pytz.utc.localize(now_utc).astimezone(tz).replace(tzinfo=None)
        holidays, workdays = self._get_holidays(company, now_utc)
        slot = business_hours.next_slot(local, self._get_windows(company, kind), holidays, workdays)
        if slot is None:
            return None
        return tz.localize(slot).astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Late fees
    # ------------------------------------------------------------------

    @api.model
    def _compute_late_fees(self, moves, on_date, rates=None):
        """Late-payment interest and fixed indemnity of ``moves`` on ``on_date`` per the company rule.

        :param rates: the table of ``credit.relance.rate._get_rate_table`` when already read

        :returns: dict ``{"lines": [{"move", "days_late", "interest", "indemnity", "details"}],
            "interest", "indemnity", "total", "rate", "currency", "warning"}``, ``rate`` being the annual
            percentage of the latest half-year (None when no interest runs); ``warning`` is set when a
            half-year has no reference rate (its interest is then left out).
        """
        company = moves.company_id[:1] or self.env.company
        rule = company.credit_late_fee_rule
        margin = {"france": 10.0, "eu": 8.0}.get(rule, company.credit_late_fee_margin)
        contractual = company.credit_late_fee_contractual_rate if rule == "custom" else None
        indemnity_amount = 40.0 if rule in ("france", "eu") else company.credit_late_fee_fixed_amount
        if rates is None:
            rates = self.env["credit.relance.rate"]._get_rate_table()
        result = {"lines": [], "interest": 0.0, "indemnity": 0.0, "total": 0.0, "rate": None,
                  "currency": company.currency_id, "warning": ""}
        for move in moves:
            if not move.invoice_date_due or move.invoice_date_due >= on_date:
                continue
            try:
                interest, details = late_interest(
                    move.amount_residual_signed, move.invoice_date_due, on_date, rates, margin=margin,
                    contractual_rate=contractual or None,
                )
                interest = float(interest)
            except MissingRateError as exc:
                interest, details = 0.0, []
                result["warning"] = self.env._(
                    "No late-payment reference rate for %(half_year)s: interest is not included.",
                    half_year=str(exc))
            indemnity = indemnity_amount if move.commercial_partner_id.is_company else 0.0
            if details:  # the annual rate of the latest half-year, what the reminder quotes
                result["rate"] = details[-1]["rate"]
            result["lines"].append({"move": move, "days_late": (on_date - move.invoice_date_due).days,
                                    "interest": interest, "indemnity": indemnity, "details": details})
            result["interest"] += interest
            result["indemnity"] += indemnity
        result["total"] = result["interest"] + result["indemnity"]
        return result

    # ------------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------------

    @api.model
    def _send_alerts(self, company, today, partners=None):
        """Activities to the collector for actions newly in error (once per action)."""
        domain = [
            ("company_id", "=", company.id), ("state", "=", "error"), ("error_alerted", "=", False),
            ("next_retry", "=", False)]  # an action retried automatically alerts only when it gives up
        if partners:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        errors = self.env["credit.relance.action"].search(domain)
        if not errors:
            return
        self._create_action_todos(errors, self.env._("Dunning action in error"), lambda action: {
            "note": escape(action.error_message or ""),
            "user_id": (action.user_id or self.env.user).id,
            "date_deadline": today,
        })
        errors.write({"error_alerted": True})

    def _get_digest_body(self, company, errors):
        """The digest of ``errors``: how many retry by themselves, the causes, those needing a person."""
        retrying = errors.filtered("next_retry")
        stuck = errors - retrying
        causes = defaultdict(int)
        for action in errors:
            causes[(action.error_message or "").split("\n")[0][:120]] += 1
        cause_rows = Markup("").join(
            Markup("<li>%s &times; %s</li>") % (count, cause)
            for cause, count in sorted(causes.items(), key=lambda item: -item[1])[:20])
        rows = Markup("").join(
            Markup("<li>%s: %s</li>") % (a.name, a.error_message or "") for a in stuck[:100])
        return Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p><ul>%s</ul>") % (
            self.env._("%(count)s dunning actions are in error in %(company)s.", count=len(errors),
                       company=company.name),
            self.env._("%(retrying)s will be tried again automatically; %(stuck)s need a person (Retry button "
                       "once the cause is fixed).", retrying=len(retrying), stuck=len(stuck)),
            cause_rows,
            self.env._("Actions waiting for a person:"),
            rows,
        )

    @api.model
    def _cron_send_digest(self):
        """Daily e-mail to supervisors summarising the actions in error, per company."""
        group = self.env.ref("credit_relance.credit_relance_group_supervisor")
        for company in self.env["res.company"].search([]):
            errors = self.env["credit.relance.action"].search(
                [("company_id", "=", company.id), ("state", "=", "error")])
            supervisors = group.users.filtered(lambda u, c=company: c in u.company_ids and u.email)
            if not errors or not supervisors:
                continue
            body = self._get_digest_body(company, errors)
            self.env["mail.mail"].sudo().create({  # sudo: the cron user may not create mails directly
                "subject": self.env._("Dunning errors: %(count)s", count=len(errors)),
                "body_html": body,
                "email_to": ",".join(supervisors.mapped("email_formatted")),
                "email_from": company.email_formatted or False,
            })
