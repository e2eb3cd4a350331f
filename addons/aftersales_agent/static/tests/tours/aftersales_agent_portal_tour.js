/** @odoo-module **/
import { registry } from "@web/core/registry";

// Every page of the cartable fits a phone screen: nothing wider than the viewport.
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

// An agent, on its phone, accepts a job, files a warranty repair with a part, has the
// customer confirm the visit with the code sent by SMS, and submits the report.
registry.category("web_tour.tours").add("aftersales_agent_portal_tour", {
    steps: () => [
        { trigger: ".o_aftersales_agent_jobs .o_aftersales_agent_job_card" },
        fitsThePhone("the job list"),
        { trigger: ".o_aftersales_agent_job_card a.o_aftersales_tracking", run: "click" },
        { trigger: ".o_aftersales_agent_job .o_aftersales_agent_customer .o_aftersales_agent_mobile" },
        fitsThePhone("the job page"),
        { trigger: "button.o_aftersales_agent_accept", run: "click" },
        { trigger: ".o_aftersales_agent_done[data-done=accepted]" },
        { trigger: ".o_aftersales_agent_job_state[data-state=accepted]" },
        { trigger: "a.o_aftersales_agent_new_report", run: "click" },
        { trigger: "select[name=report_type]", run: "selectByLabel Warranty Repair" },
        fitsThePhone("the report form"),
        { trigger: "textarea[name=work_note]", run: "edit Replaced the thermocouple." },
        { trigger: "input[name=labour_hours]", run: "edit 1.5" },
        { trigger: "select[name=travel]", run: "selectByLabel In City" },
        { trigger: "input[name='part-0-code']", run: "edit W-TC" },
        { trigger: "input[name='part-0-quantity']", run: "edit 1" },
        { trigger: "button.o_aftersales_agent_report_create", run: "click" },
        { trigger: ".o_aftersales_agent_report .o_aftersales_agent_report_part:contains(W Thermocouple)" },
        { trigger: ".o_aftersales_agent_report_state[data-state=draft]" },
        fitsThePhone("the report page"),
        { trigger: "button.o_aftersales_agent_send_code", run: "click" },
        { trigger: ".o_aftersales_agent_done[data-done=code_sent]" },
        { trigger: "input[name=code]", run: "edit 246810" },
        { trigger: "button.o_aftersales_agent_confirm_code", run: "click" },
        { trigger: ".o_aftersales_agent_confirmed[data-confirmed='1']" },
        { trigger: "button.o_aftersales_agent_submit", run: "click" },
        { trigger: ".o_aftersales_agent_done[data-done=submitted]" },
        { trigger: ".o_aftersales_agent_report_state[data-state=submitted]" },
    ],
});
