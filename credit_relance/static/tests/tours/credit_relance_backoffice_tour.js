/** @odoo-module */

import { registry } from "@web/core/registry";

// The supervisor creates a scenario with a phone step, then a customer group that uses it.
registry.category("web_tour.tours").add("credit_relance_scenario_tour", {
    steps: () => [
        {
            content: "New scenario",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour scenario",
        },
        {
            content: "Add a step",
            trigger: ".o_field_widget[name='step_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='step_ids'] .o_data_row .o_field_widget[name='name'] input",
            run: "edit First call",
        },
        {
            trigger: ".o_field_widget[name='step_ids'] .o_data_row .o_field_widget[name='offset_days'] input",
            run: "edit 10",
        },
        {
            trigger: ".o_field_widget[name='step_ids'] .o_data_row .o_field_widget[name='channel'] select",
            run: 'select "phone"',
        },
        {
            trigger: ".o_field_widget[name='step_ids'] .o_data_row .o_field_widget[name='trigger_mode'] select",
            run: 'select "manual"',
        },
        {
            content: "Save the scenario",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved .o_field_widget[name='step_ids'] .o_data_row:contains(First call)",
        },
    ],
});

registry.category("web_tour.tours").add("credit_relance_group_tour", {
    steps: () => [
        {
            content: "New customer group",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour group",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='scenario_id'] input",
            run: "edit Tour scenario",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour scenario)",
            run: "click",
        },
        {
            content: "Save the group",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});

// The collector validates the whole validation queue at once.
registry.category("web_tour.tours").add("credit_relance_validation_tour", {
    steps: () => [
        {
            content: "Two actions wait for validation",
            trigger: ".o_list_view .o_data_row:nth-child(2):contains(Queue Customer)",
        },
        {
            content: "Select them all",
            trigger: "thead .o_list_record_selector input[type='checkbox']",
            run: "click",
        },
        {
            content: "Validate in bulk",
            trigger: "button[name='action_validate']",
            run: "click",
        },
        {
            content: "The queue is empty",
            trigger: ".o_view_nocontent, .o_list_view:not(:has(.o_data_row))",
        },
    ],
});

// The collector calls the customer and records a promise to pay.
registry.category("web_tour.tours").add("credit_relance_call_tour", {
    steps: () => [
        {
            content: "Call result",
            trigger: ".o_form_view button[name='action_open_call_result']",
            run: "click",
        },
        {
            content: "The customer promises to pay",
            trigger: ".modal .o_field_widget[name='result'] input[data-value='promise']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='promise_date'] input",
            run: "edit 12/31/2099",
        },
        {
            trigger: ".modal .o_field_widget[name='promise_amount'] input",
            run: "edit 80",
        },
        {
            content: "Record",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

// A sales rep's action list holds their customers only.
registry.category("web_tour.tours").add("credit_relance_salesrep_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains(Rep Own Customer)",
        },
        {
            content: "No action of another rep's customer",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Rep Other Customer)))",
        },
    ],
});
