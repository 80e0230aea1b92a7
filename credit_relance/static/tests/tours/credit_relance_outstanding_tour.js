/** @odoo-module */

import { registry } from "@web/core/registry";

// A collector opens "Outstanding by status", switches to the pivot, clicks the cell of a
// customer, lands on its invoices and opens the customer's card from the row.
registry.category("web_tour.tours").add("credit_relance_outstanding_tour", {
    steps: () => [
        {
            content: "The graph of outstanding by status opens",
            trigger: ".o_graph_view",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Click the outstanding of the customer",
            trigger: ".o_pivot tr:has(th:contains(Tour Outstanding Customer)) .o_pivot_cell_value:contains(1,234.00)",
            run: "click",
        },
        {
            content: "The rows of that customer open, with its invoice",
            trigger: ".o_list_view .o_data_row:contains(Tour Outstanding Customer)",
        },
        {
            content: "Only that customer's invoice",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))",
        },
        {
            content: "Open the customer's card from the row",
            trigger: ".o_data_row button[name='action_open_customer']",
            run: "click",
        },
        {
            content: "The customer's card opens",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(Tour Outstanding Customer)",
        },
    ],
});
