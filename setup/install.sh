#!/usr/bin/env bash
# Install what the three addons need; safe to run again and again.
#   - Debian packages: PostgreSQL, wkhtmltopdf, fonts, chromium (browser tests)
#   - a running PostgreSQL cluster and a role for the current user
#   - Odoo 18.0 from Odoo's official release, unless the Python in $PYTHON already imports it
#   - the Python packages the addons and their tests use
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ODOO_RELEASE_URL="${ODOO_RELEASE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
DEB_PACKAGES=(postgresql postgresql-client wkhtmltopdf fonts-dejavu-core fonts-liberation
    xfonts-75dpi xfonts-base chromium libpq-dev libldap2-dev libsasl2-dev libxml2-dev
    libxslt1-dev libjpeg-dev zlib1g-dev gcc curl gettext)
PY_PACKAGES=(phonenumbers num2words lxml freezegun websocket-client pytest requests
    ruff pylint-odoo)

install_debian_packages() {
    local missing=()
    for p in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}) and no apt-get to install them"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    say "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
}

# Odoo's requirements.txt pins, for Python 3.11, sdists that no longer build; the pins it gives
# for Python 3.12 have wheels and work on 3.11, so we evaluate its markers as if on 3.12.
odoo_requirements_for_this_python() {
    "$PYTHON" - "$1" <<'EOF'
import sys
from packaging.requirements import Requirement
env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": sys.platform,
       "platform_system": "Linux", "os_name": "posix"}
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker is None or req.marker.evaluate(env):
        req.marker = None
        print(req)
EOF
}

install_odoo() {
    odoo_is_18 && return 0
    say "Odoo 18.0 is not importable by $PYTHON: installing it from Odoo's official release"
    local tmp
    tmp="$(mktemp -d)"
    if ! curl -fsSL --connect-timeout 20 --max-time 900 -o "$tmp/odoo.tar.gz" "$ODOO_RELEASE_URL"; then
        rm -rf "$tmp"
        die "cannot download Odoo 18.0 from $ODOO_RELEASE_URL.
       Install Odoo 18.0 yourself (e.g. 'pip install <odoo-18 source folder>') and run again,
       or point these scripts at a Python that already imports Odoo 18:
           PYTHON=/path/to/python ./setup/run.sh"
    fi
    tar -xzf "$tmp/odoo.tar.gz" -C "$tmp" || die "the Odoo archive is damaged"
    local src
    src="$(find "$tmp" -maxdepth 2 -name setup.py -printf '%h\n' | head -n 1)"
    [ -n "$src" ] || die "the Odoo archive holds no setup.py"
    "$PYTHON" -m pip install -q packaging wheel setuptools || die "pip cannot install packaging/wheel"
    odoo_requirements_for_this_python "$src/requirements.txt" >"$tmp/req.txt"
    "$PYTHON" -m pip install -q -r "$tmp/req.txt" || die "Odoo's Python requirements failed to install"
    # Not editable: an editable install lets OCA wheels' odoo/addons shadow the odoo package.
    "$PYTHON" -m pip install -q --no-deps --no-build-isolation "$src" || die "pip install of Odoo failed"
    rm -rf "$tmp"
    odoo_is_18 || die "Odoo was installed but '$PYTHON -c \"import odoo\"' still fails"
}

install_python_packages() {
    local missing
    missing="$("$PYTHON" - "${PY_PACKAGES[@]}" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for name in sys.argv[1:]:
    try:
        version(name)
    except PackageNotFoundError:
        print(name)
EOF
)"
    [ -z "$missing" ] && return 0
    say "Installing Python packages: $(echo "$missing" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    "$PYTHON" -m pip install -q $missing || die "pip install failed for: $missing"
}

command -v "$PYTHON" >/dev/null 2>&1 || die "no Python at '$PYTHON' (set PYTHON=/path/to/python3.11)"
install_debian_packages
ensure_postgres
install_odoo
install_python_packages
mkdir -p "$VAR_DIR"
say "Ready: $("$PYTHON" -c 'import odoo.release as r; print("Odoo", r.version)') with $PYTHON"
