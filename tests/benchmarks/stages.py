"""The benchmark's stages: ours (through the dunning engine) and the peer's (OCA account_credit_control).

Each stage is a function ``stage(env, today) -> dict(rows=..., note=...)``, run in its own
transaction (committed, as a cron would), measured by run.py. A stage whose model or method is
not in the registry raises :class:`NotAvailable` and is reported "not available".
"""

import contextlib
import datetime
import time
from unittest import mock

from odoo import Command
from odoo.tools import SQL

# ---------------------------------------------------------------------------------------------
# What the benchmark calls on our side, in ONE place (reported in the JSON as "engine_methods").
# ---------------------------------------------------------------------------------------------
ENGINE_METHODS = {
    # recompute every customer's figures, group and invoice scenarios, as the daily job does first
    "groups": ("credit.relance.group", "_recompute_all"),
    # the daily run's planning only: due (invoice, step) pairs -> actions and invoice lines,
    # committed per batch of customers as the cron does (so that a kill keeps the batches done)
    "planning": ("credit.relance.engine", "_plan"),
    # execute the automatic actions due (the e-mail steps): render and queue the mails, SMTP mocked
    "email": ("credit.relance.engine", "_execute_due"),
    # the next step of every open invoice (what the agenda's "coming" column reads), all recomputed
    "projection": ("credit.relance.engine", "_project_next_steps"),
    # the agenda (OWL dashboard): a collector's own, then a supervisor's of everybody
    "agenda": ("credit.relance.agenda", "get_agenda"),
    # KPIs: the SQL-view report read by month, as its pivot does
    "kpi": ("credit.relance.kpi", "read_group"),
    # monthly KPIs per scope (countback DSO): the company rows read by month, as its graph does
    "kpi_monthly": ("credit.relance.kpi.monthly", "read_group"),
}
# The agenda is measured on at least this many actions: the planning's, plus generated ones.
AGENDA_ACTIONS = 100_000
KPI_MEASURES = ["receivable_amount", "overdue_amount", "sales_amount", "dso", "best_dso", "add_days", "cei",
                "late_rate_amount", "avg_days_late"]

# The "Standard" scenario the benchmark runs, and the peer's equivalent policy levels.
STANDARD_STEPS = [
    # (offset days, label, channel, trigger mode, peer channel)
    (1, "Reminder 1", "email", "auto", "email"),
    (15, "Reminder 2", "email", "auto", "email"),
    (30, "Phone call", "phone", "manual", "phone"),
    (45, "Formal notice", "formal_notice", "validate", "letter"),
]
BENCH_SCENARIO = "Standard (benchmark)"
PEER_POLICY = "Standard (benchmark)"
BENCH_GROUPS = [
    # (priority, name, domain)
    (1, "Strategic customers (benchmark)", "[('category_id.name', '=', 'Bench: strategic')]"),
    (2, "Public sector (benchmark)", "[('category_id.name', '=', 'Bench: public sector')]"),
    (3, "Recurring customers (benchmark)", "[('category_id.name', '=', 'Bench: recurring')]"),
    (99, "Everybody else (benchmark)", "[('customer_rank', '>', 0)]"),
]


class NotAvailable(Exception):
    """The stage's model or method is not installed yet."""


def _table_exists(env, table):
    env.cr.execute(SQL("SELECT to_regclass(%s) IS NOT NULL", table))
    return env.cr.fetchone()[0]


def count_rows(env, table, where=None):
    """Rows of ``table`` (0 when it does not exist); ``where`` is an SQL condition."""
    if not _table_exists(env, table):
        return 0
    env.cr.execute(SQL("SELECT count(*) FROM %s WHERE %s", SQL.identifier(table), where or SQL("TRUE")))
    return env.cr.fetchone()[0]


def wait_for_sessions_end(cr, application_name, timeout=60.0):
    """Wait until no database session of ``application_name`` is left (a killed worker's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # the statistics views keep one snapshot per transaction unless told to drop it
        cr.execute(SQL("SELECT pg_stat_clear_snapshot()"))
        cr.execute(SQL("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", application_name))
        if not cr.fetchone()[0]:
            return
        time.sleep(0.1)
    raise TimeoutError(f"the sessions of {application_name} are still open after {timeout} s")


def _hook(env, stage):
    model, method = ENGINE_METHODS[stage]
    if model not in env or not hasattr(env[model], method):
        raise NotAvailable(f"{model}.{method} not in the registry")
    return getattr(env[model], method)


def commit_per_batch(env, progress=None):
    """The cron's ``on_batch``: commit after each batch (what makes a killed run resumable)."""
    def on_batch(count, remaining):
        if progress is not None:
            progress.append(count)
        env.cr.commit()  # pylint: disable=invalid-commit
    return on_batch


