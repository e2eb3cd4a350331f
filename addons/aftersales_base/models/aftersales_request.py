"""Service request (R-REC): one customer, several devices, one tracking number."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import PhoneError, in_season, normalize_phone, normalize_serial, parse_phone
from .aftersales_team import technician_domain

PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent"), ("3", "Critical")]
SEASON_PRIORITY = "2"
# Who does the job: proposed by the routing rule, then the operator's to change.
ROUTED = {
    "compute": "_compute_assignment",
    "store": True,
    "readonly": False,
    "precompute": True,
    "tracking": True,
}


class AftersalesRequest(models.Model):
    """A service request: one customer, several devices, one tracking number.

    Every business rule here holds however the record arrives: the form, the portal,
    SMS, imports, XML-RPC or JSON-RPC. A client sends only the keys it knows, so an
    ``@api.constrains`` alone is not enough: it runs on ``create`` only for the fields
    in the values (or with a default), and on ``write`` only for the fields written.
    Rules on what is *absent* (no device line) or on a transition (closing, QC) are
    therefore checked in ``create``/``write``/``unlink`` as well, and fields stamped by
    an action (QC result, delivery) are written by the action only. See CONTRIBUTING.md
    in this addon; ``tests/test_api_rules.py`` proves each rule through XML-RPC.
    """

    _name = "aftersales.request"
    _description = "Service Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, request_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "phone", "mobile"]

    name = fields.Char(
        "Tracking Number",
        required=True,
        readonly=True,
        copy=False,
        # Searched by part of the number (ILIKE '%...%'): a trigram index. Equality and
        # ordering use the unique (name, company_id) index.
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Received By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    # Customer
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="Left empty at reception, it is found by phone number or created.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_name = fields.Char(
        "Customer Name", help="Name of a new customer, used when no contact has these phones."
    )
    phone = fields.Char("Landline", tracking=True)
    mobile = fields.Char(tracking=True)
    phone_e164 = fields.Char(
        "Landline (E.164)", compute="_compute_phone_keys", store=True, index=True
    )
    mobile_e164 = fields.Char(
        "Mobile (E.164)", compute="_compute_phone_keys", store=True, index=True
    )
    phone_search = fields.Char(
        "Phone", compute="_compute_phone_search", search="_search_phone_search"
    )
    street = fields.Char()
    street2 = fields.Char()
    city = fields.Char(index=True)
    state_id = fields.Many2one(
        "res.country.state",
        string="Province",
        compute="_compute_state_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    region_note = fields.Char("Region Detection", compute="_compute_region_note")
    # Service
    channel_id = fields.Many2one("aftersales.channel", tracking=True)
    service_type_id = fields.Many2one(
        "aftersales.service.type",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    is_workshop = fields.Boolean(related="service_type_id.is_workshop", store=True)
    stage_id = fields.Many2one(
        "aftersales.stage",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    color = fields.Integer()
    description = fields.Text("Customer's Description")
    # Assignment
    routing_rule_id = fields.Many2one(
        "aftersales.routing.rule",
        compute="_compute_routing_rule_id",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
    )
    team_id = fields.Many2one(
        "aftersales.team", string="Technician Team", check_company=True, **ROUTED
    )
    technician_id = fields.Many2one("res.users", index=True, domain=technician_domain, **ROUTED)
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        index=True,
        domain="[('is_aftersales_agent', '=', True)]",
        **ROUTED,
    )
    # Dates
    request_date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    scheduled_date = fields.Datetime(tracking=True)
    done_date = fields.Datetime(index=True, tracking=True, copy=False)
    sla_deadline = fields.Datetime(
        "SLA Deadline", compute="_compute_season_and_sla", store=True, precompute=True, index=True
    )
    is_overdue = fields.Boolean(
        "SLA Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    is_in_season = fields.Boolean(
        "In Season",
        compute="_compute_season_and_sla",
        store=True,
        precompute=True,
        help="A device on this request is a seasonal product in its season.",
    )
    # Devices
    line_ids = fields.One2many("aftersales.request.line", "request_id", string="Devices", copy=True)
    line_count = fields.Integer("Device Count", compute="_compute_line_count")
    serial_search = fields.Char(
        "Serial Number", compute="_compute_serial_search", search="_search_serial_search"
    )
    # Workshop
    estimated_ready_date = fields.Datetime(
        compute="_compute_workshop_dates",
        store=True,
        help="Date told to the customer, from the diagnosis of each device.",
    )
    delivery_date = fields.Datetime(compute="_compute_workshop_dates", store=True)
    # Portal
    origin_ip = fields.Char(
        "Submitted From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="aftersales_base.group_aftersales_manager",
        help="Address of the web form submission (rate limits of the public form).",
    )
    # CRM
    lead_ids = fields.One2many("crm.lead", "aftersales_request_id", string="Opportunities")
    lead_count = fields.Integer("Opportunity Count", compute="_compute_lead_count")
    # Which button is the next step (form header)
    is_awaiting_diagnosis = fields.Boolean(
        "Awaiting Diagnosis",
        compute="_compute_next_step",
        help="An open workshop request whose devices are not diagnosed yet: the receipt "
        "is the next step.",
    )
    is_ready_to_deliver = fields.Boolean(
        "Ready to Deliver",
        compute="_compute_next_step",
        help="An open workshop request whose devices all passed quality control and are "
        "not all delivered yet.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The tracking number must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    def _default_stage(self):
        return self.env["aftersales.stage"].search([("is_closed", "=", False)], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Every stage is a kanban column, even an empty one; stages are a short list.
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _phone_region(self):
        return (self.company_id.country_id or self.env.company.country_id).code or "IR"

    @api.depends("phone", "mobile", "company_id")
    def _compute_phone_keys(self):
        for request in self:
            region = request._phone_region()  # parse_phone caches, per number and region
            request.phone_e164 = normalize_phone(request.phone, region) if request.phone else False
            request.mobile_e164 = (
                normalize_phone(request.mobile, region) if request.mobile else False
            )

    def _compute_phone_search(self):
        for request in self:
            request.phone_search = request.phone_e164 or request.mobile_e164

    def _search_phone_search(self, operator, value):
        if operator not in ("=", "ilike") or not isinstance(value, str):
            raise UserError(self.env._("Search phones with a number."))
        region = self.env.company.country_id.code or "IR"
        key = normalize_phone(value, region)
        if not key:
            # Not a whole number: fall back to a partial match on what was typed.
            return ["|", ("phone", "ilike", value), ("mobile", "ilike", value)]
        return ["|", ("phone_e164", "=", key), ("mobile_e164", "=", key)]

    @api.model
    def _search_display_name(self, operator, value):
        """``_rec_names_search`` (tracking number, customer, phones) that can use indexes.

        The default ORs ``partner_id IN (SELECT ...)`` with the other fields: PostgreSQL
        uses no index for a subquery inside an OR and reads every request (0.4 s at
        1,000,000 requests). The customers are found first (trigram indexes of
        res.partner), and a phone only for a whole number (its E.164 keys are indexed;
        no name or tracking number parses as one). See bench/bench_requests.py.
        """
        if operator != "ilike" or not isinstance(value, str) or not value.strip():
            return super()._search_display_name(operator, value)
        partners = self.env["res.partner"].with_context(active_test=False)
        partner_ids = list(partners._search([("complete_name", "ilike", value)]))
        domains = [[("name", "ilike", value)], [("partner_id", "in", partner_ids)]]
        if any(char.isdigit() for char in value):
            region = self.env.company.country_id.code or "IR"
            if normalize_phone(value, region):
                domains.append([("phone_search", "=", value)])
        return expression.OR(domains)

    def _compute_serial_search(self):
        for request in self:
            request.serial_search = request.line_ids[:1].serial_number

    def _search_serial_search(self, operator, value):
        if operator not in ("=", "ilike") or not isinstance(value, str):
            raise UserError(self.env._("Search serial numbers with a text."))
        serial = normalize_serial(value)
        lines = self.env["aftersales.request.line"]._search([("serial_number", "=", serial)])
        return [("id", "in", lines.subselect("request_id"))]

    @api.depends("phone", "company_id")
    def _compute_state_id(self):
        codes = {}
        for request in self:
            info = request._parse_phone_silent(request.phone)
            codes[request] = info.province_code if info else None
        states = self._provinces_by_code(codes.values())
        for request, code in codes.items():
            request.state_id = states.get(code) or request.state_id

    @api.model
    def _provinces_by_code(self, codes):
        """``{province code: res.country.state}`` of Iran, in one search."""
        wanted = {code for code in codes if code}
        if not wanted:
            return {}
        states = self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.ir").id), ("code", "in", list(wanted))]
        )
        return {state.code: state for state in states}

    def _parse_phone_silent(self, number):
        if not number:
            return None
        try:
            return parse_phone(number, self._phone_region())
        except PhoneError:
            return None

    @api.depends("phone", "mobile", "state_id")
    def _compute_region_note(self):
        for request in self:
            info = request._parse_phone_silent(request.phone)
            if info and info.province_code:
                request.region_note = self.env._(
                    "Province detected from landline area code %(code)s.", code=info.area_code
                )
            elif info and info.kind == "mobile":
                request.region_note = self.env._(
                    "The landline is a mobile number: mobiles carry no region, "
                    "choose the province by hand."
                )
            elif request.phone and info and info.area_code:
                request.region_note = self.env._(
                    "Area code %(code)s is not mapped to a province.", code=info.area_code
                )
            elif request.mobile and not request.phone:
                request.region_note = self.env._(
                    "Only a mobile number was given: mobiles carry no region, "
                    "choose the province by hand."
                )
            else:
                request.region_note = False

    @api.depends("state_id", "city", "service_type_id", "company_id")
    def _compute_routing_rule_id(self):
        requests = self.filtered("state_id")
        (self - requests).routing_rule_id = False
        if not requests:
            return
        for company in requests.company_id:
            batch = requests.filtered(lambda r, c=company: r.company_id == c)
            rules = self.env["aftersales.routing.rule"]._route_many(
                [(r.state_id, r.city, r.service_type_id) for r in batch], company=company
            )
            for request, rule in zip(batch, rules, strict=True):
                request.routing_rule_id = rule

    @api.depends("routing_rule_id")
    def _compute_assignment(self):
        for request in self:
            rule = request.routing_rule_id
            request.team_id = rule.team_id or request.team_id
            request.technician_id = rule.technician_id or request.technician_id
            request.agent_id = rule.agent_id or request.agent_id

    @api.depends(
        "line_ids.product_id",
        "request_date",
        "service_type_id.sla_hours",
    )
    def _compute_season_and_sla(self):
        """Seasonality and SLA deadline in one pass over the devices' products."""
        for request in self:
            season_hours = []
            in_season_now = False
            for tmpl in request.line_ids.product_id.product_tmpl_id:
                if in_season(
                    request.request_date, tmpl.aftersales_season_start, tmpl.aftersales_season_end
                ):
                    in_season_now = True
                    if tmpl.aftersales_season_sla_hours:
                        season_hours.append(tmpl.aftersales_season_sla_hours)
            request.is_in_season = in_season_now
            if request.request_date and request.service_type_id:
                hours = min([request.service_type_id.sla_hours, *season_hours])
                request.sla_deadline = request.request_date + timedelta(hours=hours)
            else:
                request.sla_deadline = False

    @api.depends("is_in_season")
    def _compute_priority(self):
        for request in self:
            priority = request.priority or "0"
            if request.is_in_season and priority < SEASON_PRIORITY:
                priority = SEASON_PRIORITY
            request.priority = priority

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                not request.is_closed and request.sla_deadline and request.sla_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA overdue."))
        now = fields.Datetime.now()
        if (operator == "=") == value:
            return [("is_closed", "=", False), ("sla_deadline", "<", now)]
        return [
            "|",
            ("is_closed", "=", True),
            "|",
            ("sla_deadline", "=", False),
            ("sla_deadline", ">=", now),
        ]

    def _compute_line_count(self):
        counts = dict(
            self.env["aftersales.request.line"]._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.line_count = counts.get(request, 0)

    @api.depends("line_ids.estimated_ready_date", "line_ids.delivery_date")
    def _compute_workshop_dates(self):
        for request in self:
            ready = [d for d in request.line_ids.mapped("estimated_ready_date") if d]
            delivered = request.line_ids.mapped("delivery_date")
            request.estimated_ready_date = max(ready) if ready else False
            request.delivery_date = max(delivered) if delivered and all(delivered) else False

    @api.depends(
        "is_workshop",
        "is_closed",
        "line_ids.diagnosis",
        "line_ids.qc_state",
        "line_ids.delivery_date",
    )
    def _compute_next_step(self):
        for request in self:
            lines = request.line_ids
            open_workshop = bool(request.is_workshop and not request.is_closed and lines)
            request.is_awaiting_diagnosis = open_workshop and not any(lines.mapped("diagnosis"))
            request.is_ready_to_deliver = (
                open_workshop
                and all(line.qc_state == "passed" for line in lines)
                and not all(lines.mapped("delivery_date"))
            )

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("aftersales_request_id", "in", self.ids)], ["aftersales_request_id"], ["__count"]
            )
        )
        for request in self:
            request.lead_count = counts.get(request, 0)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service-requests/{request.id}"

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("phone", "mobile")
    def _check_phones(self):
        for request in self:
            request._check_phone_numbers(request.phone, request.mobile)

    def _check_phone_numbers(self, phone, mobile):
        for label, number in (
            (self.env._("landline"), phone),
            (self.env._("mobile"), mobile),
        ):
            if number and not self._parse_phone_silent(number):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid %(kind)s number. Iranian numbers are "
                        "written like 021 8877 6655 (landline, with its area code) or "
                        "0912 123 4567 (mobile).",
                        number=number,
                        kind=label,
                    )
                )

    @api.constrains("request_date", "done_date")
    def _check_dates(self):
        for request in self:
            if request.done_date and request.done_date < request.request_date:
                raise ValidationError(
                    self.env._(
                        "Request %(name)s: the done date cannot be before the request date.",
                        name=request.name,
                    )
                )

    @api.constrains("line_ids")
    def _check_has_devices(self):
        # Also called by create (a client may send no ``line_ids`` at all) and by the
        # lines (deleted, or moved to another request).
        for request in self:
            if not request.line_ids:
                raise ValidationError(
                    self.env._(
                        "Request %(name)s has no device: add at least one device line.",
                        name=request.name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if not partner:
            return
        self.phone = self.phone or partner.phone
        self.mobile = self.mobile or partner.mobile
        for fname in ("street", "street2", "city"):
            self[fname] = self[fname] or partner[fname]
        if partner.state_id and not self.state_id:
            self.state_id = partner.state_id

    @api.onchange("phone", "mobile")
    def _onchange_phones_find_partner(self):
        if self.partner_id:
            return
        partners = self._find_partners_by_phone({self.phone_e164, self.mobile_e164} - {False, None})
        partner = partners.get(self.phone_e164) or partners.get(self.mobile_e164)
        if partner:
            self.partner_id = partner

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The numbers the client typed are checked before any contact is made from them.
        for vals in vals_list:
            self._check_phone_numbers(vals.get("phone"), vals.get("mobile"))
        self._fill_from_partners(vals_list)
        self._assign_partners(vals_list)
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.request")
        # One stage look-up for the batch instead of the default's search per record.
        first_stage = None
        for vals in vals_list:
            if "stage_id" not in vals:
                if first_stage is None:
                    first_stage = self._default_stage()
                vals["stage_id"] = first_stage.id
        requests = super().create(vals_list)
        requests._check_has_devices()
        requests._check_can_close()
        requests._sync_closing_dates()
        requests._aftersales_sms("aftersales_base.sms_template_request_registered", "partner_id")
        requests._aftersales_sms(
            "aftersales_base.sms_template_request_assigned", "technician_id.partner_id", "agent_id"
        )
        return requests

    def write(self, vals):
        # Checked before writing: callers such as the SMS status replies keep going
        # after a refused move, with nothing half-written.
        if "stage_id" in vals or "service_type_id" in vals:
            self._check_can_close(vals)
        res = super().write(vals)
        if "stage_id" in vals:
            self._sync_closing_dates()
            self._aftersales_sms("aftersales_base.sms_template_request_stage", "partner_id")
        if "technician_id" in vals or "agent_id" in vals:
            self._aftersales_sms(
                "aftersales_base.sms_template_request_assigned",
                "technician_id.partner_id",
                "agent_id",
            )
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_print_receipt(self):
        return self.env.ref("aftersales_base.action_report_request_receipt").report_action(self)

    def action_deliver(self):
        """Hand every device of a workshop request back to the customer."""
        self.line_ids.filtered(lambda line: not line.delivery_date).action_deliver()
        done_stage = self.env.ref("aftersales_base.stage_done", raise_if_not_found=False)
        if done_stage:
            self.filtered(lambda r: not r.is_closed).stage_id = done_stage
        return True

    def action_create_opportunity(self):
        """Open a CRM opportunity for this customer (e.g. a replacement sale)."""
        self.ensure_one()
        lead = self.env["crm.lead"].create(self._prepare_opportunity_values())
        self.message_post(
            body=self.env._("Opportunity %(name)s created from this request.", name=lead.name)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_opportunities(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action["domain"] = [("aftersales_request_id", "=", self.id)]
        action["context"] = {
            "default_aftersales_request_id": self.id,
            "default_type": "opportunity",
        }
        return action

    def action_view_devices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_line_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _prepare_opportunity_values(self):
        products = ", ".join(self.line_ids.product_id.mapped("display_name"))
        return {
            "name": self.env._(
                "%(customer)s: sale after request %(number)s",
                customer=self.partner_id.name,
                number=self.name,
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "phone": self.phone or self.partner_id.phone,
            "mobile": self.mobile or self.partner_id.mobile,
            "description": self.env._(
                "Devices: %(products)s\n%(description)s",
                products=products,
                description=self.description or "",
            ),
            "aftersales_request_id": self.id,
            "company_id": self.company_id.id,
        }

    def _aftersales_sms(self, template_xmlid, *recipient_paths):
        """Queue a templated SMS to the recipients when the company sends its own SMS.

        Nothing happens without an SMS provider for the company, so that creating
        requests in bulk costs no SMS work where SMS is not used.
        """
        if self.env.context.get("aftersales_no_sms") or not self:
            return
        Provider = self.env["aftersales.sms.provider"]
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for company in self.company_id:
            if not Provider._for_company(company):
                continue
            for request in self.filtered(lambda r, c=company: r.company_id == c):
                partners = self.env["res.partner"]
                for path in recipient_paths:
                    partners |= request.mapped(path)
                partners = partners.filtered(lambda p: p.mobile or p.phone)
                if partners:
                    request._message_sms_with_template(
                        template=template, partner_ids=partners.ids, put_in_queue=True
                    )

    @api.model
    def _cron_send_dispatch_digest(self):
        """End of day: one SMS per technician with tomorrow's jobs (R-REC-6)."""
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        start = fields.Datetime.to_datetime(tomorrow)
        # Only companies that send through their own panel (never Odoo IAP credits).
        companies = self.env["res.company"].browse(
            company.id
            for (company,) in self.env["aftersales.sms.provider"]
            .sudo()
            ._read_group([("active", "=", True)], ["company_id"])
        )
        if not companies:
            return self.env["sms.sms"]
        jobs = self.search(
            [
                ("company_id", "in", companies.ids),
                ("scheduled_date", ">=", start),
                ("scheduled_date", "<", start + timedelta(days=1)),
                ("technician_id", "!=", False),
                ("is_closed", "=", False),
            ],
            order="technician_id, scheduled_date",
        )
        vals_list = []
        for technician, tech_jobs in jobs.grouped("technician_id").items():
            number = technician.partner_id.mobile or technician.partner_id.phone
            if not number:
                continue
            lines = [
                " ".join(
                    filter(
                        None,
                        [
                            job.name,
                            job.partner_id.name,
                            job.mobile or job.phone,
                            job.street,
                            job.city,
                        ],
                    )
                )
                for job in tech_jobs
            ]
            vals_list.append(
                {
                    "number": number,
                    "partner_id": technician.partner_id.id,
                    "body": self.with_context(lang=technician.lang).env._(
                        "Jobs of %(date)s:\n%(jobs)s", date=tomorrow, jobs="\n".join(lines)
                    ),
                }
            )
        return self.env["sms.sms"].sudo().create(vals_list)

    def _check_can_close(self, vals=None):
        """Workshop devices leave only after a passed quality control.

        Checks the requests as they are, or as they will be once ``vals`` (a stage,
        a service type) is written: a request closed (not cancelled) as a workshop repair
        needs every device QC-passed.
        """
        vals = vals or {}
        stage = service_type = None
        if "stage_id" in vals:
            stage = self.env["aftersales.stage"].browse(vals["stage_id"])
        if "service_type_id" in vals:
            service_type = self.env["aftersales.service.type"].browse(vals["service_type_id"])
        for request in self:
            target_stage = request.stage_id if stage is None else stage
            if not target_stage.is_closed or target_stage.is_cancel:
                continue
            if not (request.is_workshop if service_type is None else service_type.is_workshop):
                continue
            blocking = request.line_ids.filtered(lambda line: line.qc_state != "passed")
            if blocking:
                raise UserError(
                    self.env._(
                        "Request %(name)s cannot be closed: quality control has not passed "
                        "for %(devices)s.",
                        name=request.name,
                        devices=", ".join(blocking.mapped("display_name")),
                    )
                )

    def _sync_closing_dates(self):
        closing = self.filtered(
            lambda r: r.is_closed and not r.stage_id.is_cancel and not r.done_date
        )
        if closing:
            closing.done_date = fields.Datetime.now()

    @api.model
    def _find_partners_by_phone(self, keys):
        """Map E.164 numbers to the contact that has them as phone or mobile (one query)."""
        keys = [key for key in keys if key]
        if not keys:
            return {}
        partners = self.env["res.partner"].search(
            ["|", ("aftersales_phone_e164", "in", keys), ("aftersales_mobile_e164", "in", keys)],
            order="id",
        )
        found = {}
        for partner in partners:
            for key in (partner.aftersales_phone_e164, partner.aftersales_mobile_e164):
                if key:
                    found.setdefault(key, partner)
        return found

    @api.model
    def _fill_from_partners(self, vals_list):
        """A request given a customer takes the customer's phones and address it lacks.

        As the form's onchange does, but for every client (RPC, imports, portal), so the
        province is computed from the customer's landline. A number of the contact that
        is not a valid phone number is not copied: it would refuse a request for a
        number nobody typed on it.
        """
        partners = {
            partner.id: partner
            for partner in self.env["res.partner"].browse(
                {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
            )
        }
        for vals in vals_list:
            partner = partners.get(vals.get("partner_id"))
            if not partner:
                continue
            for fname in ("phone", "mobile"):
                number = partner[fname]
                if not vals.get(fname) and number and self._parse_phone_silent(number):
                    vals[fname] = number
            for fname in ("street", "street2", "city"):
                if not vals.get(fname) and partner[fname]:
                    vals[fname] = partner[fname]
            info = self._parse_phone_silent(vals.get("phone"))
            if not vals.get("state_id") and partner.state_id and not (info and info.province_code):
                vals["state_id"] = partner.state_id.id

    @api.model
    def _assign_partners(self, vals_list):
        """Fill ``partner_id`` from the phones: reuse the contact, or create one.

        One search for the whole batch and one ``create`` for the new contacts.
        """
        region = self.env.company.country_id.code or "IR"
        pending = []
        for vals in vals_list:
            if vals.get("partner_id"):
                continue
            keys = [
                normalize_phone(vals.get(f), region) for f in ("phone", "mobile") if vals.get(f)
            ]
            keys = [key for key in keys if key]
            if not keys:
                raise ValidationError(
                    self.env._(
                        "A service request needs a customer or at least one valid phone number."
                    )
                )
            pending.append((vals, keys))
        if not pending:
            return
        found = self._find_partners_by_phone({key for _vals, keys in pending for key in keys})
        to_create = {}
        for vals, keys in pending:
            partner = next((found[key] for key in keys if key in found), None)
            if partner:
                vals["partner_id"] = partner.id
            else:
                # Two requests of one batch from the same new customer share the contact.
                to_create.setdefault(keys[0], []).append(vals)
        if not to_create:
            return
        groups = list(to_create.values())
        # The province of each new contact, from its landline's area code (one search).
        provinces = {}
        for group in groups:
            info = self._parse_phone_silent(group[0].get("phone"))
            provinces[id(group[0])] = info.province_code if info else None
        states = self._provinces_by_code(provinces.values())
        partners = self.env["res.partner"].create(
            [
                self._prepare_partner_values(group[0], states.get(provinces[id(group[0])]))
                for group in groups
            ]
        )
        for partner, group in zip(partners, groups, strict=True):
            for vals in group:
                vals["partner_id"] = partner.id

    @api.model
    def _prepare_partner_values(self, vals, province=None):
        """Values of the contact made from a request's ``vals``.

        :param province: the ``res.country.state`` found from the landline, used when
            the request was given no province.
        """
        state = self.env["res.country.state"].browse(vals.get("state_id") or []) or province
        return {
            "name": vals.get("partner_name") or vals.get("mobile") or vals.get("phone"),
            "phone": vals.get("phone"),
            "mobile": vals.get("mobile"),
            "street": vals.get("street"),
            "street2": vals.get("street2"),
            "city": vals.get("city"),
            "state_id": state.id if state else False,
            "country_id": state.country_id.id if state else False,
            "company_id": vals.get("company_id") or False,
        }
