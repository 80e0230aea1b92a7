#!/usr/bin/env bash
# Linters Odoo integrators use, offline once installed: ruff, pylint-odoo, and our own rule
# against SQL built by string formatting.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

status=0
say "ruff"
"$PYTHON" -m ruff check credit_relance credit_litige credit_community tests setup || status=1
say "pylint-odoo"
"$PYTHON" -m pylint --rcfile=.pylintrc --score=n credit_relance credit_litige credit_community || status=1
say "no SQL built from strings"
"$PYTHON" "$ROOT/setup/check_sql.py" credit_relance credit_litige credit_community || status=1
exit $status
