#!/usr/bin/env bash
# The test command. On a fresh, throw-away database:
#   1. installs the three addons with Odoo's test mode and runs their tests (PostgreSQL, real Odoo);
#   2. installs them again beside French accounting (l10n_fr_account), without tests;
#   2b. runs the tests of the optional queue_job path (tag credit_queue_job) on a database with
#      OCA's queue_job, downloaded once into $VAR_DIR/queue-job-addons (never installed into Python;
#      CREDIT_TEST_NO_QUEUE_JOB=1 skips this step when PyPI cannot be reached);
#   3. serves the test database and runs the top-level pytest suite against it;
#   4. runs the linters.
# Fails on any failed test, any ERROR/CRITICAL log line, any skipped test (browser tours
# included) and when an addon ran zero tests.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/setup/install.sh"
odoo_is_18 || die "Odoo 18 is not importable by $PYTHON: the tests cannot run"

STAMP="$(date +%s)_$$"
DB="credit_test_$STAMP"
DB_FR="credit_test_fr_$STAMP"
DB_QJ="credit_test_qj_$STAMP"
LOG_DIR="$VAR_DIR/test-logs"
mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/odoo-tests.log"
PORT="${CREDIT_TEST_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
SERVER_PID=""
TAGS="${CREDIT_TEST_TAGS:-/credit_relance,/credit_litige,/credit_community}"

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    if [ -z "${CREDIT_KEEP_DB:-}" ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
        dropdb --if-exists "$DB_FR" >/dev/null 2>&1 || true
        dropdb --if-exists "$DB_QJ" >/dev/null 2>&1 || true
        rm -rf "$VAR_DIR/filestore/filestore/$DB" "$VAR_DIR/filestore/filestore/$DB_FR" "$VAR_DIR/filestore/filestore/$DB_QJ"
    fi
    return 0
}
trap cleanup EXIT

say "Odoo tests of $ADDONS on the fresh database $DB (log: $LOG)"
set +e
# payment_demo: Odoo's test payment provider, for the portal payment tour (test database only)
odoo_bin -d "$DB" -i "$ADDONS,payment_demo" --without-demo=all --test-enable --test-tags "$TAGS" \
    --stop-after-init --http-interface=127.0.0.1 --http-port="$PORT" --workers=0 \
    --log-level=info --log-handler=odoo.tests.stats:INFO >"$LOG" 2>&1
odoo_rc=$?
set -e

fail=0
problem() { printf '\033[31mFAIL: %s\033[0m\n' "$*"; fail=1; }
grep -E ' (ERROR|CRITICAL) ' "$LOG" | head -n 40 || true
grep -qE ' (ERROR|CRITICAL) ' "$LOG" && problem "errors in the Odoo log ($LOG)"
[ "$odoo_rc" -eq 0 ] || problem "Odoo exited with status $odoo_rc"
if grep -E 'odoo\.addons\.credit_[a-z_]+\.tests.* skipped ' "$LOG"; then
    problem "tests were skipped (a browser tour without Chromium counts as a failure)"
fi
summary="$(grep -E 'odoo\.tests\.result: .* tests when loading database' "$LOG" | tail -n 1 | sed -E 's/.*odoo\.tests\.result: //')"
echo "Odoo: ${summary:-no test summary}"
read -r failed errors total < <(echo "$summary" |
    sed -nE 's/^([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p')
