/** @odoo-module **/
import { registry } from "@web/core/registry";

// The warehouse validates a delivery of a serial-tracked product (R-WAR-7): the card is
// issued, printed (R-WAR-4), and its QR page opened like the customer would (R-WAR-5).
registry.category("web_tour.tours").add("aftersales_warranty_delivery_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name=name]:contains(WH/OUT)" },
        { trigger: ".o_form_view button[name=button_validate]", run: "click" },
        { trigger: ".o_statusbar_status .o_arrow_button_current:contains(Done)" },
        { trigger: "button[name=action_view_aftersales_warranty_cards]", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=lot_id]:contains(TOUR-SN-0001)" },
        { trigger: ".o_field_widget[name=warranty_status]:contains(In Warranty)" },
        { trigger: ".o_statusbar_buttons button:contains(Print Card)", run: "click" },
        // The print is recorded in the card's history once the PDF is made.
        {
            trigger: ".o_field_widget[name=event_ids] .o_data_row:contains(Printed)",
            timeout: 30000,
        },
        {
            trigger: ".o_field_widget[name=verification_url] a",
            expectUnloadPage: true,
            run() {
                window.location.href = this.anchor.href;
            },
        },
        {
            trigger: ".o_aftersales_warranty_verify .o_aftersales_warranty_product:contains(Tour Heater)",
        },
        { trigger: ".o_aftersales_warranty_verify .o_aftersales_warranty_status[data-status=in_warranty]" },
        { trigger: ".o_aftersales_warranty_verify:not(:contains(Tour Customer))" },
    ],
});
