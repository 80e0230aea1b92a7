/** @odoo-module */

import { registry } from "@web/core/registry";

// The collector opens the agenda, clicks the "to do" cell of the e-mail row and lands on the
// list of exactly the actions the cell counts; then the "coming" cell of the phone row, which
// lists the invoice whose next step is a call.
registry.category("web_tour.tours").add("credit_relance_agenda_tour", {
    steps: () => [
        {
            content: "The agenda shows the e-mail row with 2 actions to do",
            trigger: ".o_credit_agenda tr[data-row='email'] .o_credit_agenda_cell[data-column='to_do']:contains(2)",
        },
        {
            content: "Open the e-mail actions to do",
            trigger: ".o_credit_agenda tr[data-row='email'] .o_credit_agenda_cell[data-column='to_do']",
            run: "click",
        },
        {
            content: "The list of those actions opens",
            trigger: ".o_list_view .o_data_row:nth-child(2):contains(Agenda Tour Customer)",
        },
        {
            content: "It holds exactly the two actions counted",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(3)))",
        },
        {
            content: "Back to the agenda",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            content: "The phone row shows the call coming in the next days",
            trigger: ".o_credit_agenda tr[data-row='phone'] .o_credit_agenda_cell[data-column='coming']:contains(1)",
        },
        {
            content: "Open what is coming by phone",
            trigger: ".o_credit_agenda tr[data-row='phone'] .o_credit_agenda_cell[data-column='coming']",
            run: "click",
        },
        {
            content: "The invoice whose next step is the call, with its step",
            trigger: ".o_list_view .o_data_row:first-child:contains(Agenda Tour Customer):contains(Tour call)",
        },
        {
            content: "It is the only one",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(2)))",
        },
        {
            content: "Back to the agenda",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            trigger: ".o_credit_agenda tr[data-row='sms']",
        },
    ],
});
