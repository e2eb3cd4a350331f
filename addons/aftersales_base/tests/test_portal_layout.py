"""Portal and public pages in Chromium at phone and desktop widths, in English and Persian.

Every page of ours must fit its window (``document.documentElement.scrollWidth <=
window.innerWidth``: no sideways scrolling, no blank phone screen) and show what it is for:
each listed element shown (non-zero size) and inside the window horizontally. A Persian
page is also checked for a session in English (a customer who switched the language of
the site): the page is then right-to-left while Odoo loads the chatter's style bundle
left-to-right, which once made the request page 11,000 px wide.
"""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import portal_customer, prepare_portal

# Runs in the page: waits for it to be complete, then reports what does not fit.
CHECK_PAGE = """
(async () => {
    const {selectors, ready, rtl} = %(params)s;
    const isReady = () => { try { return Boolean(eval(ready)); } catch { return false; } };
    const deadline = Date.now() + 30000;
    while (document.readyState !== "complete" || !isReady()) {
        if (Date.now() > deadline) {
            console.error(`layout: the page never got ready (${ready})`);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const width = window.innerWidth;
    const describe = (el) =>
        el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        [...el.classList].slice(0, 3).map((c) => "." + c).join("");
    const allElements = (root) => [...root.querySelectorAll("*")].flatMap(
        (el) => [el, ...(el.shadowRoot ? allElements(el.shadowRoot) : [])]
    );
    const problems = [];
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > width) {
        const wide = allElements(document.body).filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width && (box.right > width + 1 || box.left < -1);
        });
        problems.push(
            `the page is ${pageWidth}px wide in a ${width}px window; outside it: ` +
            wide.slice(-5).map(describe).join(", ")
        );
    }
    if (Boolean(document.querySelector("#wrapwrap.o_rtl")) !== rtl) {
        problems.push(`expected a ${rtl ? "right-to-left" : "left-to-right"} page`);
    }
    for (const selector of selectors) {
        const shown = [...document.querySelectorAll(selector)].filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.height > 0;
        });
        if (!shown.length) {
            problems.push(`${selector} is not shown`);
        }
        for (const el of shown) {
            const box = el.getBoundingClientRect();
            if (box.left < -1 || box.right > width + 1) {
                problems.push(
                    `${selector} is off screen (${Math.round(box.left)} to ` +
                    `${Math.round(box.right)} in ${width})`
                );
            }
        }
    }
    if (problems.length) {
        console.error(`layout of ${location.pathname}: ` + problems.join("; "));
    } else {
        console.log("test successful");
    }
})();
"""


