/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const CHANNEL_ICONS = {
    email: "fa-envelope",
    sms: "fa-mobile",
    phone: "fa-phone",
    letter: "fa-file-text-o",
    formal_notice: "fa-legal",
};

/**
 * "My dunning agenda": the collector's counts per channel and follow-up category; every
 * number opens the list of what it counts (actions; for the coming column, the invoices whose
 * next step falls due and the promises to pay). Numbers come from one server call
 * (credit.relance.agenda.get_agenda), which also gives each cell's model, domain and views.
 */
export class CreditRelanceAgenda extends Component {
    static template = "credit_relance.Agenda";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.channelIcons = CHANNEL_ICONS;
        this.state = useState({
            loading: true,
            agenda: { columns: [], sections: [] },
            options: {},
            filters: {
                user_id: "me",
                scenario_id: "",
                group_id: "",
                status_id: "",
                risk_level: "",
                due_from: "",
                due_to: "",
                amount_min: "",
                amount_max: "",
                company_ids: [],
            },
        });
        onWillStart(async () => {
            this.state.options = await this.orm.call("credit.relance.agenda", "get_filter_options", []);
            await this.load();
        });
    }

    get serverFilters() {
        const filters = { ...this.state.filters };
        if (filters.user_id === "all") {
            filters.user_id = false;
        }
        return filters;
    }

    async load() {
        this.state.loading = true;
        this.state.agenda = await this.orm.call("credit.relance.agenda", "get_agenda", [], {
            filters: this.serverFilters,
        });
        this.state.loading = false;
    }

    onFilterChange(name, ev) {
        const value = ev.target.value;
        this.state.filters[name] = name === "company_ids" ? (value ? [parseInt(value)] : []) : value;
        this.load();
    }

    openCell(row, column) {
        const cell = row.cells[column.key];
        this.action.doAction({
            type: "ir.actions.act_window",
            name: `${row.label} - ${column.label}`,
            res_model: cell.res_model,
            domain: cell.domain,
            views: cell.views,
            context: { create: false },
        });
    }

    get title() {
        return _t("My dunning agenda");
    }
}

registry.category("actions").add("credit_relance.agenda", CreditRelanceAgenda);
