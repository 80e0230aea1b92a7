#!/usr/bin/env bash
# The benchmark command: our daily dunning run beside OCA's account_credit_control, on one
# database generated with batch SQL.
#   setup/bench.sh                 20,000 customers, 100,000 open invoices (a few minutes)
#   setup/bench.sh --quick         2,000 customers, 10,000 open invoices
#   setup/bench.sh --quick --json var/bench.json --markdown var/bench.md --reuse
# Every option of `python -m tests.benchmarks.run --help` is accepted. The peer addon is
# downloaded once (pip download, never installed into Python) into $VAR_DIR/bench-addons and
# added to the benchmark database's addons path only. CREDIT_BENCH_NO_PEER=1 skips the peer;
# CREDIT_BENCH_PEER_VERSION (default "==18.0.*") pins it; CREDIT_BENCH_PORT sets the HTTP port
# of the installer (default 8269).
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

odoo_is_18 || die "Odoo 18 is not importable by $PYTHON (run setup/install.sh first)"
ensure_postgres

PEER_DIR="$VAR_DIR/bench-addons"
peer_args=()
if [ -z "${CREDIT_BENCH_NO_PEER:-}" ]; then
    if [ ! -f "$PEER_DIR/addons/account_credit_control/__manifest__.py" ]; then
        say "Downloading OCA account_credit_control into $PEER_DIR (benchmark only)"
        (cd "$ROOT" && "$PYTHON" -m tests.benchmarks.fetch_peer "$PEER_DIR" "${CREDIT_BENCH_PEER_VERSION:-==18.0.*}") ||
            die "could not download the peer addon (PyPI unreachable? CREDIT_BENCH_NO_PEER=1 runs without it)"
    fi
    peer_args=(--peer-addons "$PEER_DIR/addons")
fi

cd "$ROOT"
exec "$PYTHON" -m tests.benchmarks.run --data-dir "$VAR_DIR/filestore" "${peer_args[@]}" "$@"
