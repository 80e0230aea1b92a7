"""The foundation: the server serves, the addons are installed, the setup refuses a Python without Odoo."""

import os
import subprocess
import venv

import requests


def test_login_page_is_served(server):
    response = requests.get(server["url"] + "/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_three_addons_installed(admin):
    modules = admin.execute(
        "ir.module.module",
        "search_read",
        [("name", "in", ["credit_relance", "credit_litige", "credit_community"])],
        fields=["name", "state", "latest_version"],
    )
    assert {m["name"]: m["state"] for m in modules} == {
        "credit_relance": "installed",
        "credit_litige": "installed",
        "credit_community": "installed",
    }
    assert all(m["latest_version"] == "18.0.1.0.0" for m in modules)


def test_admin_is_credit_supervisor(admin):
    assert admin.execute("res.users", "has_group", admin.uid, "credit_relance.credit_relance_group_supervisor")


def test_install_refuses_python_without_odoo(root, tmp_path):
    """Without Odoo and without Odoo's release server, install.sh stops with a clear message."""
    env_dir = tmp_path / "no-odoo"
    venv.create(env_dir, with_pip=False)
    env = dict(os.environ, PYTHON=str(env_dir / "bin" / "python"),
               ODOO_RELEASE_URL="http://127.0.0.1:9/odoo_18.0.latest.tar.gz")
    result = subprocess.run(
        ["bash", str(root / "setup" / "install.sh")], check=False, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "cannot download Odoo 18.0" in result.stderr
    assert "PYTHON=/path/to/python" in result.stderr
