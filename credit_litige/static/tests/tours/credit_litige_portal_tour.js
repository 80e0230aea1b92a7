/** @odoo-module */

import { registry } from "@web/core/registry";

// A customer opens the link of a reminder (the invoice with its access token, no login) and
// contests the invoice; the dispute page opens.
registry.category("web_tour.tours").add("credit_litige_portal_dispute_tour", {
    steps: () => [
        {
            content: "Open the contest form",
            trigger: "#credit_litige_invoice summary",
            run: "click",
        },
        {
            trigger: "#credit_litige_amount",
            run: "edit 300",
        },
        {
            trigger: "#credit_litige_message",
            run: "edit The second pallet never arrived",
        },
        {
            content: "Send",
            trigger: "#credit_litige_invoice button[type='submit']",
            run: "click",
        },
        {
            content: "The dispute is open",
            trigger: "#credit_litige_card",
        },
    ],
});
