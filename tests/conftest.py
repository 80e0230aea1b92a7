"""Tests across addons and against a running Odoo server, started by setup/test.sh.

setup/test.sh exports CREDIT_TEST_URL (the server), CREDIT_TEST_DB (its database, where the
three addons are installed) and CREDIT_ROOT (the repository).
"""

import os
import pathlib

import pytest
import requests


@pytest.fixture(scope="session")
def root():
    return pathlib.Path(os.environ.get("CREDIT_ROOT", pathlib.Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def server():
    url = os.environ.get("CREDIT_TEST_URL")
    db = os.environ.get("CREDIT_TEST_DB")
    if not url or not db:
        pytest.fail("CREDIT_TEST_URL and CREDIT_TEST_DB are not set: run these tests through ./setup/test.sh")
    return {"url": url.rstrip("/"), "db": db}


class JsonRpc:
    """A logged-in JSON-RPC session, as Odoo's web client talks to the server."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.session = requests.Session()
        result = self.call("/web/session/authenticate", db=db, login=login, password=password)
        self.uid = result["uid"]

    def call(self, path, **params):
        response = self.session.post(
            self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=60
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RuntimeError(payload["error"]["data"]["message"])
        return payload["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call(
            "/web/dataset/call_kw", model=model, method=method, args=list(args), kwargs=kwargs
        )


@pytest.fixture(scope="session")
def admin(server):
    return JsonRpc(server["url"], server["db"], "admin", "admin")
