"""Benchmark of the daily dunning run, ours beside OCA's account_credit_control, on one database.

Usage (from the repository root; setup/bench.sh wraps it and fetches the peer addon)::

    python -m tests.benchmarks.run --quick --db credit_bench_quick --json out.json
    python -m tests.benchmarks.run --customers 20000 --invoices 100000 --peer-addons var/bench-addons/addons

1. Creates the database (drops it first unless ``--reuse``) with Odoo's own installer, in a
   child process: our three addons, the chart of accounts, and the peer when its path is given.
2. Generates the customers and open invoices with batch SQL (credit_relance/tests/bench_data.py).
3. Configures our "Standard" scenario (J+1, J+15, J+30, J+45) with four groups, and the peer's
   policy with the same levels and delays.
4. Runs and measures each stage in this process (wall time, SQL queries, peak RSS, rows per
   second), each in its own committed transaction, SMTP mocked: ours (groups, planning, the
   planning killed midway then restarted, the planning shared by ``--workers`` processes, e-mail
   actions, projection of the next steps, agenda on at least 100,000 actions (generated with
   batch SQL beside the planned ones), KPIs; see ENGINE_METHODS in stages.py) then the peer's
   (planning, e-mails). Each planning, ours or the peer's, starts from a vacuumed database.
5. Prints a table, the peer/ours ratios, and writes JSON (and Markdown) results.
"""

import argparse
import contextlib
import datetime
import importlib.util
import json
import logging
import os
import pathlib
import platform
import signal
import subprocess
import sys
import time
import traceback

import psycopg2

import odoo
from odoo.tools import SQL, config

