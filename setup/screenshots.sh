#!/usr/bin/env bash
# Refresh the README's screenshots from the demo database served by ./setup/run.sh
# (run it first, in another terminal). CREDIT_DB / CREDIT_PORT as for run.sh.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${CREDIT_DB:-credit_demo}"
URL="http://localhost:${CREDIT_PORT:-8069}"
curl -fs -o /dev/null "$URL/web/login" || die "no Odoo answers on $URL: start ./setup/run.sh first"
company="$(psql -d "$DB" -Atc "select res_id from ir_model_data where module = 'credit_relance' and name = 'demo_company_credit'")"
[ -n "$company" ] || die "$DB has no demo company: create it with ./setup/run.sh"
customer="$(psql -d "$DB" -Atc "select partner_id from account_move where company_id = $company and move_type = 'out_invoice'
    and payment_state = 'not_paid' group by partner_id order by sum(amount_residual) desc limit 1")"
portal_partner="$(psql -d "$DB" -Atc "select p.commercial_partner_id from res_users u join res_partner p on p.id = u.partner_id where u.login = 'customer'")"
invoice=""
if [ -n "$portal_partner" ]; then
    invoice="$(psql -d "$DB" -Atc "select id from account_move where commercial_partner_id = $portal_partner
        and move_type = 'out_invoice' and state = 'posted' and payment_state = 'not_paid' order by invoice_date_due limit 1")"
fi
"$PYTHON" "$ROOT/setup/screenshots.py" "$URL" "$DB" "$ROOT/credit_relance/static/description/screenshots" "$customer" "${invoice:-none}"