@contextlib.contextmanager
def mocked_smtp(env):
    """Replace the outgoing SMTP connection and sending: nothing leaves the machine."""
    server_class = type(env["ir.mail_server"])
    with mock.patch.object(server_class, "connect", autospec=True) as connect, \
            mock.patch.object(server_class, "send_email", autospec=True, return_value="<bench@localhost>") as send:
        yield connect, send


# ------------------------------------------------------------------------------ configuration

def ensure_users(env, salesreps=5):
    """Salespersons spread over the customers and one collector; returns (salesrep ids, collector)."""
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
    collector_group = env.ref("credit_relance.credit_relance_group_collector")
    salesrep_group = env.ref("credit_relance.credit_relance_group_salesrep")
    salesrep_ids = []
    for index in range(1, salesreps + 1):
        login = f"bench_salesrep_{index}"
        user = Users.search([("login", "=", login)]) or Users.create({
            "name": f"Sales rep {index}", "login": login,
            "groups_id": [Command.link(env.ref("base.group_user").id), Command.link(salesrep_group.id)],
        })
        salesrep_ids.append(user.id)
    collector = Users.search([("login", "=", "bench_collector")]) or Users.create({
        "name": "Collector", "login": "bench_collector",
        "groups_id": [Command.link(env.ref("base.group_user").id), Command.link(collector_group.id)],
    })
    supervisor_group = env.ref("credit_relance.credit_relance_group_supervisor")
    if not Users.search_count([("login", "=", "bench_supervisor")]):
        Users.create({
            "name": "Supervisor", "login": "bench_supervisor",
            "groups_id": [Command.link(env.ref("base.group_user").id), Command.link(supervisor_group.id)],
        })
    # the collector and the supervisor read invoices (Invoicing: billing), as a credit desk does: the
    # agenda's "coming" column lists the invoices whose next step falls due
    Users.search([("login", "in", ["bench_collector", "bench_supervisor"])]).groups_id = [
        Command.link(env.ref("account.group_account_invoice").id)]
    return salesrep_ids, collector


def _reminder_template(env):
    Template = env["mail.template"]
    template = Template.search([("model", "=", "res.partner"), ("name", "=", "Payment reminder (benchmark)")],
                               limit=1)
    return template or Template.create({
        "name": "Payment reminder (benchmark)",
        "model_id": env["ir.model"]._get_id("res.partner"),
        "subject": "Payment reminder: {{ object.name }}",
        "email_from": "{{ user.company_id.email_formatted or user.email_formatted }}",
        "partner_to": "{{ object.id }}",
        "lang": "{{ object.lang }}",
        "body_html": "<p>Dear <t t-out='object.name'/>,</p>"
                     "<p>Our records show invoices past their due date. Please pay them.</p>",
    })


def ensure_our_configuration(env, collector):
    """The Standard scenario (J+1, J+15, J+30, J+45) and four groups using it, unless present."""
    Scenario = env["credit.relance.scenario"]
    scenario = Scenario.search([("name", "=", BENCH_SCENARIO)], limit=1)
    if not scenario:
        template = _reminder_template(env)
        scenario = Scenario.create({
            "name": BENCH_SCENARIO,
            "step_ids": [Command.create({
                "name": label, "offset_days": offset, "channel": channel, "trigger_mode": mode,
                "mail_template_id": template.id if channel in ("email", "formal_notice") else False,
            }) for offset, label, channel, mode, _peer in STANDARD_STEPS],
        })
    Group = env["credit.relance.group"]
    if not Group.search_count([("name", "like", "(benchmark)")]):
        Group.create([{
            "sequence": sequence, "name": name, "domain": domain,
            "scenario_id": scenario.id, "collector_id": collector.id,
        } for sequence, name, domain in BENCH_GROUPS])
    return scenario


