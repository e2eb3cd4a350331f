"""Customer service portal (R-TKT): my requests, request detail, new request, public form.

Portal users have no access rights on service requests: every page reads through
``sudo()`` with an explicit ownership domain, and every write goes through
:meth:`AftersalesPortal._aftersales_create_from_form`, which whitelists the fields.
"""

import re
from datetime import timedelta

from odoo import Command, fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import SQL, consteq
from odoo.tools.mimetypes import guess_mimetype

from ..tools import normalize_phone, normalize_serial

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 3
RATE_WINDOW = timedelta(hours=1)
# Device rows of the web forms (R-REC-1): ``line-<n>-product_id``, ``line-<n>-serial_number``
# and the repeated ``line-<n>-fault_code_ids``. More devices than this go through a call.
MAX_DEVICES = 10
DEVICE_FIELD = re.compile(r"^line-(\d{1,3})-(product_id|serial_number|fault_code_ids)$")


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

    def _aftersales_date_formatter(self):
        # Jalali for Persian readers, the reader's own format otherwise: the reports' helper.
        return request.env["ir.actions.report"]._aftersales_format_date

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["aftersales_date"] = self._aftersales_date_formatter()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_request_count" in counters:
            values["aftersales_request_count"] = (
                request.env["aftersales.request"].sudo().search_count(self._aftersales_domain())
            )
        return values

    def _aftersales_timeline(self, record):
        """Stage history of a request for its customer, oldest first.

        ``[{"date", "stage", "registered", "current"}]``: the registration, then every stage
        change from the chatter tracking, read in one query. Stage names are given in the
        reader's language from the stage itself (the tracking keeps the writer's language).
        """
        env = request.env
        field = env["ir.model.fields"]._get(record._name, "stage_id")
        env["mail.message"].flush_model(["model", "res_id", "date"])
        env["mail.tracking.value"].flush_model()
        rows = env.execute_query(
            SQL(
                """
                SELECT message.date, value.old_value_integer, value.old_value_char,
                       value.new_value_integer, value.new_value_char
                  FROM mail_tracking_value value
                  JOIN mail_message message ON message.id = value.mail_message_id
                 WHERE message.model = %(model)s
                   AND message.res_id = %(res_id)s
                   AND value.field_id = %(field_id)s
              ORDER BY message.date, value.id
                """,
                model=record._name,
                res_id=record.id,
                field_id=field.id,
            )
        )
        stage_ids = {row[3] for row in rows if row[3]}
        if rows and rows[0][1]:
            stage_ids.add(rows[0][1])
        names = {
            stage.id: stage.name
            for stage in env["aftersales.stage"].sudo().browse(stage_ids).exists()
        }
        if rows:
            # The stage given at registration is only known as the first change's old value.
            first_stage = names.get(rows[0][1]) or rows[0][2]
        else:
            first_stage = record.stage_id.name
        steps = [{"date": record.request_date, "stage": first_stage or "", "registered": True}]
        steps += [
            {"date": date, "stage": names.get(new_id) or new_char or "", "registered": False}
            for date, _old_id, _old_char, new_id, new_char in rows
        ]
        for step in steps:
            step["current"] = step is steps[-1]
        return steps

    def _aftersales_device_rows(self, form=None):
        """The device rows of a posted form, unvalidated, in the order of the form.

        ``[{"index", "product_id", "serial_number", "fault_code_ids"}]``; values that are
        not numbers are read as empty (the validation reports them).
        """
        indexes = sorted(
            {int(match.group(1)) for match in map(DEVICE_FIELD.match, form or ()) if match}
        )
        rows = []
        for index in indexes:
            product = form.get(f"line-{index}-product_id") or ""
            faults = form.getlist(f"line-{index}-fault_code_ids")
            rows.append(
                {
                    "index": index,
                    "product_id": int(product) if product.isdigit() else 0,
                    "serial_number": (form.get(f"line-{index}-serial_number") or "").strip(),
                    "fault_code_ids": {int(fault) for fault in faults if fault.isdigit()},
                }
            )
        return rows

    def _aftersales_rows_to_render(self, form=None, add_device=False):
        """Rows to show: the posted ones (at least one), plus an empty one on request."""
        rows = self._aftersales_device_rows(form)[:MAX_DEVICES]
        if not rows or (add_device and len(rows) < MAX_DEVICES):
            index = rows[-1]["index"] + 1 if rows else 0
            rows.append(
                {"index": index, "product_id": 0, "serial_number": "", "fault_code_ids": set()}
            )
        return rows

    def _aftersales_form_values(self, post=None, error=None, form=None, add_device=False):
        env = request.env
        devices = (
            env["product.product"]
            .sudo()
            .search([("categ_id.is_aftersales_device_type", "=", True)], order="name")
        )
        faults = env["aftersales.fault.code"].sudo().search([])
        return {
            "page_name": "aftersales_request_new",
            "service_types": env["aftersales.service.type"].sudo().search([]),
            "devices": devices,
            "fault_codes": faults,
            # Device types each fault applies to, for the device rows' fault filter.
            "fault_categ_paths": {
                fault.id: ",".join(fault.categ_ids.mapped("parent_path")) for fault in faults
            },
            "device_rows": self._aftersales_rows_to_render(form, add_device),
            "max_devices": MAX_DEVICES,
            "post": post or {},
            "error": error,
            "photo_max_count": PHOTO_MAX_COUNT,
            "photo_max_mb": PHOTO_MAX_BYTES // (1024 * 1024),
            "aftersales_date": self._aftersales_date_formatter(),
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

    def _aftersales_line_commands(self, form):
        """Validated device lines of a form as ``Command.create`` values.

        Only the product, the serial number and the fault codes of each row are read; a
        row left entirely empty is skipped.
        """
        env = request.env
        # Numbered as on the form, where a row left empty is simply not sent.
        rows = [
            (number, row)
            for number, row in enumerate(self._aftersales_device_rows(form), start=1)
            if row["product_id"] or row["serial_number"] or row["fault_code_ids"]
        ]
        if len(rows) > MAX_DEVICES:
            raise ValidationError(
                env._(
                    "At most %(count)s devices per request: send another request for the others.",
                    count=MAX_DEVICES,
                )
            )
        if not rows:
            raise ValidationError(env._("Choose your device."))
        products = (
            env["product.product"]
            .sudo()
            .browse({row["product_id"] for _number, row in rows})
            .exists()
            .filtered("categ_id.is_aftersales_device_type")
        )
        fault_ids = set(
            env["aftersales.fault.code"]
            .sudo()
            .browse({fid for _number, row in rows for fid in row["fault_code_ids"]})
            .exists()
            .ids
        )
        commands = []
        for number, row in rows:
            if row["product_id"] not in products.ids:
                raise ValidationError(
                    env._("Device %(number)s: choose what kind of device it is.", number=number)
                )
            serial = normalize_serial(row["serial_number"])
            commands.append(
                Command.create(
                    {
                        "product_id": row["product_id"],
                        "serial_number": serial,
                        # Not checked against sales yet: flagged for the operator.
                        "serial_to_verify": bool(serial),
                        # A fault that does not fit the device is refused by the line itself.
                        "fault_code_ids": [Command.set(sorted(row["fault_code_ids"] & fault_ids))],
                    }
                )
            )
        return commands

    def _aftersales_create_from_form(self, post, partner=None, form=None):
        """Create a request from whitelisted form fields; the customer is forced."""
        env = request.env
        form = request.httprequest.form if form is None else form
        photos = self._aftersales_photos()
        phone = (post.get("phone") or "").strip()
        mobile = (post.get("mobile") or "").strip()
        if not partner and not (post.get("name") or "").strip():
            raise ValidationError(env._("Tell us your name."))
        stype_id = post.get("service_type_id") or ""
        stype = (
            env["aftersales.service.type"].sudo().browse(int(stype_id) if stype_id.isdigit() else 0)
        )
        if not stype.exists():
            raise ValidationError(env._("Choose the service you need."))
        line_commands = self._aftersales_line_commands(form)
        if not (phone or mobile):
            raise ValidationError(env._("Give at least one phone number."))
        description = (post.get("description") or "").strip()
        if not description:
            raise ValidationError(env._("Describe the fault."))
        vals = {
            "phone": phone or False,
            "mobile": mobile or False,
            "street": (post.get("street") or "").strip() or False,
            "city": (post.get("city") or "").strip() or False,
            "service_type_id": stype.id,
            "channel_id": env.ref("aftersales_base.channel_web").id,
            "description": description,
            "origin_ip": request.httprequest.remote_addr,
            "line_ids": line_commands,
        }
        if partner:
            vals["partner_id"] = partner.id
        else:
            vals["partner_name"] = post["name"].strip()
            self._aftersales_check_rate(normalize_phone(phone or mobile))
        record = env["aftersales.request"].sudo().with_context(tracking_disable=False).create(vals)
        if photos:
            record.message_post(
                body=env._("Photos sent by the customer."),
                attachments=[(name, data) for name, data, _mimetype in photos],
                author_id=record.partner_id.id,
            )
        return record

    def _aftersales_submit_form(self, template, values, post, partner=None):
        """Create the request from a posted form: ``(record, None)``, or ``(None, response)``
        with the form again, showing the error; nothing is saved then.

        The "add a device" button posts the form when JavaScript is off: the form comes
        back with one more device row, and nothing is saved either.
        """
        form = request.httprequest.form
        if post.get("add_device"):
            values.update(self._aftersales_form_values(post, form=form, add_device=True))
            return None, request.render(template, values)
        try:
            record = self._aftersales_create_from_form(post, partner=partner, form=form)
        except (ValidationError, ValueError) as exc:
            request.env.cr.rollback()
            error = str(getattr(exc, "args", [exc])[0])
            values.update(self._aftersales_form_values(post, error=error, form=form))
            return None, request.render(template, values)
        return record, None

    def _aftersales_page(self, model, domain, url, sortings, sortby, search, page, fnames):
        """One page of a portal list, read as superuser (the caller's ``domain`` is the
        ownership check): ``(records, pager, sortby)``. ``sortings`` maps a key to
        ``{"label", "order"}``; an unknown ``sortby`` falls back to its first key."""
        sortby = sortby if sortby in sortings else next(iter(sortings))
        Model = request.env[model].sudo()
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "search": search},
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search_fetch(
            domain,
            fnames,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        return records, pager, sortby

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
        sortings = {
            "date": {"label": env._("Newest"), "order": "request_date desc, id desc"},
            "name": {"label": env._("Tracking Number"), "order": "name desc"},
            "stage": {"label": env._("Status"), "order": "stage_id, request_date desc"},
        }
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
        records, pager, sortby = self._aftersales_page(
            "aftersales.request",
            domain,
            "/my/service-requests",
            sortings,
            sortby,
            search,
            page,
            ["name", "request_date", "service_type_id", "stage_id", "line_ids"],
        )
        # What the rows show, read for the whole page at once.
        records.line_ids.fetch(["product_id"])
        records.line_ids.product_id.fetch(["name"])
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
            raise request.not_found() from None
        # The token lets the portal chatter post on the request without access rights.
        token = record._portal_ensure_token()
        values = self._get_page_view_values(
            record, token, {"page_name": "aftersales_request"}, "my_service_requests_history", False
        )
        values.update(
            {
                "service_request": record,
                "timeline": self._aftersales_timeline(record),
                "token": token,
                "aftersales_date": self._aftersales_date_formatter(),
            }
        )
        return request.render("aftersales_base.portal_service_request_page", values)

    @http.route(
        "/my/service-requests/new", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_new_service_request(self, **post):
        template = "aftersales_base.portal_service_request_new"
        values = self._prepare_portal_layout_values()
        if request.httprequest.method == "GET":
            partner = request.env.user.partner_id
            defaults = {
                "phone": partner.phone,
                "mobile": partner.mobile,
                "street": partner.street,
                "city": partner.city,
            }
            values.update(self._aftersales_form_values(defaults))
            return request.render(template, values)
        record, response = self._aftersales_submit_form(
            template, values, post, partner=request.env.user.partner_id
        )
        return response or request.redirect(f"/my/service-requests/{record.id}")

    @http.route(
        "/service-request", type="http", auth="public", website=True, methods=["GET", "POST"]
    )
    def public_service_request(self, **post):
        template = "aftersales_base.public_service_request"
        if request.httprequest.method == "GET":
            return request.render(template, self._aftersales_form_values())
        record, response = self._aftersales_submit_form(template, {}, post)
        return response or request.render(
            "aftersales_base.public_service_request_done",
            {"service_request": record},
        )
