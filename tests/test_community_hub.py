"""The community across real databases: one hub and three member databases, real Odoo servers.

One database with credit_community installed is copied four times (``createdb -T``): a hub and
three members. Two Odoo servers run on free loopback ports: one serves only the hub database
(the members call its API without a session), the other the three member databases (the test
picks the database when it logs in over JSON-RPC). Each member enrols with its code, records
three paid invoices of a common customer (on terms, 30 and 60 days late), and contributes
through the preview wizard; with two contributors nothing is published, with three every
member reads the same score (30 days beyond terms on average -> 50).
"""

import datetime
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests
from conftest import JsonRpc

SIREN = "732829320"
KEY = f"FR-SIREN:{SIREN}"
DAYS_LATE = (0, 30, 60)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql_ok(*args):
    return subprocess.run(list(args), check=False, capture_output=True, text=True, timeout=120)


class Cluster:
    """Databases and servers of the test, removed at the end whatever happens."""

    def __init__(self, root, python):
        self.root = pathlib.Path(root)
        self.python = python
        self.stamp = f"{int(time.time())}_{os.getpid()}"
        self.data_dir = tempfile.mkdtemp(prefix="credit-community-hub-")
        self.template = f"credit_cc_tmpl_{self.stamp}"
        self.hub_db = f"credit_cc_hub_{self.stamp}"
        self.member_dbs = [f"credit_cc_m{n}_{self.stamp}" for n in (1, 2, 3)]
        self.servers = []
        self.logs = []

    def odoo(self, *args):
        return [self.python, "-c", 'import sys, odoo.cli; sys.argv[0] = "odoo"; odoo.cli.main()',
                f"--addons-path={self.root}", f"--data-dir={self.data_dir}", *args]

    def create_databases(self):
        log = pathlib.Path(self.data_dir) / "install.log"
        with open(log, "w") as out:
            result = subprocess.run(
                self.odoo("-d", self.template, "-i", "credit_community", "--without-demo=all", "--stop-after-init",
                          "--http-interface=127.0.0.1", f"--http-port={_free_port()}", "--workers=0",
                          "--max-cron-threads=0", "--log-level=warn"),
                stdout=out, stderr=subprocess.STDOUT, check=False, timeout=600,
            )
        assert result.returncode == 0, log.read_text()[-3000:]
        for db in [self.hub_db, *self.member_dbs]:
            created = _psql_ok("createdb", "-T", self.template, db)
            assert created.returncode == 0, created.stderr

    def start(self, db_filter):
        port = _free_port()
        log = open(pathlib.Path(self.data_dir) / f"server-{port}.log", "w")  # noqa: SIM115 (closed in stop)
        self.logs.append(log)
        proc = subprocess.Popen(
            self.odoo(f"--db-filter={db_filter}", "--http-interface=127.0.0.1", f"--http-port={port}",
                      "--workers=0", "--max-cron-threads=0", "--log-level=warn"),
            stdout=log, stderr=subprocess.STDOUT,
        )
        self.servers.append(proc)
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            if proc.poll() is not None:
                pytest.fail(f"the Odoo server on {url} stopped: see {log.name}")
            try:
                if requests.get(url + "/web/health", timeout=2).status_code == 200:
                    return url
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pytest.fail(f"the Odoo server on {url} did not start")
        return None

    def stop(self):
        for proc in self.servers:
            proc.terminate()
        for proc in self.servers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.logs:
            log.close()
        for db in [self.hub_db, *self.member_dbs, self.template]:
            _psql_ok("dropdb", "--if-exists", db)
        shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(root):
    python = os.environ.get("PYTHON") or sys.executable
    cluster = Cluster(root, python)
    try:
        cluster.create_databases()
        cluster.hub_url = cluster.start(f"^{cluster.hub_db}$")
        cluster.member_url = cluster.start("^credit_cc_m[123]_" + cluster.stamp + "$")
        yield cluster
    finally:
        cluster.stop()