def ensure_peer_policy(env):
    """The peer's policy with the same levels and delays, set as the company's; previous runs dropped."""
    if "credit.control.policy" not in env:
        raise NotAvailable("account_credit_control is not installed")
    # Drop the peer's previous runs so that every benchmark run starts from the same state.
    for table in ("credit_control_communication", "credit_control_line", "credit_control_run"):
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    env.invalidate_all()
    Policy = env["credit.control.policy"]
    policy = Policy.search([("name", "=", PEER_POLICY)], limit=1)
    if not policy:
        template = env.ref("account_credit_control.email_template_credit_control_base")
        receivables = env["account.account"].search([
            ("account_type", "=", "asset_receivable"), ("company_ids", "in", env.company.id)])
        policy = Policy.create({
            "name": PEER_POLICY,
            "company_id": env.company.id,
            "account_ids": [Command.set(receivables.ids)],
            "level_ids": [Command.create({
                "name": label, "level": level, "computation_mode": "net_days", "delay_days": offset,
                "channel": peer_channel, "email_template_id": template.id,
                "custom_text": label, "custom_mail_text": f"<p>{label}</p>",
            }) for level, (offset, label, _channel, _mode, peer_channel) in enumerate(STANDARD_STEPS, start=1)],
        })
    # Our e-mail steps render and queue mails without PDF (attach_invoice_pdf is off in the Standard
    # scenario); the peer's template attaches a PDF summary rendered by wkhtmltopdf. Compare like
    # with like: the peer's e-mails are rendered without it too.
    policy.level_ids.email_template_id.report_template_ids = [Command.clear()]
    env.company.credit_policy_id = policy
    return policy


def reset_our_state(env):
    """Forget what a previous benchmark run left (actions, queued mails, groups): same start every run."""
    for table in ("credit_relance_action", "mail_mail"):
        if _table_exists(env, table):
            env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    env.cr.execute(SQL("UPDATE res_partner SET credit_group_id = NULL WHERE credit_group_id IS NOT NULL"))
    env.invalidate_all()


# ------------------------------------------------------------------------------ our stages

def stage_groups(env, today):
    _hook(env, "groups")()
    env.flush_all()
    customers = count_rows(env, "res_partner", SQL("customer_rank > 0"))
    grouped = count_rows(env, "res_partner", SQL("credit_group_id IS NOT NULL"))
    return {"rows": customers, "note": f"{grouped} customers in a group"}


def stage_planning(env, today):
    plan = _hook(env, "planning")
    actions = count_rows(env, "credit_relance_action")
    lines = count_rows(env, "credit_relance_action_line")
    batches = []
    plan(env.company, today, on_batch=commit_per_batch(env, batches))
    env.flush_all()
    new_actions = count_rows(env, "credit_relance_action") - actions
    new_lines = count_rows(env, "credit_relance_action_line") - lines
    return {"rows": new_lines, "note": f"{new_actions} actions, {new_lines} invoice lines, "
                                       f"{len(batches)} batches of {env.company.credit_batch_size or 1000} customers"}


def planned_snapshot(env):
    """What the planning decided, comparable between two runs: the invoice lines as sorted
    (invoice, step, customer, planned date, channel) tuples, then the actions as sorted
    (customer, step, planned date, channel, number of lines) tuples."""
    if not _table_exists(env, "credit_relance_action_line"):
        return []
    env.cr.execute(SQL(
        """
        SELECT l.move_id, l.step_id, a.partner_id, a.planned_date, a.channel
          FROM credit_relance_action_line l JOIN credit_relance_action a ON a.id = l.action_id
         ORDER BY 1, 2
        """
    ))
    lines = [tuple(str(value) for value in row) for row in env.cr.fetchall()]
    env.cr.execute(SQL(
        """
        SELECT a.partner_id, a.step_id, a.planned_date, a.channel, count(l.id)
          FROM credit_relance_action a LEFT JOIN credit_relance_action_line l ON l.action_id = a.id
         GROUP BY a.id ORDER BY 1, 2, 3, 4, 5
        """
    ))
    return lines + [("action", *(str(value) for value in row)) for row in env.cr.fetchall()]


def delete_actions(env):
    env.cr.execute(SQL("DELETE FROM credit_relance_action"))
    env.invalidate_all()


def stage_email(env, today):
    execute_due = _hook(env, "email")
    mails = count_rows(env, "mail_mail")
    with mocked_smtp(env) as (_connect, send):
        executed = execute_due(env.company, today, on_batch=commit_per_batch(env))
        env.flush_all()
    queued = count_rows(env, "mail_mail") - mails
    return {"rows": queued, "note": f"{executed} automatic actions executed, {queued} mails queued, "
                                    f"{send.call_count} sent to the mocked SMTP"}


