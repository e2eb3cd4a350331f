/** @odoo-module **/

/**
 * An operator answers a happy call on the phone: the test opens the survey page of the
 * call (its start URL with the answer token), the operator reads the four questions of
 * the suite's questionnaire to the customer, clicks the customer's answers and submits.
 */

import { registry } from "@web/core/registry";

// The tour's :contains is case-insensitive ("Satisfied" is in "Very satisfied"): the
// choice is matched as a case-sensitive regular expression.
const question = (title, choice) => ({
    content: `Answer "${title}": ${choice}`,
    trigger: `div.js_question-wrapper:contains("${title}") label:contains(/${choice}/)`,
    run: "click",
});

registry.category("web_tour.tours").add("aftersales_survey_tour", {
    steps: () => [
        {
            content: "Start the questionnaire",
            trigger: 'button[value="start"]',
            run: "click",
        },
        question("How satisfied are you with the service overall?", "Very satisfied"),
        question("How was the technician's behaviour and punctuality?", "Satisfied"),
        question("Does the device work well since the service?", "Neutral"),
        question("Are you thinking of buying another of our products?", "No"),
        {
            content: "Submit the answers",
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "The questionnaire is done",
            trigger: ".o_survey_finished",
        },
    ],
});