def _record_customer_behaviour(member, days_late):
    """Three paid invoices of 2,000 of the common customer, paid ``days_late`` after the due date."""
    partner_id = member.execute("res.partner", "create", {"name": "Common Customer SA", "is_company": True,
                                                          "company_registry": SIREN})
    today = datetime.date.today()
    for months_ago in (3, 2, 1):
        due = today - datetime.timedelta(days=30 * months_ago + days_late)
        invoice_id = member.execute("account.move", "create", {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_date": str(due - datetime.timedelta(days=30)),
            "invoice_date_due": str(due),
            "invoice_line_ids": [(0, 0, {"name": "Supplies", "quantity": 1, "price_unit": 2000, "tax_ids": []})],
        })
        member.execute("account.move", "action_post", [invoice_id])
        context = {"active_model": "account.move", "active_ids": [invoice_id]}
        wizard_id = member.execute("account.payment.register", "create",
                                   {"payment_date": str(due + datetime.timedelta(days=days_late))}, context=context)
        member.execute("account.payment.register", "action_create_payments", [wizard_id], context=context)
    return partner_id


def _contribute(member):
    """Preview, then send exactly the preview, as a user would."""
    wizard_id = member.execute("credit.community.preview", "create", {})
    preview = member.execute("credit.community.preview", "read", [wizard_id], ["item_count", "payload"])[0]
    assert preview["item_count"] == 1
    assert "Common Customer" not in preview["payload"]
    member.execute("credit.community.preview", "action_send", [wizard_id])


def _read_score(member, partner_id):
    member.execute("res.partner", "action_credit_community_refresh", [partner_id])
    return member.execute("res.partner", "read", [partner_id], [
        "credit_community_score", "credit_community_date", "credit_community_contributors_band",
        "credit_community_days_late", "credit_community_key"])[0]


def test_three_members_share_a_score_two_do_not(cluster):
    hub = JsonRpc(cluster.hub_url, cluster.hub_db, "admin", "admin")
    hub_company = hub.execute("res.users", "read", [hub.uid], ["company_id"])[0]["company_id"][0]
    hub.execute("res.company", "write", [hub_company], {"credit_community_role": "hub"})
    member_ids = [hub.execute("credit.community.member", "create", {"name": f"Supplier {n}"}) for n in (1, 2, 3)]
    codes = [m["enrolment_code"] for m in
             hub.execute("credit.community.member", "read", member_ids, ["enrolment_code"])]

    members, partners = [], []
    for db, code, days_late in zip(cluster.member_dbs, codes, DAYS_LATE, strict=True):
        member = JsonRpc(cluster.member_url, db, "admin", "admin")
        company = member.execute("res.users", "read", [member.uid], ["company_id"])[0]["company_id"][0]
        member.execute("res.company", "write", [company],
                       {"credit_community_role": "member", "credit_community_optin": True})
        settings = member.execute("res.config.settings", "create", {
            "credit_community_hub_url": cluster.hub_url, "credit_community_enrolment_code": code})
        member.execute("res.config.settings", "action_credit_community_enrol", [settings])
        members.append(member)
        partners.append(_record_customer_behaviour(member, days_late))

    # an enrolment code works once
    assert not any(m["enrolment_code"] for m in
                   hub.execute("credit.community.member", "read", member_ids, ["enrolment_code"]))

    # two contributors: nothing is published, for anyone
    _contribute(members[0])
    _contribute(members[1])
    for member, partner_id in zip(members, partners, strict=True):
        card = _read_score(member, partner_id)
        assert card["credit_community_key"] == KEY
        assert card["credit_community_score"] == 0
        assert card["credit_community_date"] is False
        assert card["credit_community_contributors_band"] is False

    # the third contributor: every member reads the same score
    _contribute(members[2])
    cards = [_read_score(member, partner_id) for member, partner_id in zip(members, partners, strict=True)]
    for card in cards:
        # (0 + 30 + 60) / 3 = 30 days beyond terms -> 50
        assert card["credit_community_score"] == 50
        assert card["credit_community_days_late"] == 30
        assert card["credit_community_contributors_band"] == "3-5"
        assert card["credit_community_date"] == str(datetime.date.today())

    # the hub holds one contribution per member, with no supplier data; every exchange is audited
    contributions = hub.execute("credit.community.contribution", "search_read", [("key", "=", KEY)],
                                fields=["member_id", "paid_count", "amount_band"])
    assert sorted(c["member_id"][0] for c in contributions) == sorted(member_ids)
    assert {(c["paid_count"], c["amount_band"]) for c in contributions} == {(3, "B")}
    reads = hub.execute("credit.community.read.log", "search_count", [])
    assert reads == 6
    for member in members:
        logs = member.execute("credit.community.sync.log", "search_read", [], fields=["operation", "state"])
        assert {(log["operation"], log["state"]) for log in logs} >= {("enrol", "success"),
                                                                     ("contribute", "success"),
                                                                     ("read", "success")}
