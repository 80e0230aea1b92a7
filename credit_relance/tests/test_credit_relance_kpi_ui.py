from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

# Waits for a selector, clicks through the KPI views and checks the pivot shows a ratio
# aggregated by the server (late-payment rate 50 % of the two imported invoices), then
# that the list view (used for the XLSX export) opens.
KPI_VIEWS_JS = """
const waitFor = (selector, text) => new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
        const nodes = [...document.querySelectorAll(selector)].filter(
            (node) => !text || node.textContent.includes(text));
        if (nodes.length) { clearInterval(timer); resolve(nodes[0]); }
        else if (++tries > 150) {
            clearInterval(timer);
            reject(new Error("not found: " + selector + " " + (text || "")));
        }
    }, 100);
});
(async () => {
    await waitFor(".o_graph_renderer canvas");
    (await waitFor(".o_switch_view.o_pivot")).click();
    await waitFor(".o_pivot table");
    await waitFor(".o_pivot th", "Paid late (% of invoices)");
    await waitFor(".o_pivot td", "50.0");
    (await waitFor(".o_switch_view.o_list")).click();
    await waitFor(".o_list_renderer .o_data_row");
    console.log("test successful");
})().catch((error) => console.error(error.message));
"""


@tagged("post_install", "-at_install")
class TestCreditRelanceKpiUi(HttpCase):
    def test_kpi_graph_pivot_list(self):
        partner = self.env["res.partner"].create({"name": "UI customer", "is_company": True})
        History = self.env["credit.relance.history"]
        # the browser runs on the real clock: dates relative to today, inside the default 12-month filter
        due = fields.Date.today().replace(day=1) - timedelta(days=40)
        for number, settled in (("UI-1", due - timedelta(days=5)), ("UI-2", due + timedelta(days=6))):
            History.create({
                "partner_id": partner.id, "invoice_number": number, "invoice_date": due - timedelta(days=30),
                "due_date": due, "settled_date": settled, "amount": 100,
            })
        self.browser_js(
            "/odoo/action-credit_relance.credit_relance_kpi_action?debug=0",
            KPI_VIEWS_JS,
            login="admin",
            timeout=120,
        )
