"""The agent's cartable on the portal (R-AGT-1/2): its jobs, their actions, photos, and the
work reports it files, confirmed by the customer's code.

Portal users hold no access rights on service requests and no write right on work
reports: every page reads through ``sudo()`` with the ownership domain of
:meth:`_agent_job_domain` (the job's agent is the user's agent), answers 404 for any
other id, and passes plain values to the templates (``_agent_job_values``,
``_agent_report_values``), never the records. Writes go through the model methods of the
core (``_agent_accept``, ``action_submit``, ...), which check the agent again; the form
values are whitelisted here.
"""

import re
from datetime import date, datetime, time

import pytz

from odoo import Command, http
from odoo.addons.aftersales_base.tools import from_jalali, normalize_serial, to_ascii_digits
from odoo.addons.aftersales_warranty.controllers.portal import AftersalesWarrantyPortal
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from ..models.aftersales_work_report import REPORT_TYPES, STATES, TRAVEL

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 5
# Part rows of the report form: ``part-<n>-code``, ``part-<n>-quantity``, ``part-<n>-serial``.
MAX_PARTS = 10
PART_FIELD = re.compile(r"^part-(\d{1,2})-(code|quantity|serial)$")
DATE_INPUT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
TIME_INPUT = re.compile(r"^(\d{1,2})[:.](\d{2})$")
JOB_FIELDS = [
    "name",
    "request_date",
    "scheduled_date",
    "service_type_id",
    "agent_state",
    "is_closed",
    "partner_id",
    "city",
    "line_ids",
]
REPORT_FIELDS = [
    "name",
    "request_id",
    "report_type",
    "state",
    "fee_total",
    "currency_id",
    "submitted_date",
    "create_date",
    "customer_confirmed",
    "product_id",
    "lot_id",
]