def stage_projection(env, today):
    project = _hook(env, "projection")
    changed = project([("company_id", "=", env.company.id)], today)
    env.flush_all()
    projected = count_rows(env, "account_move", SQL("credit_next_step_id IS NOT NULL"))
    coming = count_rows(env, "account_move", SQL(
        "credit_next_step_date > %s AND credit_next_step_date <= %s", today, today + datetime.timedelta(days=10)))
    return {"rows": count_open_invoices(env),
            "note": f"open invoices read; {projected} with a next step ({changed} changed), {coming} in 10 days"}


def generate_actions(env, today, total=AGENDA_ACTIONS):
    """Add actions up to ``total`` with one INSERT ... SELECT over the generated customers.

    The spread is a dunning desk's after some weeks: four in five scenario actions (the benchmark
    scenario's steps and channels), one in five follow-up actions (by hand, with a category); 55 %
    done, the rest cancelled, skipped, planned, to do, to validate or in error; planned from 59 days
    ago to 15 days ahead; spread over the collector, the supervisor and the sales reps.
    """
    existing = count_rows(env, "credit_relance_action")
    missing = max(total - existing, 0)
    if not missing:
        return {"rows": 0, "note": f"{existing} actions already"}
    scenario = env["credit.relance.scenario"].search([("name", "=", BENCH_SCENARIO)], limit=1)
    steps = scenario.step_ids.sorted("offset_days")
    users = env["res.users"].search([("login", "in", ["bench_collector", "bench_supervisor"])])
    users |= env["res.users"].search([("login", "like", "bench_salesrep_")])
    if not steps or not users:
        raise NotAvailable("the benchmark scenario or users are missing")
    env.cr.execute(SQL(
        """
        WITH customers AS (
            SELECT ARRAY_AGG(id ORDER BY id) AS ids FROM res_partner
             WHERE customer_rank > 0 AND (company_id IS NULL OR company_id = %(company)s)
        ), spread AS (
            SELECT g,
                   customers.ids[1 + MOD(g * 7919, CARDINALITY(customers.ids))] AS partner_id,
                   MOD(g, 5) <> 0 AS by_scenario,
                   1 + MOD(g, CARDINALITY(%(steps)s::int[])) AS step_index,
                   (ARRAY['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done', 'done',
                          'cancelled', 'skipped', 'planned', 'planned', 'to_do', 'to_do', 'to_validate',
                          'error', 'to_do'])[1 + MOD(g * 13, 20)] AS state,
                   %(today)s::date - MOD(g * 37, 75)::int + 15 AS planned_date,
                   (ARRAY['in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'promise',
                          'promise', 'dispute', 'litigation', 'other'])[1 + MOD(g * 11, 10)] AS category
              FROM customers, generate_series(1, %(missing)s) AS g
        )
        INSERT INTO credit_relance_action (name, partner_id, company_id, scenario_id, step_id, planned_date,
                                           channel, trigger_mode, state, user_id, followup_category, amount_total,
                                           done_date, create_uid, write_uid, create_date, write_date)
        SELECT 'Benchmark action ' || s.g, s.partner_id, %(company)s,
               CASE WHEN s.by_scenario THEN %(scenario)s END,
               CASE WHEN s.by_scenario THEN (%(steps)s::int[])[s.step_index] END,
               LEAST(s.planned_date, CASE WHEN s.state IN ('done', 'cancelled', 'skipped') THEN %(today)s::date
                                          ELSE s.planned_date END),
               CASE WHEN s.by_scenario THEN (%(channels)s::varchar[])[s.step_index]
                    ELSE (ARRAY['phone', 'email', 'phone', 'letter'])[1 + MOD(s.g, 4)] END,
               CASE WHEN s.by_scenario THEN (%(modes)s::varchar[])[s.step_index] ELSE 'manual' END,
               s.state,
               (%(users)s::int[])[1 + MOD(s.g * 31, CARDINALITY(%(users)s::int[]))],
               CASE WHEN s.by_scenario AND MOD(s.g, 7) <> 0 THEN 'in_progress' ELSE s.category END,
               50 + MOD(s.g * 131, 5000),
               CASE WHEN s.state = 'done'
                    THEN LEAST(s.planned_date, %(today)s::date) + make_interval(hours => 8 + MOD(s.g, 10)::int) END,
               %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM spread s
         WHERE s.partner_id IS NOT NULL
        """,
        company=env.company.id, today=today, missing=missing, scenario=scenario.id,
        steps=steps.ids, channels=steps.mapped("channel"), modes=steps.mapped("trigger_mode"),
        users=users.ids, uid=env.uid,
    ))
    added = env.cr.rowcount
    env.invalidate_all()
    return {"rows": added, "note": f"{added} actions added to the {existing} planned: "
                                   f"{count_rows(env, 'credit_relance_action')} in all"}


