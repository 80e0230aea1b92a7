# Shared settings for the setup scripts; sourced, never run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# The Python that has (or will have) Odoo 18. Point it elsewhere with PYTHON=/path/to/python.
PYTHON="${PYTHON:-python3}"
export PYTHON
ADDONS="credit_relance,credit_litige,credit_community"
export ADDONS
VAR_DIR="${CREDIT_VAR_DIR:-$ROOT/var}"
export VAR_DIR

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

odoo_is_18() {
    "$PYTHON" - <<'EOF' >/dev/null 2>&1
import odoo.release as r
raise SystemExit(0 if tuple(r.version_info[:2]) == (18, 0) else 1)
EOF
}

# Run Odoo's server entry point with our addons on the path. Odoo adds its own addons.
odoo_bin() {
    "$PYTHON" -c 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()' \
        --addons-path="$ROOT" --data-dir="$VAR_DIR/filestore" "$@"
}

# The same, replacing the current (sub)shell: `odoo_serve ... &` gives $! = Odoo's own PID.
odoo_serve() {
    exec "$PYTHON" -c 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()' \
        --addons-path="$ROOT" --data-dir="$VAR_DIR/filestore" "$@"
}

pg_running() { pg_isready -q >/dev/null 2>&1; }

# Start the first PostgreSQL cluster if none answers, and make sure our role exists.
ensure_postgres() {
    command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL client tools are missing (apt-get install postgresql)"
    if ! pg_running; then
        if command -v pg_lsclusters >/dev/null 2>&1; then
            local ver name
            read -r ver name _ < <(pg_lsclusters --no-header | head -n 1)
            [ -n "${ver:-}" ] || die "PostgreSQL is installed but has no cluster (pg_createcluster 15 main)"
            say "Starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start || die "could not start PostgreSQL $ver/$name"
            for _ in $(seq 1 30); do pg_running && break; sleep 1; done
        else
            die "no PostgreSQL server answers and pg_ctlcluster is absent; start PostgreSQL or set PGHOST"
        fi
    fi
    local me
    me="$(id -un)"
    if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v su >/dev/null 2>&1; then
            say "Creating PostgreSQL role $me"
            su postgres -c "psql -v ON_ERROR_STOP=1 -c 'CREATE ROLE \"$me\" SUPERUSER LOGIN'" >/dev/null ||
                die "could not create the PostgreSQL role $me"
        else
            die "PostgreSQL refuses role $me: create it (createuser -s $me) or set PGUSER/PGHOST"
        fi
    fi
}
