/** @odoo-module **/
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_request_reception_tour", {
    url: "/odoo/action-aftersales_base.aftersales_request_action?view_type=list",
    steps: () => [
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_field_widget[name=phone] input", run: "edit ۰۲۱-۸۸۷۷۶۶۵۵" },
        { trigger: ".o_field_widget[name=partner_name] input", run: "edit Tour Customer" },
        { trigger: ".o_field_widget[name=service_type_id] input", run: "edit Installation" },
        { trigger: ".o-autocomplete--dropdown-item:contains(Installation)", run: "click" },
        { trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a", run: "click" },
        { trigger: ".o_field_widget[name=product_id] input", run: "edit Tour Heater" },
        { trigger: ".o-autocomplete--dropdown-item:contains(Tour Heater)", run: "click" },
        { trigger: ".o_field_widget[name=serial_number] input", run: "edit th-0001 b" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        // The province comes from the landline's area code 021.
        { trigger: ".o_field_widget[name=state_id] input:value(تهران)" },
        { trigger: ".o_field_widget[name=name]:contains(AS)" },
    ],
});

registry.category("web_tour.tours").add("aftersales_jalali_dates_tour", {
    steps: () => [
        {
            // 2025-03-21 is 1 Farvardin 1404: the list shows the Jalali date.
            trigger: ".o_data_row:contains(Jalali Customer) .o_data_cell[name=request_date]",
            run() {
                const text = this.anchor.textContent;
                if (!/(1404|۱۴۰۴)\/(01|۰۱)\/(01|۰۱)/.test(text)) {
                    throw new Error(`request date is not shown in Jalali: ${text}`);
                }
            },
        },
        { trigger: ".o_data_row:contains(Jalali Customer) .o_data_cell[name=partner_id]", run: "click" },
        // A Jalali date typed by the user is stored as the Gregorian day.
        { trigger: ".o_field_widget[name=scheduled_date] input", run: "edit 1404/01/05 10:00:00" },
        { trigger: ".o_form_view", run: "click" },
        { trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
    ],
});