from . import stages
from .measure import Measure, measured

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUICK = (2000, 10000)
FULL = (20000, 100000)
GENERATED_KEY = "credit_bench.generated"
PLANNING_STARTED = "credit_bench: planning started"
WORKER_READY = "credit_bench: worker ready"
WORKER_RESULT = "credit_bench: worker result "
_logger = logging.getLogger("credit_bench")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=FULL[0])
    parser.add_argument("--invoices", type=int, default=FULL[1])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK[0]} customers, {QUICK[1]} invoices")
    parser.add_argument("--db", help="database name (default: credit_bench_<customers>_<invoices>)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database and its data when it was generated with the same sizes")
    parser.add_argument("--date", type=datetime.date.fromisoformat, help="the run's date (default: today)")
    parser.add_argument("--peer-addons", help="folder holding account_credit_control (omit: no peer)")
    parser.add_argument("--extra-addons-path", help="more addons folders (comma-separated), e.g. an engine to try")
    parser.add_argument("--extra-modules", default="", help="more modules to install (comma-separated)")
    parser.add_argument("--no-peer-email", action="store_true", help="skip the peer's e-mail stage")
    parser.add_argument("--skip", default="", help="our stages to skip (comma-separated), e.g. email")
    parser.add_argument("--l10n-fr", action="store_true", help="French chart (l10n_fr_account) instead of generic")
    parser.add_argument("--json", help="write the results as JSON to this file")
    parser.add_argument("--markdown", help="write the results as a Markdown table to this file")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python allocation peaks (slower)")
    parser.add_argument("--data-dir", default=os.environ.get("CREDIT_BENCH_DATA_DIR", str(ROOT / "var" / "filestore")))
    parser.add_argument("--http-port", default=os.environ.get("CREDIT_BENCH_PORT", "8269"))
    parser.add_argument("--seed", type=float, default=0.42)
    parser.add_argument("--kill-at", type=float, default=0.5,
                        help="restart check: kill the planning after this share of its uninterrupted time")
    parser.add_argument("--workers", type=int, default=2,
                        help="shared-run check: cron workers planning one run together (below 2: skipped)")
    parser.add_argument("--plan-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--wait-go", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.customers, args.invoices = QUICK
    args.db = args.db or f"credit_bench_{args.customers}_{args.invoices}"
    args.date = args.date or datetime.date.today()
    return args


def addons_path(args):
    paths = [str(ROOT)]
    if args.peer_addons:
        paths.append(str(pathlib.Path(args.peer_addons).resolve()))
    if args.extra_addons_path:
        paths += [str(pathlib.Path(path).resolve()) for path in args.extra_addons_path.split(",")]
    return ",".join(paths)


def modules(args):
    names = ["l10n_fr_account" if args.l10n_fr else "account", "credit_relance", "credit_litige", "credit_community"]
    if args.peer_addons:
        names.append("account_credit_control")
    return names + [name for name in args.extra_modules.split(",") if name]


def create_database(args):
    """Create the database as Odoo's database manager does (company country set, so that
    ``account`` loads that country's chart), then install the modules through Odoo's own
    command line, in a child process."""
    if odoo.service.db.exp_db_exist(args.db):
        odoo.service.db.exp_drop(args.db)
    _logger.warning("creating %s", args.db)
    odoo.service.db.exp_create_database(
        args.db, False, "fr_FR" if args.l10n_fr else "en_US", country_code="FR" if args.l10n_fr else None,
    )
    command = [
        sys.executable, "-c", "import sys, odoo.cli; sys.argv[0] = 'odoo'; odoo.cli.main()",
        f"--addons-path={addons_path(args)}", f"--data-dir={args.data_dir}", "-d", args.db,
        "-i", ",".join(modules(args)), "--without-demo=all", "--stop-after-init", "--workers=0",
        "--max-cron-threads=0", "--http-interface=127.0.0.1", f"--http-port={args.http_port}",
        "--log-level=warn",
    ]
    _logger.warning("installing %s on %s", ",".join(modules(args)), args.db)
    subprocess.run(command, check=True)
    odoo.modules.registry.Registry.delete(args.db)  # the child changed the modules: reload


def load_generator():
    """The generator ships with credit_relance's tests; load it by path, not as part of the test package
    (importing ``odoo.addons.credit_relance.tests`` would import Odoo's test framework)."""
    path = ROOT / "credit_relance" / "tests" / "bench_data.py"
    spec = importlib.util.spec_from_file_location("credit_bench_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Bench:
    def __init__(self, args):
        self.args = args
        self.registry = odoo.modules.registry.Registry(args.db)
        self.results = []

    def env(self, cr):
        return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    def run_stage(self, name, side, function, rows=None):
        """Measure ``function(env, today)`` in its own committed transaction."""
        measure = Measure(stage=name, side=side)
        try:
            with self.registry.cursor() as cr:
                env = self.env(cr)
                with measured(measure, self.args.tracemalloc):
                    outcome = function(env, self.args.date) or {}
                    env.flush_all()
                measure.rows = outcome.get("rows", rows)
                measure.note = outcome.get("note", "")
                if measure.rows is not None and measure.seconds > 0:
                    measure.rows_per_second = round(measure.rows / measure.seconds, 1)
        except stages.NotAvailable as exc:
            measure.status, measure.note = "not available", str(exc)
            measure.seconds = measure.queries = 0
            measure.peak_rss_mb = measure.rss_growth_mb = measure.rows_per_second = None
        except Exception as exc:  # noqa: BLE001 - a failing stage is reported, the others still run
            measure.status, measure.note = "error", f"{type(exc).__name__}: {exc}"[:300]
            traceback.print_exc()
        self.results.append(measure)
        _logger.warning("%s/%s: %s %.3fs %s queries %s", side, name, measure.status, measure.seconds,
                        measure.queries, measure.note)
        return measure

    def generated(self):
        with self.registry.cursor() as cr:
            value = self.env(cr)["ir.config_parameter"].get_param(GENERATED_KEY)
        return json.loads(value) if value else None

    def prepare(self):
        """Users, then data (unless reused), then our and the peer's configuration."""
        args = self.args
        with self.registry.cursor() as cr:
            env = self.env(cr)
            salesrep_ids, collector = stages.ensure_users(env)
            collector_id = collector.id
        generated = self.generated()
        wanted = {"customers": args.customers, "invoices": args.invoices, "date": args.date.isoformat(),
                  "seed": args.seed}
        if generated and {key: generated.get(key) for key in wanted} == wanted:
            self.generation = generated
            _logger.warning("reusing the generated data of %s", args.db)
        elif generated:
            raise SystemExit(f"{args.db} holds data generated with {generated}, not {wanted}: run without --reuse")
        else:
            generator = load_generator()

            def generate(env, today):
                figures = generator.BenchDataGenerator(
                    env, today=today, seed=args.seed, salesperson_ids=salesrep_ids,
                ).generate(args.customers, args.invoices)
                env["ir.config_parameter"].set_param(GENERATED_KEY, json.dumps(dict(figures, **wanted)))
                return {"rows": args.invoices, "note": f"{args.customers} customers, buckets "
                                                       f"{figures['aging_buckets']}"}

            measure = self.run_stage("generate data", "setup", generate)
            if measure.status != "ok":
                raise SystemExit(f"data generation failed: {measure.note}")
            self.generation = self.generated()
        with self.registry.cursor() as cr:
            env = self.env(cr)
            stages.reset_our_state(env)
            stages.ensure_our_configuration(env, env["res.users"].browse(collector_id))
            if args.peer_addons:
                stages.ensure_peer_policy(env)

    def run(self):
        self.prepare()
        skipped = {name for name in self.args.skip.split(",") if name}
        for name, function in stages.OUR_STAGES:
            if name in skipped:
                continue
            if name == "restart":
                self.restart_check()
            elif name == "shared":
                self.shared_run_check()
            else:
                if name == "planning":
                    self.vacuum()
                self.run_stage(name, "setup" if name in stages.SETUP_STAGES else "ours", function)
        if self.args.peer_addons:
            for name, function in stages.PEER_STAGES:
                if name == "email" and self.args.no_peer_email:
                    continue
                if name == "planning":
                    self.vacuum()
                self.run_stage(name, "peer", function)

    def vacuum(self):
        """``VACUUM ANALYZE`` the database before a planning is measured, ours or the peer's.

        A daily run starts from the state autovacuum keeps a database in; the benchmark's own
        previous stages (every customer regrouped, the actions of the previous run deleted) leave
        dead rows that autovacuum would only clean up a minute later, in the middle of whichever
        planning runs then. Like pgbench, every measured run starts vacuumed.
        """
        _name, info = odoo.sql_db.connection_info_for(self.args.db)
        with contextlib.closing(psycopg2.connect(**info)) as cnx:
            cnx.autocommit = True  # VACUUM cannot run in a transaction
            with cnx.cursor() as cur:
                cur.execute("VACUUM ANALYZE")

    def _planning_command(self):
        """The command of a child process that plans the whole run like one cron worker."""
        args = self.args
        command = [sys.executable, "-m", "tests.benchmarks.run", "--plan-only", "--db", args.db,
                   "--date", args.date.isoformat(), "--data-dir", args.data_dir,
                   "--customers", str(args.customers), "--invoices", str(args.invoices)]
        if args.peer_addons:
            command += ["--peer-addons", args.peer_addons]
        if args.extra_addons_path:
            command += ["--extra-addons-path", args.extra_addons_path]
        return command

    def _uninterrupted_planning(self, stage):
        """The measure of the planning stage, or a "not available" measure of ``stage`` when it failed."""
        planning = next((m for m in self.results if m.side == "ours" and m.stage == "planning"), None)
        if planning and planning.status == "ok":
            return planning
        self.results.append(Measure(stage=stage, side="ours", status="not available", note="needs the planning stage"))
        return None

    def _restart_from_scratch(self):
        """Delete the planned actions, vacuum, and return what the planning had decided."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            expected = stages.planned_snapshot(env)
            stages.delete_actions(env)
        self.vacuum()
        return expected

    def shared_run_check(self):
        """Several cron workers (child processes) plan one run together, as duplicated scheduled
        actions do: wall time from their common start to the last one's end, and the actions
        must be exactly those of the single-worker run (measured just before)."""
        count = self.args.workers
        stage = f"planning, {count} workers"
        if count < 2 or not self._uninterrupted_planning(stage):
            return
        expected = self._restart_from_scratch()
        children = [subprocess.Popen([*self._planning_command(), "--wait-go"], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True) for _index in range(count)]
        for child in children:  # registry loading is not planning time: start together once all are loaded
            for line in child.stdout:
                if line.startswith(WORKER_READY):
                    break
        started = time.perf_counter()
        for child in children:
            child.stdin.write("go\n")
            child.stdin.close()
        results, ended = [], started
        for child in children:
            for line in child.stdout:
                if line.startswith(WORKER_RESULT):  # its planning is over; its exit is not planning time
                    results.append(json.loads(line[len(WORKER_RESULT):]))
                    ended = max(ended, time.perf_counter())
                    break
        for child in children:
            child.stdout.read()
            child.wait()
        seconds = ended - started
        with self.registry.cursor() as cr:
            env = self.env(cr)
            same = stages.planned_snapshot(env) == expected
            lines = stages.count_rows(env, "credit_relance_action_line")
        ok = same and len(results) == count and all(result["status"] == "ok" for result in results)
        measure = Measure(stage=stage, side="ours", status="ok" if ok else "error", rows=lines)
        measure.seconds = round(seconds, 3)
        measure.queries = sum(result["queries"] for result in results)
        measure.peak_rss_mb = max((result["peak_rss_mb"] or 0 for result in results), default=None)
        measure.rss_growth_mb = max((result["rss_growth_mb"] or 0 for result in results), default=None)
        measure.rows_per_second = round(lines / seconds, 1) if seconds else None
        measure.note = (f"{count} processes sharing the run's batches (busy for "
                        f"{', '.join(str(result['seconds']) for result in results)} s); actions and lines "
                        f"{'identical' if same else 'DIFFERENT'} to the single-worker run")
        self.results.append(measure)
        _logger.warning("ours/%s: %s %.3fs %s queries %s", stage, measure.status, measure.seconds, measure.queries,
                        measure.note)

    def restart_check(self):
        """Kill the daily planning midway (SIGKILL, in a child process) and run it again: the
        actions must be exactly those of the uninterrupted run (measured just before)."""
        planning = self._uninterrupted_planning("restart")
        if not planning:
            return
        expected = self._restart_from_scratch()
        child = subprocess.Popen(self._planning_command(), cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for line in child.stdout:  # the child's start-up (registry loading) is not planning time
            if line.startswith(PLANNING_STARTED):
                break
        time.sleep(max(planning.seconds * self.args.kill_at, 0.05))
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
        child.wait()
        with self.registry.cursor() as cr:
            # PostgreSQL ends a killed client's session when it next talks to it: until then the
            # session holds the batch lock it had, and a restart would leave that batch to a later run
            stages.wait_for_sessions_end(cr, f"odoo-{child.pid}")
            partial = stages.count_rows(self.env(cr), "credit_relance_action_line")
        measure = self.run_stage("restart", "ours", stages.stage_planning)
        with self.registry.cursor() as cr:
            actual = stages.planned_snapshot(self.env(cr))
        same = actual == expected
        measure.status = "ok" if same and measure.status == "ok" else "error"
        measure.note = (f"{'killed' if killed else 'NOT killed (finished first)'} with {partial} of "
                        f"{planning.rows} invoice lines committed; after the restart: actions and lines "
                        f"{'identical' if same else 'DIFFERENT'} to the uninterrupted run")

    # ------------------------------------------------------------------ report

    def ratios(self):
        by_key = {(m.side, m.stage): m for m in self.results}
        ratios = {}
        shared = f"planning, {self.args.workers} workers"
        for stage, ours_stage in (("planning", "planning"), (shared, shared), ("email", "email")):
            ours, peer = by_key.get(("ours", ours_stage)), by_key.get(("peer", stage.split(",")[0]))
            if not peer or peer.status != "ok":
                continue
            if not ours or ours.status != "ok" or not ours.seconds:
                ratios[stage] = {"time": None, "queries": None, "note": "ours not available"}
                continue
            ratios[stage] = {
                "time": round(peer.seconds / ours.seconds, 1),
                "queries": round(peer.queries / ours.queries, 1) if ours.queries else None,
                "note": "peer / ours, measured in the same run",
            }
        return ratios

    def machine(self):
        info = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                "odoo": odoo.release.version, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
        try:
            cpuinfo = pathlib.Path("/proc/cpuinfo").read_text(encoding="utf-8")
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                               if line.startswith("model name"))
            meminfo = pathlib.Path("/proc/meminfo").read_text(encoding="utf-8")
            info["memory_gb"] = round(int(meminfo.split()[1]) / 2**20, 1)
        except (OSError, StopIteration, ValueError, IndexError):
            pass
        with self.registry.cursor() as cr:
            cr.execute(SQL("SHOW server_version"))
            info["postgresql"] = cr.fetchone()[0]
            cr.execute(SQL("SELECT latest_version FROM ir_module_module WHERE name = 'account_credit_control' "
                           "AND state = 'installed'"))
            row = cr.fetchone()
            info["peer"] = f"account_credit_control {row[0]}" if row else None
        return info

    def report(self):
        args = self.args
        data = {
            "date": args.date.isoformat(),
            "database": args.db,
            "customers": args.customers,
            "invoices": args.invoices,
            "generation": self.generation,
            "machine": self.machine(),
            "engine_methods": {stage: f"{model}.{method}" for stage, (model, method)
                               in stages.ENGINE_METHODS.items()},
            "stages": [vars(measure) for measure in self.results],
            "ratios": self.ratios(),
        }
        print(format_table(data))
        if args.json:
            pathlib.Path(args.json).write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
        if args.markdown:
            pathlib.Path(args.markdown).write_text(format_markdown(data), encoding="utf-8")
        return data


COLUMNS = [("side", "side"), ("stage", "stage"), ("status", "status"), ("seconds", "seconds"),
           ("queries", "queries"), ("peak_rss_mb", "peak RSS MB"), ("rss_growth_mb", "RSS growth MB"),
           ("rows", "rows"), ("rows_per_second", "rows/s"), ("note", "note")]


def _cell(value):
    return "-" if value is None else str(value)


def _rows(data):
    return [[_cell(stage[key]) for key, _title in COLUMNS] for stage in data["stages"]]


def _ratio_lines(data):
    lines = []
    for stage, ratio in data["ratios"].items():
        if ratio["time"] is None:
            lines.append(f"{stage}: peer / ours = n/a ({ratio['note']})")
        else:
            lines.append(f"{stage}: peer / ours = {ratio['time']}x the time, {ratio['queries']}x the queries")
    return lines


def format_table(data):
    header = [title for _key, title in COLUMNS]
    rows = _rows(data)
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    widths[-1] = 0
    line = "  ".join("{:<%d}" % width for width in widths)
    out = [f"{data['customers']} customers, {data['invoices']} invoices, run date {data['date']}",
           line.format(*header), line.format(*("-" * width for width in widths))]
    out += [line.format(*row) for row in rows]
    out += _ratio_lines(data)
    return "\n".join(out)


def format_markdown(data):
    machine = data["machine"]
    out = [
        f"# Benchmark: {data['customers']} customers, {data['invoices']} open invoices",
        "",
        (f"Run date {data['date']}; machine: {machine.get('cpus')} CPUs ({machine.get('cpu', '?')}), "
         f"{machine.get('memory_gb', '?')} GB RAM, PostgreSQL {machine.get('postgresql')}, "
         f"Odoo {machine.get('odoo')}, peer: {machine.get('peer') or 'not installed'}; "
         f"load average at the end (1, 5, 15 min): {machine.get('load_average_at_end', '?')}."),
        "",
        "| " + " | ".join(title for _key, title in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    out += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in _rows(data)]
    out += ["", *(f"- {line}" for line in _ratio_lines(data)), ""]
    return "\n".join(out)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config([
        f"--addons-path={addons_path(args)}", f"--data-dir={args.data_dir}", "-d", args.db,
        "--log-level=warn", "--workers=0", "--max-cron-threads=0", f"--http-port={args.http_port}",
    ], setup_logging=True)
    if not args.plan_only and not (args.reuse and odoo.service.db.exp_db_exist(args.db)):
        create_database(args)
    if args.plan_only:
        bench = Bench(args)
        if args.wait_go:
            print(WORKER_READY, flush=True)
            sys.stdin.readline()
        with bench.registry.cursor() as cr:
            print(PLANNING_STARTED, flush=True)
            measure = Measure(stage="planning", side="ours")
            with measured(measure):
                stages.stage_planning(bench.env(cr), args.date)
            print(WORKER_RESULT + json.dumps(vars(measure)), flush=True)
        return 0
    bench = Bench(args)
    bench.run()
    bench.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
