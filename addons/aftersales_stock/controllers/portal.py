"""The agent's parts and cores on the portal (R-STK-2/3/4): part requests, the consignment
stock at hand, the defective cores owed, their shipment and their labels.

Portal users hold read rights only (by the ownership rules) on part requests, consignment
items and cores, none on stock: every page reads through ``sudo()`` with the ownership
domain (the record's agent is the user's agent), answers 404 for any other id, and passes
plain values to the templates, never the records. A part request is made from the
whitelisted keys of the form (the agent is the user's, whatever is posted) and submitted by
the model, which checks it again; a shipment is declared by the cores' own method.
"""

import re

from odoo import Command, http
from odoo.addons.aftersales_agent.controllers.portal import AftersalesAgentPortal
from odoo.addons.aftersales_base.tools import to_ascii_digits
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.aftersales_core import OWED
from ..models.aftersales_core import STATES as CORE_STATES
from ..models.aftersales_part_request import REQUEST_TYPES
from ..models.aftersales_part_request import STATES as REQUEST_STATES

CORE_LABEL_REPORT = "aftersales_stock.action_report_core_label"
# Part rows of the request form: ``part-<n>-code``, ``part-<n>-product_id``, ``part-<n>-quantity``.
MAX_PARTS = 10
PART_FIELD = re.compile(r"^part-(\d{1,2})-(code|product_id|quantity)$")
MAX_CATALOG = 500
MAX_LABELS = 100
LABEL_IDS = re.compile(r"^\d{1,10}(,\d{1,10}){0,99}$")
PART_REQUEST_FIELDS = [
    "name",
    "request_type",
    "state",
    "request_id",
    "submitted_date",
    "create_date",
    "amount_total",
    "currency_id",
    "shipping_payer",
]
CORE_FIELDS = [
    "name",
    "state",
    "request_id",
    "product_id",
    "part_serial",
    "quantity",
    "due_date",
    "shipped_date",
    "shipment_ref",
]


