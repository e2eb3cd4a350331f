/** @odoo-module **/
import { registry } from "@web/core/registry";

// Every page fits a phone screen: nothing wider than the viewport.
const fitsThePhone = (label) => ({
    content: `${label} fits a phone screen`,
    trigger: "#wrap",
    run() {
        const width = window.innerWidth;
        if (width > 400) {
            throw new Error(`the tour must run at phone width, not ${width}px`);
        }
        const overflow = document.documentElement.scrollWidth - width;
        if (overflow > 1) {
            throw new Error(`${label} is ${overflow}px wider than the phone screen`);
        }
    },
});

// An agent, on its phone, asks for a part on consignment by its code, sees the request
// submitted, then declares the shipment of a defective core and prints its label.
registry.category("web_tour.tours").add("aftersales_stock_portal_tour", {
    steps: () => [
        { trigger: "form.o_aftersales_stock_request_form" },
        fitsThePhone("the part request form"),
        { trigger: "select[name=request_type]", run: "selectByLabel Consignment" },
        { trigger: "input[name='part-0-code']", run: "edit htr-ign-002" },
        { trigger: "input[name='part-0-quantity']", run: "edit 2" },
        { trigger: "button.o_aftersales_stock_request_submit", run: "click" },
        { trigger: ".o_aftersales_stock_done[data-done=submitted]" },
        { trigger: ".o_aftersales_stock_request .o_aftersales_stock_state[data-state=submitted]" },
        { trigger: ".o_aftersales_stock_request_type[data-type=consignment]" },
        { trigger: ".o_aftersales_stock_request_line:contains(S Thermocouple)" },
        fitsThePhone("the part request page"),
        {
            content: "go to the cores",
            trigger: "body",
            run() {
                window.location.href = "/my/cores";
            },
            expectUnloadPage: true,
        },
        { trigger: ".o_aftersales_stock_core_card .o_aftersales_stock_state[data-state=pending]" },
        fitsThePhone("the core list"),
        { trigger: "input.o_aftersales_stock_core_select", run: "click" },
        { trigger: "input[name=reference]", run: "edit Tipax 123456" },
        { trigger: "button.o_aftersales_stock_ship_submit", run: "click" },
        { trigger: ".o_aftersales_stock_done[data-done=shipped]" },
        {
            content: "the label link prints the shipped core's labels",
            trigger: "a.o_aftersales_stock_print_labels",
            run() {
                const href = this.anchor.getAttribute("href");
                if (!/^\/my\/cores\/labels\?ids=\d+(,\d+)*$/.test(href)) {
                    throw new Error(`unexpected label link ${href}`);
                }
            },
        },
        fitsThePhone("the core list after the shipment"),
    ],
});
