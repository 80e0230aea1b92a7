#!/usr/bin/env bash
# Install, create (or reuse) the demo database and serve Odoo on http://localhost:8069.
# Runs in the foreground: stop it with Ctrl+C. CREDIT_DB, CREDIT_PORT and PYTHON change the defaults;
# CREDIT_RESET_DB=1 drops and recreates the demo database.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/setup/install.sh"
DB="${CREDIT_DB:-credit_demo}"
PORT="${CREDIT_PORT:-8069}"

if [ -n "${CREDIT_RESET_DB:-}" ]; then
    dropdb --if-exists "$DB"
fi
installed="$(psql -d "$DB" -Atc "select count(*) from ir_module_module
    where state = 'installed' and name in ('credit_relance', 'credit_litige', 'credit_community')" 2>/dev/null || echo 0)"
if [ "$installed" != 3 ]; then
    say "Creating the demo database $DB (French company, customers, invoices, a year of history)"
    # French accounting first, so that the demo company gets the French chart of accounts.
    odoo_bin -d "$DB" -i l10n_fr_account --stop-after-init --workers=0 \
        --http-port="$PORT" --log-level=warn || die "installing French accounting on $DB failed"
    odoo_bin -d "$DB" -i "$ADDONS" --stop-after-init --workers=0 \
        --http-port="$PORT" --log-level=warn || die "installing the addons on $DB failed"
else
    say "Reusing the demo database $DB (CREDIT_RESET_DB=1 to start again)"
    odoo_bin -d "$DB" -u "$ADDONS" --stop-after-init --workers=0 --http-port="$PORT" --log-level=warn ||
        die "updating the addons on $DB failed"
fi

cat <<MSG

  Odoo is starting on http://localhost:$PORT  (database: $DB) — stop it with Ctrl+C.
  Demo logins (login / password):
    admin / admin                       administrator
    supervisor / supervisor             Credit supervisor (configures templates, scenarios, groups)
    collector1 / collector1             Credit collector
    collector2 / collector2             Credit collector
    salesrep1 / salesrep1               Sales rep (own customers only)
    salesrep2 / salesrep2               Sales rep (own customers only)
    customer / customer                 Portal customer (Boulangeries Lemaire)

MSG
exec "$PYTHON" -c 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()' \
    --addons-path="$ROOT" --data-dir="$VAR_DIR/filestore" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" --workers=0 --max-cron-threads=1