def stage_agenda(env, today):
    _hook(env, "agenda")  # NotAvailable when the agenda is not installed
    Users = env["res.users"]
    collector = Users.search([("login", "=", "bench_collector")], limit=1)
    supervisor = Users.search([("login", "=", "bench_supervisor")], limit=1)
    if not collector or not supervisor:
        raise NotAvailable("the benchmark users are missing")
    env.flush_all()
    env["credit.relance.agenda"].with_user(collector).get_agenda({})
    agenda = env["credit.relance.agenda"].with_user(supervisor).get_agenda({"user_id": False})
    cells = sum(cell["count"] for section in agenda["sections"] for row in section["rows"]
                for cell in row["cells"].values())
    coming = sum(row["cells"]["coming"]["count"] for section in agenda["sections"] for row in section["rows"])
    return {"rows": count_rows(env, "credit_relance_action"),
            "note": f"actions; collector's agenda, then supervisor's of everybody ({cells} in its cells, "
                    f"{coming} coming over {count_open_invoices(env)} open invoices)"}


def stage_kpi(env, today):
    read_group = _hook(env, "kpi")
    env.flush_all()
    months = read_group([], KPI_MEASURES, ["month:month"], lazy=False)
    return {"rows": count_open_invoices(env), "note": f"open invoices; {len(months)} months read by month"}


def stage_kpi_monthly(env, today):
    read_group = _hook(env, "kpi_monthly")
    env.flush_all()
    months = read_group([("scope", "=", "company")], ["receivable_amount", "dso", "dso_countback"], ["month:month"],
                        lazy=False)
    return {"rows": count_open_invoices(env), "note": f"open invoices; {len(months)} months of countback DSO"}


def count_open_invoices(env):
    return count_rows(env, "account_move", SQL(
        "move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')"))


OUR_STAGES = [
    ("groups", stage_groups),
    ("planning", stage_planning),
    ("restart", None),  # run.py: planning killed midway in a child process, then resumed here
    ("shared", None),  # run.py: several child processes plan one run together
    ("email", stage_email),
    ("projection", stage_projection),
    ("actions", generate_actions),  # setup, not measured as ours: actions up to AGENDA_ACTIONS
    ("agenda", stage_agenda),
    ("kpi", stage_kpi),
    ("kpi_monthly", stage_kpi_monthly),
]
SETUP_STAGES = {"actions"}


# ------------------------------------------------------------------------------ the peer

def peer_planning(env, today):
    """account_credit_control's run: the credit control lines of the day (its planning)."""
    if "credit.control.run" not in env:
        raise NotAvailable("account_credit_control is not installed")
    policy = env.company.credit_policy_id
    run = env["credit.control.run"].create({"date": today, "policy_ids": [Command.set(policy.ids)]})
    run.generate_credit_lines()
    env.flush_all()
    lines = count_rows(env, "credit_control_line")
    return {"rows": lines, "note": f"{lines} credit control lines", "run_id": run.id}


def peer_email(env, today):
    """account_credit_control's sending of the e-mail lines: communications rendered and queued."""
    if "credit.control.run" not in env:
        raise NotAvailable("account_credit_control is not installed")
    run = env["credit.control.run"].search([("date", "=", today)], order="id desc", limit=1)
    if not run:
        raise NotAvailable("no peer run today")
    mails = count_rows(env, "mail_mail")
    with mocked_smtp(env) as (_connect, send):
        run.set_to_ready_lines()
        run.run_channel_action()
        env.flush_all()
    queued = count_rows(env, "mail_mail") - mails
    communications = count_rows(env, "credit_control_communication")
    return {"rows": queued, "note": f"{communications} communications, {queued} mails queued, "
                                    f"{send.call_count} sent to the mocked SMTP"}


PEER_STAGES = [
    ("planning", peer_planning),
    ("email", peer_email),
]


def default_today():
    return datetime.date.today()
