/** @odoo-module **/
/**
 * Jalali (Solar Hijri) dates in the web client for users whose language is Persian.
 *
 * Display: dates shown with the user's format (fa_IR: yyyy/MM/dd) go through Luxon's
 * "persian" output calendar. Server formats (yyyy-MM-dd...) are never touched, so
 * what is sent to the server stays Gregorian.
 * Input: a typed date whose year is below 1700 is a Jalali date (no after-sales job is
 * dated in the Gregorian 17th century) and is converted to Gregorian.
 */
import { user } from "@web/core/user";

const { DateTime } = luxon;

export function jalaliToGregorian(jy, jm, jd) {
    // Borkowski's algorithm, as in jalaali-js (MIT): days since the epoch.
    const div = (a, b) => ~~(a / b);
    const mod = (a, b) => a - ~~(a / b) * b;
    const breaks = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178];
    const gy = jy + 621;
    let leapJ = -14;
    let jp = breaks[0];
    let jump = 0;
    for (let i = 1; i < breaks.length; i++) {
        const jm2 = breaks[i];
        jump = jm2 - jp;
        if (jy < jm2) {
            break;
        }
        leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
        jp = jm2;
    }
    let n = jy - jp;
    leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) {
        leapJ += 1;
    }
    const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    const march = 20 + leapJ - leapG;
    const g2d = (y, m, d) =>
        div((y + div(m - 8, 6) + 100100) * 1461, 4) +
        div(153 * mod(m + 9, 12) + 2, 5) +
        d -
        34840408 -
        div(div(y + 100100 + div(m - 8, 6), 100) * 3, 4) +
        752;
    const jdn = g2d(gy, 3, march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
    let j = 4 * jdn + 139361631;
    j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    const i = div(mod(j, 1461), 4) * 5 + 308;
    const day = div(mod(i, 153), 5) + 1;
    const month = mod(div(i, 153), 12) + 1;
    const year = div(j, 1461) - 100100 + div(8 - month, 6);
    return { year, month, day };
}

export function isPersianUser() {
    return (user.lang || "").startsWith("fa");
}

const originalToFormat = DateTime.prototype.toFormat;
const originalFromFormat = DateTime.fromFormat;

function isDisplayFormat(fmt) {
    return typeof fmt === "string" && fmt.includes("/") && fmt.includes("y");
}

if (isPersianUser()) {
    DateTime.prototype.toFormat = function (fmt, opts) {
        if (isDisplayFormat(fmt) && this.isValid) {
            return originalToFormat.call(this.reconfigure({ outputCalendar: "persian" }), fmt, opts);
        }
        return originalToFormat.call(this, fmt, opts);
    };
    DateTime.fromFormat = function (text, fmt, opts) {
        const result = originalFromFormat.call(this, text, fmt, opts);
        if (result.isValid && result.year < 1700) {
            const g = jalaliToGregorian(result.year, result.month, result.day);
            return result.set({ year: g.year, month: g.month, day: g.day });
        }
        return result;
    };
}