class AftersalesAgentPortal(AftersalesWarrantyPortal):
    # ------------------------------------------------------------------
    # Ownership
    # ------------------------------------------------------------------

    def _agent(self):
        """The user's agent, or an empty recordset (public users and customers)."""
        if request.env.user._is_public():
            return request.env["res.partner"]
        return request.env["res.partner"]._aftersales_agent_of(request.env.user)

    def _agent_job_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _agent_report_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _agent_or_404(self):
        agent = self._agent()
        if not agent:
            raise request.not_found()
        return agent

    def _agent_owned(self, model, record_id, domain):
        """``(agent, record)`` when ``record_id`` of ``model`` matches ``domain(agent)``
        for the user's agent; 404 otherwise (also for ids that do not exist)."""
        agent = self._agent_or_404()
        record = request.env[model].sudo().search([("id", "=", record_id), *domain(agent)], limit=1)
        if not record:
            raise request.not_found()
        return agent, record

    def _agent_job(self, job_id):
        """``(agent, job)`` when the job is assigned to the user's agent; 404 otherwise."""
        return self._agent_owned("aftersales.request", job_id, self._agent_job_domain)

    def _agent_report(self, report_id):
        """``(agent, report)`` when the report is the user's agent's; 404 otherwise."""
        return self._agent_owned("aftersales.work.report", report_id, self._agent_report_domain)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        agent = None
        if "aftersales_agent_job_count" in counters:
            agent = self._agent()
            values["aftersales_agent_job_count"] = (
                request.env["aftersales.request"]
                .sudo()
                .search_count([*self._agent_job_domain(agent), ("is_closed", "=", False)])
                if agent
                else 0
            )
        if "aftersales_agent_report_count" in counters:
            agent = self._agent() if agent is None else agent
            values["aftersales_agent_report_count"] = (
                request.env["aftersales.work.report"]
                .sudo()
                .search_count(self._agent_report_domain(agent))
                if agent
                else 0
            )
        if not counters:
            # The home page itself (not the counters' RPC, which must answer numbers only).
            values["aftersales_is_agent"] = bool(self._agent())
        return values

    def _agent_run(self, method, *args):
        """Call a model method in a savepoint: ``None``, or the message of its refusal
        (what it wrote is rolled back, the rest of the request goes on)."""
        try:
            with request.env.cr.savepoint():
                method(*args)
        except (UserError, ValidationError) as exc:
            return exc.args[0]
        return None

    def _agent_state_labels(self):
        Request = request.env["aftersales.request"]
        return dict(Request._fields["agent_state"]._description_selection(request.env))

    def _agent_selection_labels(self, fname):
        Report = request.env["aftersales.work.report"]
        return dict(Report._fields[fname]._description_selection(request.env))

    @staticmethod
    def _agent_pager_with(pager, **args):
        """Add query arguments to every link of a pager (base's helper keeps only the
        sort and the search)."""
        extra = "&".join(f"{key}={value}" for key, value in args.items() if value)
        if not extra:
            return pager

        def fix(url):
            return f"{url}{'&' if '?' in url else '?'}{extra}"

        for key in ("page", "page_first", "page_start", "page_previous", "page_next", "page_end"):
            if isinstance(pager.get(key), dict) and pager[key].get("url"):
                pager[key]["url"] = fix(pager[key]["url"])
        for item in pager.get("pages", []):
            item["url"] = fix(item["url"])
        return pager

    def _agent_devices(self, lines):
        return [
            {
                "id": line.id,
                "product": line.product_id.display_name or "",
                "serial": line.serial_number or "",
            }
            for line in lines
        ]

    def _agent_job_values(self, jobs, agent):
        """``[dict]``: what the cartable shows of each job (read for the whole batch).

        The customer's name and city are shown only for open jobs of the agent."""
        jobs.line_ids.fetch(["product_id", "serial_number"])
        jobs.line_ids.product_id.fetch(["display_name"])
        jobs.partner_id.fetch(["name"])
        jobs.service_type_id.fetch(["name"])
        labels = self._agent_state_labels()
        rows = []
        for job in jobs:
            mine = job.agent_id == agent and not job.is_closed
            rows.append(
                {
                    "id": job.id,
                    "url": f"/my/jobs/{job.id}",
                    "name": job.name,
                    "date": job.request_date,
                    "scheduled": job.scheduled_date,
                    "service": job.service_type_id.name or "",
                    "state": job.agent_state or "",
                    "state_label": labels.get(job.agent_state, ""),
                    "closed": job.is_closed,
                    "customer": job.partner_id.name if mine else "",
                    "city": job.city if mine else "",
                    "devices": self._agent_devices(job.line_ids),
                }
            )
        return rows

    def _agent_customer(self, job, agent):
        """The customer's contact details, only while the job is the agent's and open."""
        if job.agent_id != agent or job.is_closed:
            return None
        partner = job.partner_id
        return {
            "name": partner.name or job.partner_name or "",
            "phone": job.phone or partner.phone or "",
            "mobile": job.mobile or partner.mobile or "",
            "street": job.street or "",
            "street2": job.street2 or "",
            "city": job.city or "",
            "province": job.state_id.name or "",
        }

    def _agent_report_values(self, reports):
        reports.fetch(REPORT_FIELDS)
        reports.request_id.fetch(["name"])
        reports.product_id.fetch(["display_name"])
        reports.lot_id.fetch(["name"])
        types = dict(REPORT_TYPES)
        types.update(self._agent_selection_labels("report_type"))
        states = self._agent_selection_labels("state")
        return [
            {
                "id": report.id,
                "url": f"/my/work-reports/{report.id}",
                "name": report.name,
                "job": report.request_id.name,
                "type_label": types.get(report.report_type, ""),
                "state": report.state,
                "state_label": states.get(report.state, ""),
                "fee": report.fee_total,
                "currency": report.currency_id,
                "date": report.submitted_date or report.create_date,
                "confirmed": report.customer_confirmed,
                "device": report.product_id.display_name or "",
                "serial": report.lot_id.name or "",
            }
            for report in reports
        ]

    def _agent_photos(self):
        """Validated photo uploads as ``[(name, bytes)]``; UserError otherwise."""
        env = request.env
        files = [f for f in request.httprequest.files.getlist("photos") if f and f.filename]
        if not files:
            raise UserError(env._("Choose the photos to attach."))
        if len(files) > PHOTO_MAX_COUNT:
            raise UserError(env._("Attach at most %(count)s photos.", count=PHOTO_MAX_COUNT))
        photos = []
        for upload in files:
            data = upload.read(PHOTO_MAX_BYTES + 1)
            if len(data) > PHOTO_MAX_BYTES:
                raise UserError(
                    env._(
                        "%(name)s is larger than %(size)s MB.",
                        name=upload.filename,
                        size=PHOTO_MAX_BYTES // (1024 * 1024),
                    )
                )
            if guess_mimetype(data) not in PHOTO_TYPES:
                raise UserError(
                    env._("%(name)s is not a JPEG, PNG or WebP photo.", name=upload.filename)
                )
            photos.append((upload.filename, data))
        return photos

    def _agent_visit_datetime(self, date_text, time_text):
        """The visit's date (Gregorian, or Jalali when the year is before 1700, in any
        digits) and time in the user's time zone, as a naive UTC datetime."""
        env = request.env
        date_text = to_ascii_digits((date_text or "").strip())
        time_text = to_ascii_digits((time_text or "").strip())
        date_match = DATE_INPUT.match(date_text)
        time_match = TIME_INPUT.match(time_text)
        if not date_match or not time_match:
            raise UserError(env._("Give the date and time of the visit."))
        year, month, day = (int(part) for part in date_match.groups())
        try:
            day_value = from_jalali(year, month, day) if year < 1700 else date(year, month, day)
            time_value = time(*(int(part) for part in time_match.groups()))
        except ValueError:
            raise UserError(env._("The date or time of the visit is not valid.")) from None
        tz = pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day_value, time_value))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _agent_part_rows(self, form):
        """The part rows of a posted form, in the order of the form, unvalidated."""
        indexes = sorted({int(m.group(1)) for m in map(PART_FIELD.match, form or ()) if m})
        return [
            {
                "index": index,
                "code": (form.get(f"part-{index}-code") or "").strip(),
                "quantity": (form.get(f"part-{index}-quantity") or "").strip(),
                "serial": (form.get(f"part-{index}-serial") or "").strip(),
            }
            for index in indexes
        ]

    def _agent_find_parts(self, codes, company):
        """``{code (casefolded): product}`` of the products whose internal reference,
        barcode or name is one of ``codes`` (one search)."""
        if not codes:
            return {}
        domain = []
        for code in codes:
            # Exact, case-insensitive: LIKE wildcards typed by the agent are literal.
            literal = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            domain = ["|", *domain] if domain else domain
            domain += [
                "|",
                "|",
                ("default_code", "=ilike", literal),
                ("barcode", "=ilike", literal),
                ("name", "=ilike", literal),
            ]
        products = (
            request.env["product.product"]
            .sudo()
            .search([("company_id", "in", [False, company.id]), *domain])
        )
        found = {}
        for code in codes:
            key = code.casefold()
            matches = products.filtered(
                lambda p, k=key: (
                    k in {(p.default_code or "").casefold(), (p.barcode or "").casefold()}
                )
            ) or products.filtered(lambda p, k=key: (p.name or "").casefold() == k)
            if len(matches) == 1:
                found[key] = matches
        return found

    def _agent_report_vals(self, job, form):
        """Values of a new work report from the whitelisted keys of the report form:
        the job, the agent, the company and every date are the server's."""
        env = request.env
        report_type = form.get("report_type") or ""
        if report_type not in dict(REPORT_TYPES):
            raise UserError(env._("Choose the work you did."))
        line_id = form.get("request_line_id") or ""
        line = job.line_ids.filtered(lambda line: str(line.id) == line_id)
        if line_id and not line:
            raise UserError(env._("Choose one of the job's devices."))
        travel = form.get("travel") or "none"
        if travel not in dict(TRAVEL):
            raise UserError(env._("Choose the travel of the visit."))
        try:
            labour = float(to_ascii_digits(form.get("labour_hours") or "0").replace(",", "."))
        except ValueError:
            raise UserError(env._("The labour hours must be a number.")) from None
        if labour < 0 or labour > 24:
            raise UserError(env._("The labour hours must be between 0 and 24."))
        rows = [
            row
            for row in self._agent_part_rows(form)
            if row["code"] or row["serial"] or row["quantity"] not in ("", "1")
        ]
        if len(rows) > MAX_PARTS:
            raise UserError(env._("At most %(count)s part lines.", count=MAX_PARTS))
        parts = self._agent_find_parts([row["code"] for row in rows if row["code"]], job.company_id)
        commands = []
        for number, row in enumerate(rows, start=1):
            product = parts.get(row["code"].casefold())
            if not product:
                raise UserError(
                    env._(
                        "Part %(number)s: no part has the code %(code)s.",
                        number=number,
                        code=row["code"] or "-",
                    )
                )
            try:
                quantity = float(to_ascii_digits(row["quantity"] or "1").replace(",", "."))
            except ValueError:
                quantity = 0.0
            if quantity <= 0:
                raise UserError(
                    env._(
                        "The quantity of %(product)s must be positive.",
                        product=product.display_name,
                    )
                )
            commands.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "part_serial": normalize_serial(row["serial"]),
                    }
                )
            )
        return {
            "request_id": job.id,
            "report_type": report_type,
            "request_line_id": line.id or False,
            "work_note": (form.get("work_note") or "").strip() or False,
            "labour_hours": labour,
            "travel": travel,
            "part_ids": commands,
        }

    def _agent_report_form_values(self, job, agent, form=None, error=None):
        types = dict(REPORT_TYPES)
        types.update(self._agent_selection_labels("report_type"))
        travel = dict(TRAVEL)
        travel.update(self._agent_selection_labels("travel"))
        rows = self._agent_part_rows(form)[:MAX_PARTS] if form else []
        while len(rows) < 3:
            index = rows[-1]["index"] + 1 if rows else 0
            rows.append({"index": index, "code": "", "quantity": "1", "serial": ""})
        return {
            "page_name": "aftersales_agent_job",
            "job": self._agent_job_values(job, agent)[0],
            "report_types": list(types.items()),
            "travel_choices": list(travel.items()),
            "devices": self._agent_devices(job.line_ids),
            "part_rows": rows,
            "post": form or {},
            "error": error,
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------

    def _agent_job_filters(self):
        env = request.env
        return {
            "open": {"label": env._("Open"), "domain": [("is_closed", "=", False)]},
            "new": {"label": env._("New"), "domain": [("agent_state", "=", "new")]},
            "accepted": {"label": env._("Accepted"), "domain": [("agent_state", "=", "accepted")]},
            "scheduled": {
                "label": env._("Scheduled"),
                "domain": [("agent_state", "=", "scheduled")],
            },
            "in_progress": {
                "label": env._("In Progress"),
                "domain": [("agent_state", "=", "in_progress")],
            },
            "reported": {"label": env._("Reported"), "domain": [("agent_state", "=", "reported")]},
            "all": {"label": env._("All"), "domain": []},
        }

    @http.route(["/my/jobs", "/my/jobs/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_jobs(self, page=1, sortby=None, search=None, filterby=None, **kw):
        env = request.env
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        sortings = {
            "date": {"label": env._("Newest"), "order": "request_date desc, id desc"},
            "visit": {"label": env._("Visit Date"), "order": "scheduled_date, id desc"},
            "name": {"label": env._("Tracking Number"), "order": "name desc"},
        }
        filters = self._agent_job_filters()
        filterby = filterby if filterby in filters else "open"
        domain = [*self._agent_job_domain(agent), *filters[filterby]["domain"]]
        search = (search or "").strip()
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("line_ids.serial_number", "=", normalize_serial(search)),
                # Customers are searched among open jobs only, as they are shown.
                "&",
                ("is_closed", "=", False),
                ("partner_id.name", "ilike", search),
            ]
        jobs, pager, sortby = self._aftersales_page(
            "aftersales.request", domain, "/my/jobs", sortings, sortby, search, page, JOB_FIELDS
        )
        values.update(
            {
                "jobs": self._agent_job_values(jobs, agent),
                "page_name": "aftersales_agent_job",
                "default_url": "/my/jobs",
                "pager": self._agent_pager_with(
                    pager, filterby=filterby if filterby != "open" else ""
                ),
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "done": kw.get("done"),
            }
        )
        return request.render("aftersales_agent.portal_my_jobs", values)

    def _agent_render_job(self, agent, job, error=None, done=None):
        env = request.env
        values = self._prepare_portal_layout_values()
        row = self._agent_job_values(job, agent)[0]
        state = job.agent_state
        is_open = not job.is_closed
        reports = (
            env["aftersales.work.report"]
            .sudo()
            .search([("request_id", "=", job.id), *self._agent_report_domain(agent)])
        )
        photos = (
            env["ir.attachment"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", "aftersales.request"),
                    ("res_id", "=", job.id),
                    ("mimetype", "in", sorted(PHOTO_TYPES)),
                    ("create_uid.partner_id.commercial_partner_id", "=", agent.id),
                ],
                ["name"],
                order="id",
            )
        )
        row.update(
            {
                "customer": self._agent_customer(job, agent),
                "stage": job.stage_id.name or "",
                "description": job.description or "",
                "can_accept": is_open and state in (False, "new"),
                "can_decline": is_open and state in (False, "new", "accepted"),
                "can_schedule": is_open and state in ("accepted", "scheduled"),
                "can_start": is_open and state in ("accepted", "scheduled"),
                "can_report": is_open and state in ("accepted", "scheduled", "in_progress"),
                "can_attach": is_open,
                "photos": photos.mapped("name"),
                "photo_max_count": PHOTO_MAX_COUNT,
                "photo_max_mb": PHOTO_MAX_BYTES // (1024 * 1024),
            }
        )
        values.update(
            {
                "job": row,
                "reports": self._agent_report_values(reports),
                "page_name": "aftersales_agent_job",
                "error": error,
                "done": done,
            }
        )
        return request.render("aftersales_agent.portal_job_page", values)

    @http.route("/my/jobs/<int:job_id>", type="http", auth="user", website=True)
    def portal_job(self, job_id, done=None, **kw):
        agent, job = self._agent_job(job_id)
        return self._agent_render_job(agent, job, done=done)

    def _agent_job_action(self, job_id, method_name, *args, done=None):
        agent, job = self._agent_job(job_id)
        error = self._agent_run(getattr(job, method_name), agent, *args)
        if error:
            return self._agent_render_job(agent, job, error=error)
        return request.redirect(f"/my/jobs/{job.id}?done={done}")

    @http.route(
        "/my/jobs/<int:job_id>/accept", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_job_accept(self, job_id, **kw):
        return self._agent_job_action(job_id, "_agent_accept", done="accepted")

    @http.route(
        "/my/jobs/<int:job_id>/decline", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_job_decline(self, job_id, reason=None, **kw):
        agent, job = self._agent_job(job_id)
        reason = (reason or "").strip()
        if not reason:
            return self._agent_render_job(
                agent, job, error=request.env._("Say why you decline the job.")
            )
        error = self._agent_run(job._agent_decline, agent, reason)
        if error:
            return self._agent_render_job(agent, job, error=error)
        # The job is no longer the agent's: back to the cartable.
        return request.redirect("/my/jobs?done=declined")

    @http.route(
        "/my/jobs/<int:job_id>/schedule", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_job_schedule(self, job_id, visit_date=None, visit_time=None, **kw):
        agent, job = self._agent_job(job_id)
        try:
            when = self._agent_visit_datetime(visit_date, visit_time)
        except UserError as exc:
            return self._agent_render_job(agent, job, error=exc.args[0])
        error = self._agent_run(job._agent_schedule, agent, when)
        if error:
            return self._agent_render_job(agent, job, error=error)
        return request.redirect(f"/my/jobs/{job.id}?done=scheduled")

    @http.route(
        "/my/jobs/<int:job_id>/start", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_job_start(self, job_id, **kw):
        return self._agent_job_action(job_id, "_agent_start", done="started")

    @http.route(
        "/my/jobs/<int:job_id>/photos", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_job_photos(self, job_id, **kw):
        agent, job = self._agent_job(job_id)
        env = request.env
        try:
            job._check_agent_job(agent)
            photos = self._agent_photos()
        except UserError as exc:
            return self._agent_render_job(agent, job, error=exc.args[0])
        job.message_post(
            body=env._("Photos from the service agent %(agent)s.", agent=agent.name),
            attachments=photos,
            author_id=env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/jobs/{job.id}?done=photos")

    # ------------------------------------------------------------------
    # Work reports
    # ------------------------------------------------------------------

    @http.route(
        "/my/jobs/<int:job_id>/report",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_job_report(self, job_id, **kw):
        env = request.env
        agent, job = self._agent_job(job_id)
        values = self._prepare_portal_layout_values()
        template = "aftersales_agent.portal_job_report_new"
        if request.httprequest.method == "GET":
            values.update(self._agent_report_form_values(job, agent))
            return request.render(template, values)
        form = request.httprequest.form
        report = env["aftersales.work.report"]
        try:
            if job.agent_state in (False, "new"):
                raise UserError(env._("Accept the job before filing a work report."))
            job._check_agent_job(agent)
            vals = self._agent_report_vals(job, form)
            with env.cr.savepoint():
                report = report.sudo().create(vals)
        except (UserError, ValidationError) as exc:
            values.update(self._agent_report_form_values(job, agent, form, error=exc.args[0]))
            return request.render(template, values)
        return request.redirect(f"/my/work-reports/{report.id}")

    @http.route(
        ["/my/work-reports", "/my/work-reports/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_work_reports(self, page=1, sortby=None, search=None, filterby=None, **kw):
        env = request.env
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        sortings = {
            "date": {"label": env._("Newest"), "order": "id desc"},
            "name": {"label": env._("Number"), "order": "name desc"},
            "state": {"label": env._("Status"), "order": "state, id desc"},
        }
        states = self._agent_selection_labels("state")
        filters = {"all": {"label": env._("All"), "domain": []}}
        filters.update(
            {
                key: {"label": states.get(key, key), "domain": [("state", "=", key)]}
                for key, _l in STATES
            }
        )
        filterby = filterby if filterby in filters else "all"
        domain = [*self._agent_report_domain(agent), *filters[filterby]["domain"]]
        search = (search or "").strip()
        if search:
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("request_id.name", "ilike", search),
                ("lot_id.name", "=", normalize_serial(search)),
            ]
        reports, pager, sortby = self._aftersales_page(
            "aftersales.work.report",
            domain,
            "/my/work-reports",
            sortings,
            sortby,
            search,
            page,
            REPORT_FIELDS,
        )
        values.update(
            {
                "reports": self._agent_report_values(reports),
                "page_name": "aftersales_agent_report",
                "default_url": "/my/work-reports",
                "pager": self._agent_pager_with(
                    pager, filterby=filterby if filterby != "all" else ""
                ),
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
            }
        )
        return request.render("aftersales_agent.portal_my_work_reports", values)

    def _agent_render_report(self, agent, report, error=None, done=None, info=None):
        values = self._prepare_portal_layout_values()
        row = self._agent_report_values(report)[0]
        job = report.request_id
        travel = dict(TRAVEL)
        travel.update(self._agent_selection_labels("travel"))
        draft = report.state == "draft"
        row.update(
            {
                "job_url": f"/my/jobs/{job.id}" if job.agent_id == agent else "",
                "work_note": report.work_note or "",
                "labour_hours": report.labour_hours,
                "travel_label": travel.get(report.travel, ""),
                "parts": [
                    {
                        "product": part.product_id.display_name,
                        "quantity": part.quantity,
                        "uom": part.uom_id.name or "",
                        "serial": part.part_serial or "",
                        "voided": part.voided,
                    }
                    for part in report.part_ids
                ],
                "code_sent": bool(report.code_sent_count),
                "code_expiry": report.code_expiry,
                "warranty_status": report.warranty_status or "",
                "rejection_reason": report.rejection_reason or "",
                "approved_date": report.approved_date,
                "can_send_code": draft and not report.customer_confirmed,
                "can_confirm": draft and not report.customer_confirmed and report.code_sent_count,
                "can_submit": draft,
            }
        )
        values.update(
            {
                "report": row,
                "page_name": "aftersales_agent_report",
                "error": error,
                "info": info,
                "done": done,
            }
        )
        return request.render("aftersales_agent.portal_work_report_page", values)

    def _agent_report_action(self, report_id, method_name, done=None):
        """Run one of the report's own methods for its agent: the page again with the
        refusal, or back to the report with ``done``."""
        agent, report = self._agent_report(report_id)
        error = self._agent_run(getattr(report, method_name))
        if error:
            return self._agent_render_report(agent, report, error=error)
        return request.redirect(f"/my/work-reports/{report.id}?done={done}")

    @http.route("/my/work-reports/<int:report_id>", type="http", auth="user", website=True)
    def portal_work_report(self, report_id, done=None, **kw):
        agent, report = self._agent_report(report_id)
        return self._agent_render_report(agent, report, done=done)

    @http.route(
        "/my/work-reports/<int:report_id>/send-code",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_report_send_code(self, report_id, **kw):
        return self._agent_report_action(report_id, "_send_confirmation_code", done="code_sent")

    @http.route(
        "/my/work-reports/<int:report_id>/confirm",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_report_confirm(self, report_id, code=None, **kw):
        agent, report = self._agent_report(report_id)
        # Never raises for a wrong code: the count of tries is committed with this request.
        ok, message = report._confirm_with_code((code or "")[:32])
        if not ok:
            return self._agent_render_report(agent, report, error=message)
        return request.redirect(f"/my/work-reports/{report.id}?done=confirmed")

    @http.route(
        "/my/work-reports/<int:report_id>/submit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_report_submit(self, report_id, **kw):
        return self._agent_report_action(report_id, "action_submit", done="submitted")
