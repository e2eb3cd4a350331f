/** @odoo-module **/
import { registry } from "@web/core/registry";

const row = (index) => `fieldset.o_aftersales_device_row:has(select[name='line-${index}-product_id'])`;

// A customer asks for one visit for two devices (R-REC-1) from the portal.
registry.category("web_tour.tours").add("aftersales_portal_request_tour", {
    steps: () => [
        { trigger: "a.o_aftersales_new_request", run: "click" },
        { trigger: "select#service_type_id", run: "selectByLabel Paid Repair" },
        { trigger: "select[name='line-0-product_id']", run: "selectByLabel Portal Heater" },
        { trigger: "input[name='line-0-serial_number']", run: "edit tour-9" },
        { trigger: `${row(0)} summary`, run: "click" },
        // Faults of other device types are not offered.
        { trigger: `${row(0)} .o_aftersales_fault_choice.d-none:hidden:contains(Boiler pressure drop)` },
        { trigger: `${row(0)} .form-check:contains(No power) input`, run: "check" },
        { trigger: ".o_aftersales_add_device", run: "click" },
        { trigger: "select[name='line-1-product_id']", run: "selectByLabel Portal Cooler" },
        { trigger: "input[name='line-1-serial_number']", run: "edit tour-10" },
        // A third row added by mistake, then removed: it must not block the form.
        { trigger: ".o_aftersales_add_device", run: "click" },
        { trigger: `${row(2)} .o_aftersales_remove_device`, run: "click" },
        { trigger: `.o_aftersales_devices:not(:has(select[name='line-2-product_id']))` },
        { trigger: "input[name=mobile]", run: "edit 0912 444 5566" },
        { trigger: "textarea[name=description]", run: "edit The heater does not start." },
        { trigger: "button.o_aftersales_submit", run: "click" },
        { trigger: ".o_aftersales_portal_request .o_aftersales_tracking:contains(AS)" },
        { trigger: ".o_aftersales_device:contains(Portal Cooler):contains(TOUR-10)" },
        { trigger: ".o_aftersales_device:contains(Portal Heater) .o_aftersales_fault:contains(No power)" },
        { trigger: ".o_aftersales_description:contains(The heater does not start.)" },
    ],
});
