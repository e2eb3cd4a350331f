"""Agent portal: the download center (``/my/downloads``) and the agent's tickets
(``/my/tickets``).

Only the users of a service agent reach these pages. Records are read through ``sudo()``
with the agent's own domain (the same as the portal record rules), templates get plain
values, and a record of another agent answers 404. Files are streamed by this controller
after the check: the attachment behind a document is never named to the agent.
"""

from odoo import http
from odoo.addons.aftersales_base.controllers.portal import AftersalesPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.aftersales_agent_ticket import TICKET_STATES

DOCUMENT_FIELDS = ["name", "category", "description", "publication_date", "file_name"]
TICKET_FIELDS = ["name", "subject", "ticket_type", "state", "create_date", "work_report_id"]
OPEN_STATES = ("new", "in_progress", "answered")


class AftersalesAgentExtrasPortal(AftersalesPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _agent_extras_agent(self):
        """The agent of the logged-in user; 404 for anyone else."""
        agent = request.env["res.partner"]._aftersales_agent_of(request.env.user)
        if request.env.user._is_public() or not agent:
            raise request.not_found()
        return agent

    def _agent_document_domain(self, agent):
        return [
            *request.env["aftersales.agent.document"]._aftersales_portal_domain(agent),
            ("company_id", "in", request.env.user.company_ids.ids),
        ]

    def _agent_ticket_domain(self, agent):
        return [("agent_id", "=", agent.id)]

    def _agent_get_document(self, document_id):
        agent = self._agent_extras_agent()
        document = (
            request.env["aftersales.agent.document"]
            .sudo()
            .search([("id", "=", document_id), *self._agent_document_domain(agent)], limit=1)
        )
        if not document:
            raise request.not_found()
        return document

    def _agent_get_ticket(self, ticket_id):
        agent = self._agent_extras_agent()
        ticket = (
            request.env["aftersales.agent.ticket"]
            .sudo()
            .search([("id", "=", ticket_id), *self._agent_ticket_domain(agent)], limit=1)
        )
        if not ticket:
            raise request.not_found()
        return ticket

    def _agent_page(self, model, domain, url, url_args, order, page, fnames):
        """One page of a portal list read as superuser (``domain`` holds the agent's
        check): ``(records, pager)``; the pager links keep ``url_args`` (filters)."""
        Model = request.env[model].sudo()
        pager = portal_pager(
            url=url,
            url_args={key: value for key, value in url_args.items() if value},
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search_fetch(
            domain, fnames, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        return records, pager

    def _agent_report_choices(self, agent):
        """The agent's own work reports, newest first, for the ticket form."""
        reports = (
            request.env["aftersales.work.report"]
            .sudo()
            .search_fetch(
                [("agent_id", "=", agent.id)], ["name", "request_id"], order="id desc", limit=200
            )
        )
        reports.request_id.fetch(["name"])
        return [
            {"id": report.id, "label": f"{report.name} ({report.request_id.name})"}
            for report in reports
        ]

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        user = request.env.user
        values["aftersales_is_agent_user"] = not user._is_public() and bool(
            request.env["res.partner"]._aftersales_agent_of(user)
        )
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = {"aftersales_agent_document_count", "aftersales_agent_ticket_count"}
        if not wanted & set(counters):
            return values
        agent = request.env["res.partner"]._aftersales_agent_of(request.env.user)
        if "aftersales_agent_document_count" in counters:
            values["aftersales_agent_document_count"] = (
                request.env["aftersales.agent.document"]
                .sudo()
                .search_count(self._agent_document_domain(agent))
                if agent
                else 0
            )
        if "aftersales_agent_ticket_count" in counters:
            values["aftersales_agent_ticket_count"] = (
                request.env["aftersales.agent.ticket"]
                .sudo()
                .search_count([*self._agent_ticket_domain(agent), ("state", "in", OPEN_STATES)])
                if agent
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Download center
    # ------------------------------------------------------------------

    @http.route(
        ["/my/downloads", "/my/downloads/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_agent_downloads(self, page=1, category=None, search=None, sortby=None, **kw):
        env = request.env
        agent = self._agent_extras_agent()
        values = self._prepare_portal_layout_values()
        categories = dict(
            env["aftersales.agent.document"]._fields["category"]._description_selection(env)
        )
        category = category if category in categories else None
        domain = self._agent_document_domain(agent)
        if category:
            domain.append(("category", "=", category))
        search = (search or "").strip()
        if search:
            domain += ["|", ("name", "ilike", search), ("description", "ilike", search)]
        sortings = {
            "date": {"label": env._("Newest"), "order": "publication_date desc, id desc"},
            "name": {"label": env._("Title"), "order": "name, id"},
        }
        sortby = sortby if sortby in sortings else "date"
        documents, pager = self._agent_page(
            "aftersales.agent.document",
            domain,
            "/my/downloads",
            {"sortby": sortby, "search": search, "category": category},
            sortings[sortby]["order"],
            page,
            DOCUMENT_FIELDS,
        )
        values.update(
            {
                "page_name": "aftersales_agent_downloads",
                "default_url": "/my/downloads",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search,
                "category": category or "",
                "categories": list(categories.items()),
                "documents": [
                    {
                        "id": doc.id,
                        "name": doc.name,
                        "category": doc.category,
                        "category_label": categories.get(doc.category, ""),
                        "description": doc.description or "",
                        "date": doc.publication_date,
                        "file_name": doc.file_name or doc.name,
                        "url": f"/my/downloads/{doc.id}/file",
                    }
                    for doc in documents
                ],
            }
        )
        return request.render("aftersales_agent.portal_my_agent_downloads", values)

    @http.route("/my/downloads/<int:document_id>/file", type="http", auth="user")
    def portal_agent_download(self, document_id, **kw):
        document = self._agent_get_document(document_id)
        stream = request.env["ir.binary"]._get_stream_from(
            document, "file", filename=document.file_name or document.name
        )
        return stream.get_response(as_attachment=True)

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------

    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_agent_tickets(self, page=1, state=None, search=None, **kw):
        env = request.env
        agent = self._agent_extras_agent()
        values = self._prepare_portal_layout_values()
        Ticket = env["aftersales.agent.ticket"]
        states = dict(Ticket._fields["state"]._description_selection(env))
        types = dict(Ticket._fields["ticket_type"]._description_selection(env))
        filters = {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open"), "domain": [("state", "in", OPEN_STATES)]},
            **{
                key: {"label": states[key], "domain": [("state", "=", key)]}
                for key, _l in TICKET_STATES
            },
        }
        state = state if state in filters else "all"
        domain = [*self._agent_ticket_domain(agent), *filters[state]["domain"]]
        search = (search or "").strip()
        if search:
            domain += ["|", ("name", "ilike", search), ("subject", "ilike", search)]
        tickets, pager = self._agent_page(
            "aftersales.agent.ticket",
            domain,
            "/my/tickets",
            {"state": state, "search": search},
            "id desc",
            page,
            TICKET_FIELDS,
        )
        tickets.work_report_id.fetch(["name"])
        values.update(
            {
                "page_name": "aftersales_agent_tickets",
                "default_url": "/my/tickets",
                "pager": pager,
                "search": search,
                "state": state,
                "state_filters": [(key, item["label"]) for key, item in filters.items()],
                "tickets": [
                    {
                        "id": ticket.id,
                        "url": f"/my/tickets/{ticket.id}",
                        "name": ticket.name,
                        "subject": ticket.subject,
                        "type_label": types.get(ticket.ticket_type, ""),
                        "state": ticket.state,
                        "state_label": states.get(ticket.state, ""),
                        "date": ticket.create_date,
                        "report": ticket.work_report_id.name or "",
                    }
                    for ticket in tickets
                ],
            }
        )
        return request.render("aftersales_agent.portal_my_agent_tickets", values)

    @http.route("/my/tickets/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_agent_ticket_new(self, **post):
        env = request.env
        agent = self._agent_extras_agent()
        values = self._prepare_portal_layout_values()
        error = None
        if request.httprequest.method == "POST":
            report_id = post.get("work_report_id") or ""
            try:
                if report_id and not report_id.isdigit():
                    raise ValidationError(
                        env._("The work report you chose is not one of your agent's reports.")
                    )
                ticket = env["aftersales.agent.ticket"]._aftersales_create_from_portal(
                    env.user,
                    {
                        "subject": post.get("subject"),
                        "ticket_type": post.get("ticket_type"),
                        "description": post.get("description"),
                        "work_report_id": int(report_id or 0),
                    },
                )
            except (UserError, ValidationError) as exc:
                request.env.cr.rollback()
                error = str(exc.args[0]) if exc.args else str(exc)
            else:
                return request.redirect(f"/my/tickets/{ticket.id}")
        else:
            post = {"work_report_id": post.get("work_report_id") or ""}
        Ticket = env["aftersales.agent.ticket"]
        values.update(
            {
                "page_name": "aftersales_agent_ticket_new",
                "error": error,
                "post": {
                    key: post.get(key) or ""
                    for key in ("subject", "ticket_type", "description", "work_report_id")
                },
                "ticket_types": list(Ticket._fields["ticket_type"]._description_selection(env)),
                "work_reports": self._agent_report_choices(agent),
            }
        )
        return request.render(
            "aftersales_agent.portal_agent_ticket_new", values, status=400 if error else 200
        )

    @http.route("/my/tickets/<int:ticket_id>", type="http", auth="user", website=True)
    def portal_agent_ticket(self, ticket_id, **kw):
        env = request.env
        ticket = self._agent_get_ticket(ticket_id)
        Ticket = env["aftersales.agent.ticket"]
        states = dict(Ticket._fields["state"]._description_selection(env))
        types = dict(Ticket._fields["ticket_type"]._description_selection(env))
        # The token lets the portal chatter read and post on the ticket.
        token = ticket._portal_ensure_token()
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(
            ticket, token, values, "my_agent_tickets_history", False
        )
        values.update(
            {
                "page_name": "aftersales_agent_tickets",
                "ticket": {
                    "id": ticket.id,
                    "name": ticket.name,
                    "subject": ticket.subject,
                    "type_label": types.get(ticket.ticket_type, ""),
                    "state": ticket.state,
                    "state_label": states.get(ticket.state, ""),
                    "date": ticket.create_date,
                    "description": ticket.description,
                    "report": ticket.work_report_id.name or "",
                    "raised_by": ticket.portal_user_id.name or "",
                },
                "disable_composer": ticket.state == "closed",
            }
        )
        return request.render("aftersales_agent.portal_agent_ticket_page", values)
