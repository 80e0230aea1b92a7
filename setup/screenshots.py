"""Take the README's screenshots from a running demo server, in headless Chromium.

Usage: python setup/screenshots.py URL DB OUTPUT_DIR CUSTOMER_ID INVOICE_ID
Drives Chromium through its DevTools protocol (websocket-client), logs in as each demo user
and saves PNG files of the main screens.
"""

import base64
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

# (file, login, path, element that must be on the page, width, height)
SHOTS = [
    ("agenda.png", "collector1", "/odoo/action-credit_relance.credit_relance_agenda_action",
     ".o_credit_agenda_table", 1400, 800),
    ("actions.png", "collector1", "/odoo/action-credit_relance.credit_relance_action_action",
     ".o_list_view .o_data_row", 1400, 800),
    ("customer_credit.png", "supervisor", "/web#model=res.partner&view_type=form&id={customer}",
     ".o_form_view .o_notebook a[name='credit']", 1400, 1000),
    ("portal_invoices.png", "customer", "/my/invoices", "table", 1200, 800),
    ("portal_invoice.png", "customer", "/my/invoices/{invoice}", "#portal_pay, .o_portal_sidebar", 1200, 900),
    ("portal_invoice_phone.png", "customer", "/my/invoices/{invoice}", ".o_portal_sidebar, #portal_pay", 390, 844),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chrome:
    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="credit-shots-")
        binary = shutil.which("chromium") or shutil.which("google-chrome") or "chromium"
        self.process = subprocess.Popen([
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={self.profile}", f"--remote-debugging-port={self.port}", "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{selector} never appeared")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(url, db, output, customer, invoice):
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    chrome = Chrome()
    try:
        for name, login, path, selector, width, height in SHOTS:
            if login == "customer" and invoice == "none":
                print(f"skipped {name}: the database has no portal customer with an open invoice")
                continue
            chrome.call("Network.enable")
            chrome.call("Network.clearBrowserCookies")
            chrome.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=width < 500)
            chrome.call("Page.navigate", url=f"{url}/web/login?db={db}")
            chrome.wait_for("input[name=login]")
            chrome.evaluate(
                f"document.querySelector('input[name=login]').value = {json.dumps(login)};"
                f"document.querySelector('input[name=password]').value = {json.dumps(login)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            time.sleep(2)
            path = path.format(customer=customer, invoice=invoice)
            chrome.call("Page.navigate", url=url + path)
            chrome.wait_for(selector)
            if name == "customer_credit.png":
                chrome.evaluate("document.querySelector(\".o_notebook a[name='credit']\").click()")
            time.sleep(1.5)
            # the web client may toast about fresh assets; it is not part of the screen
            chrome.evaluate("document.querySelectorAll('.o_notification_manager').forEach((e) => e.remove())")
            shot = chrome.call("Page.captureScreenshot", format="png")
            (output / name).write_bytes(base64.b64decode(shot["data"]))
            print(f"saved {output / name}")
    finally:
        chrome.close()


if __name__ == "__main__":
    main(*sys.argv[1:6])
