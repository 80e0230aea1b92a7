/** @odoo-module */

import { registry } from "@web/core/registry";

// A customer opens the payment link of a reminder e-mail (the invoice with its access token, no
// login), sees how late the invoice is, pays it with the demo provider and lands on it, paid.
registry.category("web_tour.tours").add("credit_relance_portal_pay_tour", {
    steps: () => [
        {
            content: "The invoice says how late it is",
            trigger: "#credit_relance_overdue .o_credit_days_late:contains(20)",
        },
        {
            content: "Pay now",
            trigger: "a[data-bs-target='#pay_with']",
            run: "click",
        },
        {
            content: "Choose the demo provider",
            trigger: "#pay_with .modal-body input[name='o_payment_radio'][data-payment-method-code='demo']:not(:visible), #pay_with .modal-body input[name='o_payment_radio'][data-payment-method-code='demo']",
            run() {
                if (!this.anchor.checked) {
                    this.anchor.click();
                }
            },
        },
        {
            content: "Type the test card",
            trigger: "#pay_with input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        {
            content: "Back on the invoice, paid",
            trigger: ".o_portal_invoice_sidebar .badge:contains(Paid)",
            timeout: 20000,
        },
        {
            content: "No more overdue warning",
            trigger: ".o_portal_invoice_sidebar:not(:has(#credit_relance_overdue))",
        },
    ],
});

// On a phone, the customer opens the invoice link and promises to pay part of it next week.
registry.category("web_tour.tours").add("credit_relance_portal_promise_tour", {
    steps: () => [
        {
            content: "The overdue warning fits the phone screen",
            trigger: "#credit_relance_overdue .o_credit_days_late:contains(8)",
        },
        {
            content: "Open the promise form",
            trigger: "#credit_relance_promise summary",
            run: "click",
        },
        {
            content: "Promised date",
            trigger: "#credit_promise_date",
            run() {
                const date = new Date(Date.now() + 7 * 24 * 3600 * 1000);
                this.anchor.value = date.toISOString().slice(0, 10);
            },
        },
        {
            content: "Promised amount",
            trigger: "#credit_promise_amount",
            run: "edit 120",
        },
        {
            content: "Message",
            trigger: "#credit_promise_message",
            run: "edit Paying half next week",
        },
        {
            content: "Send",
            trigger: ".o_credit_promise_submit",
            run: "click",
        },
        {
            content: "The promise is recorded and shown",
            trigger: ".o_credit_promise_done",
        },
        {
            trigger: "#credit_relance_overdue .o_credit_promise_open",
        },
    ],
});
