#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from a fresh database and merge it into i18n/fr.po
# (new terms appear untranslated; translate them, the test command checks fr.po is complete).
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/setup/install.sh"
DB="credit_i18n_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
odoo_bin -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --log-level=warn
for addon in ${ADDONS//,/ }; do
    pot="$ROOT/$addon/i18n/$addon.pot"
    odoo_bin -d "$DB" --i18n-export="$pot" --modules="$addon" --stop-after-init --log-level=warn
    if [ -f "$ROOT/$addon/i18n/fr.po" ]; then
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$ROOT/$addon/i18n/fr.po" "$pot"
    else
        msginit --no-translator --locale=fr_FR --input="$pot" --output-file="$ROOT/$addon/i18n/fr.po"
    fi
    printf '%s: %s\n' "$addon" "$(msgfmt --statistics -o /dev/null "$ROOT/$addon/i18n/fr.po" 2>&1)"
done