class PortalLayoutChecks:
    """The pages and the checks; each test class gives its window size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        cls.customer_en = portal_customer(cls.env, "layout_en")
        cls.customer_fa = portal_customer(cls.env, "layout_fa", lang="fa_IR")
        categ = cls.env["product.category"].create(
            {"name": "Layout Devices", "is_aftersales_device_type": True}
        )
        devices = cls.env["product.product"].create(
            [
                {
                    "name": "Wall-Mounted Split Air Conditioner 24000 BTU Inverter",
                    "categ_id": categ.id,
                },
                {"name": "Condensing Combi Boiler 28 kW", "categ_id": categ.id},
            ]
        )
        faults = cls.env.ref("aftersales_base.fault_code_f03") | cls.env.ref(
            "aftersales_base.fault_code_f04"
        )
        cls.requests = cls.env["aftersales.request"].create(
            [
                {
                    "partner_id": customer.partner_id.id,
                    "phone": "021 6601 2345",
                    "mobile": "0912 300 4050",
                    "street": "Valiasr Street, between Motahari and Beheshti, No. 1234, Unit 56",
                    "city": "Tehran",
                    "service_type_id": cls.env.ref("aftersales_base.service_type_wrp").id,
                    "description": "The air conditioner drips water on the sofa and the boiler "
                    "makes a very loud noise every morning when it starts.",
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": device.id,
                                "serial_number": f"SN-{device.id}-0000123456789",
                                "fault_code_ids": [Command.set(faults.ids)],
                            }
                        )
                        for device in devices
                    ],
                }
                for customer in (cls.customer_en, cls.customer_en, cls.customer_fa)
            ]
        )
        # Commit-time tracking, as for an operator moving the request on another day.
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.requests.stage_id = cls.env.ref("aftersales_base.stage_progress")
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    def _customer_pages(self, customer, prefix=""):
        mine = self.requests.filtered(lambda r: r.partner_id == customer.partner_id)
        request_page = f"{prefix}/my/service-requests/{mine[0].id}"
        return [
            (
                f"{prefix}/my/home",
                [".o_aftersales_tile_requests", ".o_aftersales_tile_new"],
                # The count comes from /my/counters.
                "document.querySelector('.o_aftersales_tile_requests .o_aftersales_tile_count')"
                f".textContent === '{len(mine)}'",
            ),
            (
                f"{prefix}/my/service-requests",
                [
                    ".o_aftersales_request_row .o_aftersales_tracking",
                    ".o_aftersales_request_row .o_aftersales_devices",
                    ".o_aftersales_request_row .o_aftersales_date",
                    ".o_aftersales_request_row .o_aftersales_status",
                    ".o_aftersales_search",
                    ".o_aftersales_new_request",
                ],
                "true",
            ),
            (
                request_page,
                [
                    ".o_aftersales_portal_request .o_aftersales_status",
                    ".o_aftersales_timeline_step",
                    ".o_aftersales_description",
                    ".o_aftersales_device .o_aftersales_fault",
                    ".o_aftersales_phone",
                ],
                # The chatter and its composer are drawn in a shadow root.
                "document.querySelector('#chatterRoot').shadowRoot"
                ".querySelector('.o-mail-Composer-fake')",
            ),
            (
                f"{prefix}/my/service-requests/new",
                [
                    ".o_aftersales_device_product",
                    ".o_aftersales_device_faults",
                    "#service_type_id",
                    "#mobile",
                    ".o_aftersales_submit",
                ],
                # The form script has turned "add a device" into a plain button.
                "document.querySelector('.o_aftersales_add_device').type === 'button'",
            ),
        ]

    def _public_pages(self, prefix):
        return [
            (
                f"{prefix}/service-request",
                [
                    "#name",
                    ".o_aftersales_device_product",
                    "#service_type_id",
                    ".o_aftersales_submit",
                ],
                "document.querySelector('.o_aftersales_add_device').type === 'button'",
            )
        ]

    def _check_pages(self, pages, login=None, rtl=False):
        for url, selectors, ready in pages:
            params = json.dumps({"selectors": selectors, "ready": ready, "rtl": rtl})
            with self.subTest(url=url, login=login, size=self.browser_size):
                self.browser_js(url, CHECK_PAGE % {"params": params}, login=login, timeout=90)

    def test_customer_in_english(self):
        self._check_pages(self._customer_pages(self.customer_en), login="layout_en")

    def test_customer_in_persian(self):
        self._check_pages(self._customer_pages(self.customer_fa), login="layout_fa", rtl=True)

    def test_persian_page_for_a_session_in_english(self):
        pages = self._customer_pages(self.customer_en, prefix="/fa")
        # The request page, with its chatter, is the one that overflowed.
        self._check_pages(pages[2:3], login="layout_en", rtl=True)

    def test_public_form(self):
        self._check_pages(self._public_pages("/en"))
        self._check_pages(self._public_pages("/fa"), rtl=True)


@tagged("post_install", "-at_install")
class TestPortalLayoutPhone(PortalLayoutChecks, HttpCase):
    allow_inherited_tests_method = True
    browser_size = "375x800"


@tagged("post_install", "-at_install")
class TestPortalLayoutDesktop(PortalLayoutChecks, HttpCase):
    allow_inherited_tests_method = True
    browser_size = "1440x900"
