{
    "name": "After-Sales Service: Reception",
    "summary": "Service requests with several devices, tracking numbers, regions from "
    "Iranian phone numbers, routing, workshop receipt and QC, complaints console (ISO 10002), "
    "Persian/Jalali foundation",
    "version": "18.0.1.4.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite contributors",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["mail", "portal", "product", "phone_validation", "crm", "sms"],
    "external_dependencies": {"python": ["phonenumbers", "jdatetime"]},
    "data": [
        "security/aftersales_base_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/res_country_state_data.xml",
        "data/aftersales_base_data.xml",
        "data/aftersales_complaint_data.xml",
        "data/aftersales_sms_data.xml",
        "views/aftersales_code_views.xml",
        "views/aftersales_team_views.xml",
        "views/aftersales_routing_rule_views.xml",
        "views/aftersales_request_views.xml",
        "views/product_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/aftersales_complaint_views.xml",
        "views/aftersales_portal_templates.xml",
        "report/aftersales_request_reports.xml",
        "report/aftersales_report_layout.xml",
        "report/aftersales_receipt_templates.xml",
        "views/menus.xml",
        "views/aftersales_sms_views.xml",
    ],
    "demo": ["demo/aftersales_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "aftersales_base/static/src/js/jalali_dates.js",
            "aftersales_base/static/src/scss/aftersales_backend.scss",
        ],
        "web.assets_frontend": [
            "aftersales_base/static/src/scss/aftersales_portal.scss",
            "aftersales_base/static/src/js/aftersales_portal.js",
        ],
        "portal.assets_chatter_style": [
            "aftersales_base/static/src/scss/aftersales_portal_chatter.scss",
        ],
        "web.report_assets_common": [
            "aftersales_base/static/src/scss/aftersales_report.scss",
        ],
        "web.assets_tests": [
            "aftersales_base/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