class AftersalesStockPortal(AftersalesAgentPortal):
    # ------------------------------------------------------------------
    # Ownership
    # ------------------------------------------------------------------

    def _stock_part_request_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _stock_core_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _stock_consignment_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _stock_part_request(self, part_request_id):
        """``(agent, part request)`` when it is the user's agent's; 404 otherwise."""
        return self._agent_owned(
            "aftersales.part.request", part_request_id, self._stock_part_request_domain
        )

    def _stock_cores_of(self, agent, ids_text):
        """The agent's cores of the comma-separated ``ids_text``; 404 when one is not the
        agent's (or does not exist), or none is given."""
        ids = set()
        for chunk in (ids_text or "").split(","):
            chunk = chunk.strip()
            if not chunk.isdigit():
                raise request.not_found()
            ids.add(int(chunk))
        if not ids or len(ids) > MAX_LABELS:
            raise request.not_found()
        cores = (
            request.env["aftersales.core"]
            .sudo()
            .search([("id", "in", sorted(ids)), *self._stock_core_domain(agent)])
        )
        if len(cores) != len(ids):
            raise request.not_found()
        return cores

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        keys = {
            "aftersales_stock_part_request_count",
            "aftersales_stock_core_count",
            "aftersales_stock_consignment_count",
        }
        if not keys & set(counters):
            return values
        agent = self._agent()
        env = request.env
        if "aftersales_stock_part_request_count" in counters:
            values["aftersales_stock_part_request_count"] = (
                env["aftersales.part.request"]
                .sudo()
                .search_count(self._stock_part_request_domain(agent))
                if agent
                else 0
            )
        if "aftersales_stock_core_count" in counters:
            values["aftersales_stock_core_count"] = (
                env["aftersales.core"]
                .sudo()
                .search_count([*self._stock_core_domain(agent), ("state", "in", OWED)])
                if agent
                else 0
            )
        if "aftersales_stock_consignment_count" in counters:
            values["aftersales_stock_consignment_count"] = (
                env["aftersales.consignment.item"]
                .sudo()
                .search_count([*self._stock_consignment_domain(agent), ("state", "=", "open")])
                if agent
                else 0
            )
        return values

    def _stock_labels(self, model, fname, defaults):
        labels = dict(defaults)
        labels.update(request.env[model]._fields[fname]._description_selection(request.env))
        return labels

    def _stock_part_request_values(self, part_requests):
        part_requests.fetch(PART_REQUEST_FIELDS)
        part_requests.request_id.fetch(["name"])
        types = self._stock_labels("aftersales.part.request", "request_type", REQUEST_TYPES)
        states = self._stock_labels("aftersales.part.request", "state", REQUEST_STATES)
        payers = self._stock_labels("aftersales.part.request", "shipping_payer", [])
        return [
            {
                "id": part_request.id,
                "url": f"/my/parts/{part_request.id}",
                "name": part_request.name,
                "type": part_request.request_type,
                "type_label": types.get(part_request.request_type, ""),
                "state": part_request.state,
                "state_label": states.get(part_request.state, ""),
                "job": part_request.request_id.name or "",
                "date": part_request.submitted_date or part_request.create_date,
                "amount": part_request.amount_total,
                "currency": part_request.currency_id,
                "payer": part_request.shipping_payer or "",
                "payer_label": payers.get(part_request.shipping_payer, ""),
            }
            for part_request in part_requests
        ]

    def _stock_core_values(self, cores):
        cores.fetch(CORE_FIELDS)
        cores.request_id.fetch(["name"])
        cores.product_id.fetch(["display_name", "aftersales_part_code"])
        states = self._stock_labels("aftersales.core", "state", CORE_STATES)
        return [
            {
                "id": core.id,
                "name": core.name,
                "state": core.state,
                "state_label": states.get(core.state, ""),
                "job": core.request_id.name or "",
                "part": core.product_id.display_name or "",
                "code": core.product_id.aftersales_part_code or "",
                "serial": core.part_serial or "",
                "quantity": core.quantity,
                "due": core.due_date,
                "overdue": core.is_overdue,
                "shipped": core.shipped_date,
                "shipment_ref": core.shipment_ref or "",
                "can_ship": core.state == "pending",
            }
            for core in cores
        ]

    def _stock_jobs(self, agent):
        """The agent's open jobs, for warranty parts: ``[(id, name)]``."""
        jobs = (
            request.env["aftersales.request"]
            .sudo()
            .search_fetch(
                [*self._agent_job_domain(agent), ("is_closed", "=", False)],
                ["name"],
                order="id desc",
                limit=MAX_CATALOG,
            )
        )
        return [(job.id, job.name) for job in jobs]

    def _stock_catalog(self, company):
        """The parts an agent may pick: ``[(id, label)]``."""
        parts = (
            request.env["product.product"]
            .sudo()
            .search_fetch(
                [
                    ("aftersales_is_part", "=", True),
                    ("is_storable", "=", True),
                    ("company_id", "in", (False, company.id)),
                ],
                ["display_name", "aftersales_part_code"],
                order="aftersales_part_code, id",
                limit=MAX_CATALOG,
            )
        )
        return [
            (
                part.id,
                f"{part.aftersales_part_code} - {part.display_name}"
                if part.aftersales_part_code
                else part.display_name,
            )
            for part in parts
        ]

    def _stock_part_rows(self, form):
        """The part rows of a posted form, in the order of the form, unvalidated."""
        indexes = sorted({int(m.group(1)) for m in map(PART_FIELD.match, form or ()) if m})
        return [
            {
                "index": index,
                "code": (form.get(f"part-{index}-code") or "").strip(),
                "product_id": (form.get(f"part-{index}-product_id") or "").strip(),
                "quantity": (form.get(f"part-{index}-quantity") or "").strip(),
            }
            for index in indexes
        ]

    def _stock_part_request_vals(self, agent, form):
        """Values of a new part request from the whitelisted keys of the form: the agent,
        the company, the state and the prices are the server's."""
        env = request.env
        request_type = form.get("request_type") or ""
        if request_type not in dict(REQUEST_TYPES):
            raise UserError(env._("Choose the kind of request."))
        company = env.company
        job = env["aftersales.request"]
        if request_type == "warranty":
            job_id = form.get("request_id") or ""
            job = (
                job.sudo().search(
                    [
                        ("id", "=", int(job_id)),
                        *self._agent_job_domain(agent),
                        ("is_closed", "=", False),
                    ],
                    limit=1,
                )
                if job_id.isdigit()
                else job
            )
            if not job:
                raise UserError(env._("Choose one of your open jobs for warranty parts."))
            company = job.company_id
        rows = [
            row
            for row in self._stock_part_rows(form)
            if row["code"] or row["product_id"] or row["quantity"] not in ("", "1")
        ]
        if not rows:
            raise UserError(env._("Give the code of a part or choose one."))
        if len(rows) > MAX_PARTS:
            raise UserError(env._("At most %(count)s part lines.", count=MAX_PARTS))
        Product = env["product.product"].sudo()
        catalog_ids = [int(row["product_id"]) for row in rows if row["product_id"].isdigit()]
        catalog = Product.search(
            [
                ("id", "in", catalog_ids),
                ("aftersales_is_part", "=", True),
                ("company_id", "in", (False, company.id)),
            ]
        )
        commands = []
        for number, row in enumerate(rows, start=1):
            if row["code"]:
                product = Product._aftersales_part_by_code(row["code"], company)
                if not product:
                    raise UserError(
                        env._(
                            "Part %(number)s: no part has the code %(code)s.",
                            number=number,
                            code=row["code"],
                        )
                    )
            else:
                product = catalog.filtered(lambda p, pid=row["product_id"]: str(p.id) == pid)
                if not product:
                    raise UserError(
                        env._("Part %(number)s: give the part's code or choose it.", number=number)
                    )
            try:
                quantity = float(to_ascii_digits(row["quantity"] or "1").replace(",", "."))
            except ValueError:
                quantity = 0.0
            if not quantity > 0:
                raise UserError(
                    env._(
                        "The quantity of %(product)s must be positive.",
                        product=product.display_name,
                    )
                )
            commands.append(Command.create({"product_id": product.id, "quantity": quantity}))
        return {
            "company_id": company.id,
            "agent_id": agent.id,
            "request_type": request_type,
            "request_id": job.id or False,
            "note": (form.get("note") or "").strip()[:2000] or False,
            "line_ids": commands,
        }

    def _stock_part_request_form_values(self, agent, form=None, error=None):
        types = self._stock_labels("aftersales.part.request", "request_type", REQUEST_TYPES)
        rows = self._stock_part_rows(form)[:MAX_PARTS] if form else []
        while len(rows) < 3:
            index = rows[-1]["index"] + 1 if rows else 0
            rows.append({"index": index, "code": "", "product_id": "", "quantity": "1"})
        return {
            "page_name": "aftersales_stock_part_request_new",
            "request_types": list(types.items()),
            "jobs": self._stock_jobs(agent),
            "catalog": self._stock_catalog(request.env.company),
            "part_rows": rows,
            "post": form or {},
            "error": error,
        }

    # ------------------------------------------------------------------
    # Part requests
    # ------------------------------------------------------------------

    @http.route(["/my/parts", "/my/parts/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_part_requests(self, page=1, sortby=None, search=None, done=None, **kw):
        env = request.env
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        sortings = {
            "date": {"label": env._("Newest"), "order": "id desc"},
            "name": {"label": env._("Number"), "order": "name desc"},
            "state": {"label": env._("Status"), "order": "state, id desc"},
        }
        domain = self._stock_part_request_domain(agent)
        search = (search or "").strip()
        if search:
            domain = [
                *domain,
                "|",
                ("name", "ilike", search),
                ("request_id.name", "ilike", search),
            ]
        part_requests, pager, sortby = self._aftersales_page(
            "aftersales.part.request",
            domain,
            "/my/parts",
            sortings,
            sortby,
            search,
            page,
            PART_REQUEST_FIELDS,
        )
        values.update(
            {
                "part_requests": self._stock_part_request_values(part_requests),
                "page_name": "aftersales_stock_part_request",
                "default_url": "/my/parts",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search,
                "done": done,
            }
        )
        return request.render("aftersales_stock.portal_my_part_requests", values)

    @http.route("/my/parts/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_part_request_new(self, **kw):
        env = request.env
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        template = "aftersales_stock.portal_part_request_new"
        if request.httprequest.method == "GET":
            values.update(self._stock_part_request_form_values(agent))
            return request.render(template, values)
        form = request.httprequest.form
        try:
            vals = self._stock_part_request_vals(agent, form)
            with env.cr.savepoint():
                part_request = env["aftersales.part.request"].sudo().create(vals)
                part_request.action_submit()
        except (UserError, ValidationError) as exc:
            values.update(self._stock_part_request_form_values(agent, form, error=exc.args[0]))
            return request.render(template, values)
        return request.redirect(f"/my/parts/{part_request.id}?done=submitted")

    @http.route("/my/parts/<int:part_request_id>", type="http", auth="user", website=True)
    def portal_part_request(self, part_request_id, done=None, **kw):
        _agent, part_request = self._stock_part_request(part_request_id)
        values = self._prepare_portal_layout_values()
        row = self._stock_part_request_values(part_request)[0]
        lines = part_request.line_ids
        lines.fetch(["product_id", "quantity", "price_unit", "price_subtotal"])
        lines.product_id.fetch(["display_name", "aftersales_part_code", "uom_id"])
        pickings = part_request.picking_ids
        pickings.fetch(["name", "state", "date_done", "scheduled_date"])
        picking_states = self._stock_labels("stock.picking", "state", [])
        row.update(
            {
                "lines": [
                    {
                        "part": line.product_id.display_name or "",
                        "code": line.product_id.aftersales_part_code or "",
                        "quantity": line.quantity,
                        "uom": line.product_id.uom_id.name or "",
                        "delivered": line.quantity_delivered,
                        "price_unit": line.price_unit,
                        "subtotal": line.price_subtotal,
                    }
                    for line in lines
                ],
                "transfers": [
                    {
                        "name": picking.name,
                        "state": picking.state,
                        "state_label": picking_states.get(picking.state, ""),
                        "date": picking.date_done or picking.scheduled_date,
                    }
                    for picking in pickings
                ],
                "note": part_request.note or "",
                "warranty_status": part_request.warranty_status or "",
                "rejection_reason": part_request.rejection_reason or "",
            }
        )
        values.update(
            {
                "part_request": row,
                "page_name": "aftersales_stock_part_request",
                "done": done,
            }
        )
        return request.render("aftersales_stock.portal_part_request_page", values)

    # ------------------------------------------------------------------
    # Consignment
    # ------------------------------------------------------------------

    @http.route("/my/consignment", type="http", auth="user", website=True)
    def portal_my_consignment(self, **kw):
        env = request.env
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        locations = agent.sudo().aftersales_consignment_location_ids
        quants = (
            env["stock.quant"]
            .sudo()
            .search_fetch(
                [("location_id", "child_of", locations.ids), ("quantity", "!=", 0)]
                if locations
                else [("id", "=", 0)],
                ["product_id", "quantity", "product_uom_id"],
                order="product_id",
            )
        )
        quants.product_id.fetch(["display_name", "aftersales_part_code"])
        stock = {}
        for quant in quants:
            row = stock.setdefault(
                quant.product_id.id,
                {
                    "part": quant.product_id.display_name or "",
                    "code": quant.product_id.aftersales_part_code or "",
                    "quantity": 0.0,
                    "uom": quant.product_uom_id.name or "",
                },
            )
            row["quantity"] += quant.quantity
        items = (
            env["aftersales.consignment.item"]
            .sudo()
            .search(
                [*self._stock_consignment_domain(agent), ("state", "=", "open")],
                order="settle_by, id",
            )
        )
        items.fetch(["product_id", "quantity", "quantity_open", "settle_by", "date", "price_unit"])
        items.product_id.fetch(["display_name", "aftersales_part_code"])
        values.update(
            {
                "page_name": "aftersales_stock_consignment",
                "stock": sorted(stock.values(), key=lambda row: (row["code"], row["part"])),
                "items": [
                    {
                        "part": item.product_id.display_name or "",
                        "code": item.product_id.aftersales_part_code or "",
                        "lent": item.quantity,
                        "open": item.quantity_open,
                        "date": item.date,
                        "settle_by": item.settle_by,
                        "overdue": item.is_overdue,
                        "price_unit": item.price_unit,
                        "currency": item.currency_id,
                    }
                    for item in items
                ],
            }
        )
        return request.render("aftersales_stock.portal_my_consignment", values)

    # ------------------------------------------------------------------
    # Cores
    # ------------------------------------------------------------------

    def _stock_core_filters(self):
        env = request.env
        return {
            "owed": {"label": env._("Owed"), "domain": [("state", "in", OWED)]},
            "all": {"label": env._("All"), "domain": []},
        }

    def _stock_render_cores(
        self, agent, page=1, sortby=None, filterby=None, error=None, done=None, labels=None
    ):
        env = request.env
        values = self._prepare_portal_layout_values()
        sortings = {
            "due": {"label": env._("Due Date"), "order": "due_date, id"},
            "date": {"label": env._("Newest"), "order": "id desc"},
        }
        filters = self._stock_core_filters()
        filterby = filterby if filterby in filters else "owed"
        domain = [*self._stock_core_domain(agent), *filters[filterby]["domain"]]
        cores, pager, sortby = self._aftersales_page(
            "aftersales.core", domain, "/my/cores", sortings, sortby, None, page, CORE_FIELDS
        )
        values.update(
            {
                "cores": self._stock_core_values(cores),
                "page_name": "aftersales_stock_core",
                "default_url": "/my/cores",
                "pager": self._agent_pager_with(
                    pager, filterby=filterby if filterby != "owed" else ""
                ),
                "searchbar_sortings": sortings,
                "searchbar_filters": filters,
                "sortby": sortby,
                "filterby": filterby,
                "error": error,
                "done": done,
                "labels_url": f"/my/cores/labels?ids={labels}" if labels else "",
            }
        )
        return request.render("aftersales_stock.portal_my_cores", values)

    @http.route(["/my/cores", "/my/cores/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_cores(self, page=1, sortby=None, filterby=None, done=None, labels=None, **kw):
        agent = self._agent_or_404()
        # The labels of the cores just shipped: ids only (the labels page checks them).
        labels = labels if labels and LABEL_IDS.match(labels) else None
        return self._stock_render_cores(agent, page, sortby, filterby, done=done, labels=labels)

    @http.route("/my/cores/ship", type="http", auth="user", website=True, methods=["POST"])
    def portal_cores_ship(self, reference=None, **kw):
        env = request.env
        agent = self._agent_or_404()
        ids = request.httprequest.form.getlist("core_ids")
        if not ids:
            return self._stock_render_cores(
                agent, error=env._("Choose the cores you are shipping.")
            )
        cores = self._stock_cores_of(agent, ",".join(ids))
        error = self._agent_run(cores._declare_shipment, (reference or "")[:200])
        if error:
            return self._stock_render_cores(agent, error=error)
        ids_text = ",".join(str(core_id) for core_id in cores.ids)
        return request.redirect(f"/my/cores?done=shipped&labels={ids_text}")

    @http.route("/my/cores/labels", type="http", auth="user", website=True)
    def portal_cores_labels(self, ids=None, **kw):
        agent = self._agent_or_404()
        cores = self._stock_cores_of(agent, ids)
        pdf, _report_type = (
            request.env["ir.actions.report"].sudo()._render_qweb_pdf(CORE_LABEL_REPORT, cores.ids)
        )
        filename = "core-labels.pdf" if len(cores) > 1 else f"{cores.name}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