total="${total:-0}"
for addon in ${ADDONS//,/ }; do
    n="$(grep -cE "odoo\.addons\.$addon\.tests\.[a-z0-9_.]+: Starting " "$LOG" || true)"
    echo "  $addon: ${n:-0} tests"
    [ "${n:-0}" -gt 0 ] || problem "$addon ran no test"
done
if grep -E ' WARNING .*(odoo\.addons\.credit_[a-z_]+|credit_(relance|litige|community))' "$LOG" | head -n 20; then
    problem "warnings from our addons in the Odoo log"
fi
odoo_failed=$(( ${failed:-0} + ${errors:-0} ))

say "Installing $ADDONS beside French accounting (l10n_fr_account) on $DB_FR"
# A French company first, so that l10n_fr_account loads the French chart of accounts on it.
fr_log="$LOG_DIR/install-fr.log"
if odoo_bin -d "$DB_FR" -i base --without-demo=all --stop-after-init --workers=0 --log-level=warn >"$fr_log" 2>&1 &&
    psql -q -d "$DB_FR" -c "UPDATE res_partner SET country_id = (SELECT id FROM res_country WHERE code = 'FR')
        WHERE id IN (SELECT partner_id FROM res_company)" >>"$fr_log" 2>&1 &&
    odoo_bin -d "$DB_FR" -i "l10n_fr_account,$ADDONS" --without-demo=all --stop-after-init \
        --http-interface=127.0.0.1 --http-port="$PORT" --workers=0 --log-level=warn >>"$fr_log" 2>&1 &&
    ! grep -qE ' (ERROR|CRITICAL) ' "$fr_log" &&
    [ "$(psql -d "$DB_FR" -Atc "SELECT string_agg(DISTINCT chart_template, ',') FROM res_company")" = fr ]; then
    echo "  installed, French chart of accounts loaded"
else
    grep -E ' (ERROR|CRITICAL) ' "$fr_log" | head -n 20 || tail -n 20 "$fr_log"
    problem "installing beside l10n_fr_account failed ($fr_log)"
fi
dropdb --if-exists "$DB_FR" >/dev/null 2>&1 || true

say "Optional queue_job path: credit_relance beside OCA's queue_job on $DB_QJ (tag credit_queue_job)"
QJ_DIR="$VAR_DIR/queue-job-addons"
qj_log="$LOG_DIR/odoo-tests-queue-job.log"
if [ ! -f "$QJ_DIR/addons/queue_job/__manifest__.py" ] &&
    ! (cd "$ROOT" && "$PYTHON" -m tests.benchmarks.fetch_peer "$QJ_DIR" "${CREDIT_QUEUE_JOB_VERSION:-==18.0.*}" \
        odoo-addon-queue-job) >"$LOG_DIR/queue-job-download.log" 2>&1; then
    rm -rf "$QJ_DIR/addons"
    if [ -n "${CREDIT_TEST_NO_QUEUE_JOB:-}" ]; then
        echo "  skipped: queue_job could not be downloaded and CREDIT_TEST_NO_QUEUE_JOB is set"
    else
        problem "could not download OCA queue_job from PyPI ($LOG_DIR/queue-job-download.log); set CREDIT_TEST_NO_QUEUE_JOB=1 to run without its tests"
    fi
fi
if [ -f "$QJ_DIR/addons/queue_job/__manifest__.py" ]; then
    set +e
    odoo_bin --addons-path="$ROOT,$QJ_DIR/addons" -d "$DB_QJ" -i credit_relance,queue_job --without-demo=all \
        --test-enable --test-tags credit_queue_job --stop-after-init --http-interface=127.0.0.1 \
        --http-port="$PORT" --workers=0 --log-level=info >"$qj_log" 2>&1
    qj_rc=$?
    set -e
    qj_summary="$(grep -E 'odoo\.tests\.result: .* tests when loading database' "$qj_log" | tail -n 1 | sed -E 's/.*odoo\.tests\.result: //')"
    read -r qj_failed qj_errors qj_total < <(echo "$qj_summary" |
        sed -nE 's/^([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p')
    qj_ran="$(grep -cE 'odoo\.addons\.credit_relance\.tests\.test_credit_relance_queue_job: Starting ' "$qj_log" || true)"
    echo "  queue_job: ${qj_ran:-0} tests, ${qj_summary:-no test summary}"
    grep -E ' (ERROR|CRITICAL) ' "$qj_log" | head -n 20 || true
    grep -qE ' (ERROR|CRITICAL) ' "$qj_log" && problem "errors in the queue_job tests' log ($qj_log)"
    grep -qE ' WARNING .*odoo\.addons\.credit_relance' "$qj_log" && problem "warnings from credit_relance in $qj_log"
    [ "$qj_rc" -eq 0 ] || problem "Odoo exited with status $qj_rc in the queue_job tests"
    [ "${qj_ran:-0}" -gt 0 ] || problem "the queue_job path ran no test"
    total=$(( total + ${qj_total:-0} ))
    odoo_failed=$(( odoo_failed + ${qj_failed:-0} + ${qj_errors:-0} ))
fi
dropdb --if-exists "$DB_QJ" >/dev/null 2>&1 || true

say "Top-level tests (pytest) against a server on http://127.0.0.1:$PORT"
odoo_serve -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 --http-port="$PORT" \
    --workers=0 --max-cron-threads=0 --log-level=warn >"$LOG_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 1
done
set +e
CREDIT_TEST_URL="http://127.0.0.1:$PORT" CREDIT_TEST_DB="$DB" CREDIT_ROOT="$ROOT" \
    "$PYTHON" -m pytest -q -p no:cacheprovider "$ROOT/tests" 2>&1 | tee "$LOG_DIR/pytest.log"
pytest_rc=${PIPESTATUS[0]}
set -e
[ "$pytest_rc" -eq 0 ] || problem "pytest failed (status $pytest_rc)"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

say "Linters"
"$ROOT/setup/lint.sh" || problem "lint failed"

py_passed="$(grep -oE '[0-9]+ passed' "$LOG_DIR/pytest.log" | tail -n 1 | cut -d' ' -f1 || true)"
py_failed="$( (grep -oE '[0-9]+ (failed|error)' "$LOG_DIR/pytest.log" || true) | cut -d' ' -f1 | awk '{s += $1} END {print s + 0}')"
all_passed=$(( total - odoo_failed + ${py_passed:-0} ))
all_failed=$(( odoo_failed + ${py_failed:-0} + fail ))
[ "$total" -gt 0 ] || problem "zero Odoo tests ran"
echo
echo "Odoo tests: $total run, $odoo_failed failed; pytest: ${py_passed:-0} passed, ${py_failed:-0} failed"
echo "Total: $all_passed passed, $all_failed failed"
[ "$fail" -eq 0 ] && [ "$odoo_failed" -eq 0 ] || exit 1
