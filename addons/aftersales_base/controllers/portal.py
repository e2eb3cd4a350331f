"""Customer service portal (R-TKT): my requests, request detail, new request, public form.

Portal users have no access rights on service requests: every page reads through
``sudo()`` with an explicit ownership domain, and every write goes through
:meth:`AftersalesPortal._aftersales_create_from_form`, which whitelists the fields.
"""

from datetime import timedelta

from odoo import Command, fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import consteq
from odoo.tools.mimetypes import guess_mimetype

from ..tools import normalize_phone, normalize_serial

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 3
RATE_WINDOW = timedelta(hours=1)


class AftersalesPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _aftersales_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("commercial_partner_id", "=", partner.id)]

    def _aftersales_get_request(self, request_id, access_token=None):
        """The request if the user owns it or holds its token; 404 otherwise."""
        record = request.env["aftersales.request"].sudo().browse(request_id).exists()
        if not record:
            raise MissingError(request.env._("This service request does not exist."))
        owner = record.commercial_partner_id == request.env.user.partner_id.commercial_partner_id
        has_token = bool(
            access_token and record.access_token and consteq(record.access_token, access_token)
        )
        if (request.env.user._is_public() or not owner) and not has_token:
            raise AccessError(request.env._("This service request is not yours."))
        return record

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["aftersales_date"] = request.env["ir.actions.report"]._aftersales_format_date
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_request_count" in counters:
            values["aftersales_request_count"] = (
                request.env["aftersales.request"].sudo().search_count(self._aftersales_domain())
            )
        return values

    def _aftersales_form_values(self, post=None, error=None):
        env = request.env
        return {
            "page_name": "aftersales_request_new",
            "service_types": env["aftersales.service.type"].sudo().search([]),
            "devices": env["product.product"]
            .sudo()
            .search([("categ_id.is_aftersales_device_type", "=", True)], order="name"),
            "post": post or {},
            "error": error,
            "photo_max_count": PHOTO_MAX_COUNT,
            "photo_max_mb": PHOTO_MAX_BYTES // (1024 * 1024),
            "aftersales_date": env["ir.actions.report"]._aftersales_format_date,
        }

    def _aftersales_photos(self):
        """Validated uploads as ``[(name, bytes, mimetype)]``; ValidationError otherwise."""
        env = request.env
        files = [f for f in request.httprequest.files.getlist("photos") if f and f.filename]
        if len(files) > PHOTO_MAX_COUNT:
            raise ValidationError(env._("Attach at most %(count)s photos.", count=PHOTO_MAX_COUNT))
        photos = []
        for upload in files:
            data = upload.read(PHOTO_MAX_BYTES + 1)
            if len(data) > PHOTO_MAX_BYTES:
                raise ValidationError(
                    env._(
                        "%(name)s is larger than %(size)s MB.",
                        name=upload.filename,
                        size=PHOTO_MAX_BYTES // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(data)
            if mimetype not in PHOTO_TYPES:
                raise ValidationError(
                    env._("%(name)s is not a JPEG, PNG or WebP photo.", name=upload.filename)
                )
            photos.append((upload.filename, data, mimetype))
        return photos

    def _aftersales_check_rate(self, phone_key):
        """Public form: a few requests per phone and per address per hour."""
        env = request.env
        params = env["ir.config_parameter"].sudo()
        per_phone = int(params.get_param("aftersales_base.public_requests_per_phone", 3))
        per_ip = int(params.get_param("aftersales_base.public_requests_per_ip", 10))
        since = fields.Datetime.now() - RATE_WINDOW
        Request = env["aftersales.request"].sudo()
        ip = request.httprequest.remote_addr
        recent = [("create_date", ">=", since), ("origin_ip", "!=", False)]
        by_phone = phone_key and Request.search_count(
            [*recent, "|", ("phone_e164", "=", phone_key), ("mobile_e164", "=", phone_key)]
        )
        by_ip = Request.search_count([*recent, ("origin_ip", "=", ip)])
        if (by_phone or 0) >= per_phone or by_ip >= per_ip:
            raise ValidationError(
                env._("Too many requests from this phone or connection: please call us instead.")
            )

    def _aftersales_create_from_form(self, post, partner=None):
        """Create a request from whitelisted form fields; the customer is forced."""
        env = request.env
        photos = self._aftersales_photos()
        phone = (post.get("phone") or "").strip()
        mobile = (post.get("mobile") or "").strip()
        if not (phone or mobile):
            raise ValidationError(env._("Give at least one phone number."))
        description = (post.get("description") or "").strip()
        if not description:
            raise ValidationError(env._("Describe the fault."))
        stype = env["aftersales.service.type"].sudo().browse(int(post.get("service_type_id") or 0))
        device = env["product.product"].sudo().browse(int(post.get("product_id") or 0))
        if (
            not stype.exists()
            or not device.exists()
            or not device.categ_id.is_aftersales_device_type
        ):
            raise ValidationError(env._("Choose the device and the service you need."))
        serial = normalize_serial(post.get("serial_number"))
        vals = {
            "phone": phone or False,
            "mobile": mobile or False,
            "street": (post.get("street") or "").strip() or False,
            "city": (post.get("city") or "").strip() or False,
            "service_type_id": stype.id,
            "channel_id": env.ref("aftersales_base.channel_web").id,
            "description": description,
            "origin_ip": request.httprequest.remote_addr,
            "line_ids": [
                Command.create(
                    {
                        "product_id": device.id,
                        "serial_number": serial,
                        # Not checked against sales yet: flagged for the operator.
                        "serial_to_verify": bool(serial),
                        "notes": description,
                    }
                )
            ],
        }
        if partner:
            vals["partner_id"] = partner.id
        else:
            vals["partner_name"] = (post.get("name") or "").strip() or False
            if not vals["partner_name"]:
                raise ValidationError(env._("Tell us your name."))
            self._aftersales_check_rate(normalize_phone(phone or mobile))
        record = env["aftersales.request"].sudo().with_context(tracking_disable=False).create(vals)
        if photos:
            record.message_post(
                body=env._("Photos sent by the customer."),
                attachments=[(name, data) for name, data, _mimetype in photos],
                author_id=record.partner_id.id,
            )
        return record

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, sortby=None, search=None, **kw):
        env = request.env
        values = self._prepare_portal_layout_values()
        Request = env["aftersales.request"].sudo()
        sortings = {
            "date": {"label": env._("Newest"), "order": "request_date desc, id desc"},
            "name": {"label": env._("Tracking Number"), "order": "name desc"},
            "stage": {"label": env._("Status"), "order": "stage_id, request_date desc"},
        }
        sortby = sortby if sortby in sortings else "date"
        domain = self._aftersales_domain()
        if search:
            serial = normalize_serial(search)
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("line_ids.serial_number", "=", serial),
                ("line_ids.product_id.name", "ilike", search),
            ]
        total = Request.search_count(domain)
        pager = portal_pager(
            url="/my/service-requests",
            url_args={"sortby": sortby, "search": search},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        records = Request.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_service_requests_history"] = records.ids[:100]
        values.update(
            {
                "service_requests": records,
                "page_name": "aftersales_request",
                "default_url": "/my/service-requests",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search or "",
            }
        )
        return request.render("aftersales_base.portal_my_service_requests", values)

    @http.route("/my/service-requests/<int:request_id>", type="http", auth="public", website=True)
    def portal_service_request(self, request_id, access_token=None, **kw):
        try:
            record = self._aftersales_get_request(request_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        # The token lets the portal chatter post on the request without access rights.
        token = record._portal_ensure_token()
        values = self._get_page_view_values(
            record, token, {"page_name": "aftersales_request"}, "my_service_requests_history", False
        )
        values.update(
            {
                "service_request": record,
                "timeline": record._portal_timeline(),
                "token": token,
                "aftersales_date": request.env["ir.actions.report"]._aftersales_format_date,
            }
        )
        return request.render("aftersales_base.portal_service_request_page", values)

    @http.route(
        "/my/service-requests/new", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_new_service_request(self, **post):
        if request.httprequest.method == "GET":
            partner = request.env.user.partner_id
            defaults = {
                "phone": partner.phone,
                "mobile": partner.mobile,
                "street": partner.street,
                "city": partner.city,
            }
            values = self._prepare_portal_layout_values()
            values.update(self._aftersales_form_values(defaults))
            return request.render("aftersales_base.portal_service_request_new", values)
        try:
            record = self._aftersales_create_from_form(post, partner=request.env.user.partner_id)
        except (ValidationError, ValueError) as exc:
            request.env.cr.rollback()
            values = self._prepare_portal_layout_values()
            values.update(
                self._aftersales_form_values(post, error=str(getattr(exc, "args", [exc])[0]))
            )
            return request.render("aftersales_base.portal_service_request_new", values)
        return request.redirect(f"/my/service-requests/{record.id}")

    @http.route(
        "/service-request", type="http", auth="public", website=True, methods=["GET", "POST"]
    )
    def public_service_request(self, **post):
        if request.httprequest.method == "GET":
            return request.render(
                "aftersales_base.public_service_request", self._aftersales_form_values()
            )
        try:
            record = self._aftersales_create_from_form(post)
        except (ValidationError, ValueError) as exc:
            request.env.cr.rollback()
            values = self._aftersales_form_values(post, error=str(getattr(exc, "args", [exc])[0]))
            return request.render("aftersales_base.public_service_request", values)
        return request.render(
            "aftersales_base.public_service_request_done",
            {"service_request": record},
        )
