/** @odoo-module **/
// Request forms of the portal and of the public page: several devices per request (R-REC-1).
// "Add a device" copies the last device row at once; without JavaScript the same button
// posts the form and the server sends it back with one more row. The fault choices of a
// row follow its device type, as the server checks them.

const ROW = ".o_aftersales_device_row";

function rowIndex(row) {
    return Number(row.querySelector(".o_aftersales_device_product").name.split("-")[1]);
}

function faultApplies(choice, categPath) {
    const paths = (choice.dataset.categ_paths || "").split(",").filter(Boolean);
    return !paths.length || paths.some((path) => categPath.startsWith(path));
}

function filterFaults(row) {
    const select = row.querySelector(".o_aftersales_device_product");
    const categPath = select.selectedOptions[0]?.dataset.categ_path || "";
    for (const choice of row.querySelectorAll(".o_aftersales_fault_choice")) {
        const applies = faultApplies(choice, categPath);
        choice.classList.toggle("d-none", !applies);
        if (!applies) {
            choice.querySelector("input").checked = false;
        }
    }
}

function refresh(container) {
    const rows = container.querySelectorAll(ROW);
    rows.forEach((row, position) => {
        row.querySelector(".o_aftersales_device_number").textContent = position + 1;
        row.querySelector(".o_aftersales_remove_device").classList.toggle("d-none", rows.length < 2);
    });
    const max = Number(container.dataset.max_devices || 10);
    container.querySelector(".o_aftersales_add_device").classList.toggle("d-none", rows.length >= max);
}

function addRow(container) {
    const rows = [...container.querySelectorAll(ROW)];
    const last = rows.at(-1);
    const from = `line-${rowIndex(last)}-`;
    const to = `line-${Math.max(...rows.map(rowIndex)) + 1}-`;
    const row = last.cloneNode(true);
    for (const el of row.querySelectorAll("[id], [name], [for]")) {
        for (const attr of ["id", "name", "for"]) {
            const value = el.getAttribute(attr);
            if (value && value.startsWith(from)) {
                el.setAttribute(attr, to + value.slice(from.length));
            }
        }
    }
    for (const input of row.querySelectorAll("input[type=text]")) {
        input.defaultValue = input.value = "";
    }
    for (const input of row.querySelectorAll("input[type=checkbox]")) {
        input.defaultChecked = input.checked = false;
    }
    const select = row.querySelector(".o_aftersales_device_product");
    for (const option of select.options) {
        option.defaultSelected = false;
    }
    select.value = "";
    row.querySelector("details")?.removeAttribute("open");
    last.after(row);
    filterFaults(row);
    refresh(container);
    select.focus();
}

function setup(form) {
    const container = form.querySelector(".o_aftersales_devices");
    if (!container) {
        return;
    }
    // A plain button now: Enter in a field sends the form instead of adding a row.
    container.querySelector(".o_aftersales_add_device").type = "button";
    container.addEventListener("click", (ev) => {
        if (ev.target.closest(".o_aftersales_add_device")) {
            addRow(container);
            return;
        }
        const remove = ev.target.closest(".o_aftersales_remove_device");
        if (remove) {
            remove.closest(ROW).remove();
            refresh(container);
            container.querySelector(`${ROW}:last-of-type .o_aftersales_device_product`)?.focus();
        }
    });
    container.addEventListener("change", (ev) => {
        if (ev.target.matches(".o_aftersales_device_product")) {
            filterFaults(ev.target.closest(ROW));
        }
    });
    container.querySelectorAll(ROW).forEach(filterFaults);
    refresh(container);
}

function start() {
    document.querySelectorAll("form.o_aftersales_request_form").forEach(setup);
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
} else {
    start();
}
